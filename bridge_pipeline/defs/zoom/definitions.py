"""The Zoom domain's definitions: its polling sensor (its resource is chosen in resources_for_environment)."""

from __future__ import annotations

from dagster import DailyPartitionsDefinition, Definitions

from bridge_pipeline.defs.zoom.sensors import build_zoom_sensor


def build_defs(partitions_def: DailyPartitionsDefinition, *, interval_s: int, enabled: bool) -> Definitions:
    return Definitions(sensors=[build_zoom_sensor(partitions_def, interval_s=interval_s, enabled=enabled)])
