"""Contract drafting: templates kept as data, and drafts filled only from a meeting's decisions."""

from bridge_pipeline.drafting.drafter import draft_meeting
from bridge_pipeline.drafting.templates import TemplateSpec, load_template

__all__ = ["TemplateSpec", "draft_meeting", "load_template"]
