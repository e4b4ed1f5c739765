"""Rendering a template's standard clause text with a draft's field values; TBD fields stay visible."""

from __future__ import annotations

from typing import Mapping, Sequence

from bridge_pipeline.drafting.templates import TemplateSpec
from bridge_pipeline.models import Clause, DraftField


def tbd_text(label: str) -> str:
    return f"TBD ({label})"


def field_text(field: DraftField) -> str:
    """What a field reads as inside clause text and on the cover page."""
    return field.value if field.value is not None else tbd_text(field.label)


def render_clauses(
    template: TemplateSpec, fields: Sequence[DraftField], context: Mapping[str, str]
) -> tuple[Clause, ...]:
    values = {name: text for name, text in context.items()}
    values.update({f.name: field_text(f) for f in fields})
    return tuple(
        Clause(number=c.number, heading=c.heading, body=c.body.format_map(values)) for c in template.clauses
    )
