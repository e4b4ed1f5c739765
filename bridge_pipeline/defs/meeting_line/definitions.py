"""The meeting line's definitions: the six stages, their QA and SLO checks, the job and its schedule."""

from __future__ import annotations

from dagster import DailyPartitionsDefinition, Definitions

from bridge_pipeline.defs.meeting_line.assets import build_line_assets
from bridge_pipeline.defs.meeting_line.jobs import meeting_line_job, meeting_line_schedule
from bridge_pipeline.defs.meeting_line.slo import build_slo_checks
from bridge_pipeline.defs.pools import OPENAI_POOL
from bridge_pipeline.settings import Settings


def build_defs(partitions_def: DailyPartitionsDefinition, settings: Settings) -> Definitions:
    # Only the language model is an API worth pooling; the offline rules run anywhere.
    decisions_pool = OPENAI_POOL if settings.extractor == "openai" else None
    return Definitions(
        assets=build_line_assets(partitions_def, decisions_pool=decisions_pool),
        asset_checks=build_slo_checks(partitions_def),
        jobs=[meeting_line_job],
        schedules=[meeting_line_schedule],
    )
