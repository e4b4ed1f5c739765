"""The Teams sensor: polls Microsoft Graph and requests the day partitions that received new transcripts."""

from dagster import DailyPartitionsDefinition, SensorDefinition

from bridge_pipeline.defs.polling import build_source_sensor


def build_teams_sensor(partitions_def: DailyPartitionsDefinition, *, interval_s: int, enabled: bool) -> SensorDefinition:
    return build_source_sensor(
        "teams",
        "Polls Microsoft Graph for new Teams transcripts and runs the line for each day that got one.",
        partitions_def,
        interval_s=interval_s,
        enabled=enabled,
    )
