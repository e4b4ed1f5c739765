"""The Zoom sensor: polls Zoom cloud recordings and requests the day partitions that received new transcripts."""

from dagster import DailyPartitionsDefinition, SensorDefinition

from bridge_pipeline.defs.polling import build_source_sensor


def build_zoom_sensor(partitions_def: DailyPartitionsDefinition, *, interval_s: int, enabled: bool) -> SensorDefinition:
    return build_source_sensor(
        "zoom",
        "Polls Zoom cloud recordings for new transcripts and runs the line for each day that got one.",
        partitions_def,
        interval_s=interval_s,
        enabled=enabled,
    )
