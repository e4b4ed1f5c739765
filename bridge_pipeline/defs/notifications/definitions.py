"""The notifications domain's definitions: the chat summaries asset (its resource: resources_for_environment)."""

from __future__ import annotations

from dagster import DailyPartitionsDefinition, Definitions

from bridge_pipeline.defs.notifications.assets import build_meeting_notifications


def build_defs(partitions_def: DailyPartitionsDefinition) -> Definitions:
    return Definitions(assets=[build_meeting_notifications(partitions_def)])
