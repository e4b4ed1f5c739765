"""Day partitions shared by every partitioned asset, check and sensor, in the timezone the settings name."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from dagster import DailyPartitionsDefinition

from bridge_pipeline.settings import Settings


def build_daily_partitions(settings: Settings) -> DailyPartitionsDefinition:
    """Built once per set of definitions and handed to every domain, so they all share one partitions object."""
    # end_offset=1 keeps today's (still open) day selectable, so a meeting dropped into today's inbox
    # folder can be processed from the UI without waiting for midnight.
    return DailyPartitionsDefinition(
        start_date=settings.start_date,
        timezone=settings.timezone,
        end_offset=1,
    )


def partition_timezone(partitions_def: DailyPartitionsDefinition) -> str:
    return partitions_def.timezone or "UTC"


def partition_days(partition_keys: Sequence[str]) -> list[dt.date]:
    return [dt.date.fromisoformat(key) for key in partition_keys]
