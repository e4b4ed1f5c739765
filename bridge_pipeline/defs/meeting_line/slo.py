"""The line's latency SLOs: transcript-to-export on the exports, seconds per meeting on drafting and export."""

from __future__ import annotations

from dagster import AssetChecksDefinition, DailyPartitionsDefinition

from bridge_pipeline.defs.observability.slo import stage_check, transcript_to_export_check
from bridge_pipeline.observability.slo import DRAFT_STAGE, EXPORT_STAGE, TRANSCRIPT_TO_EXPORT


def build_slo_checks(partitions_def: DailyPartitionsDefinition) -> list[AssetChecksDefinition]:
    return [
        transcript_to_export_check("contract_exports", TRANSCRIPT_TO_EXPORT, partitions_def),
        stage_check("contract_drafts", "contract_drafts", DRAFT_STAGE, partitions_def),
        stage_check("contract_exports", "contract_exports", EXPORT_STAGE, partitions_def),
    ]
