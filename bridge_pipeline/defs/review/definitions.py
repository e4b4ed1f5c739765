"""The review domain's definitions: its sensor (the store resource is chosen in resources_for_environment)."""

from __future__ import annotations

from dagster import DailyPartitionsDefinition, Definitions

from bridge_pipeline.defs.review.sensors import build_review_sensor


def build_defs(partitions_def: DailyPartitionsDefinition) -> Definitions:
    return Definitions(sensors=[build_review_sensor(partitions_def)])
