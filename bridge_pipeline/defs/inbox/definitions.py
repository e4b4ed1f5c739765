"""The inbox domain's definitions: its sensor (its resource is chosen in resources_for_environment)."""

from __future__ import annotations

from dagster import DailyPartitionsDefinition, Definitions

from bridge_pipeline.defs.inbox.sensors import build_inbox_sensor
from bridge_pipeline.sources.inbox import InboxWatchSettings


def build_defs(partitions_def: DailyPartitionsDefinition, watch: InboxWatchSettings) -> Definitions:
    return Definitions(
        sensors=[build_inbox_sensor(partitions_def, interval_s=watch.poll_seconds, lookback_days=watch.lookback_days)]
    )
