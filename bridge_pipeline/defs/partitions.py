"""Day partitions shared by every asset, in the timezone the settings name."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from dagster import DailyPartitionsDefinition

from bridge_pipeline.settings import load_settings

_settings = load_settings()

# end_offset=1 keeps today's (still open) day selectable, so a meeting dropped into today's inbox
# folder can be processed from the UI without waiting for midnight.
daily_partitions = DailyPartitionsDefinition(
    start_date=_settings.start_date,
    timezone=_settings.timezone,
    end_offset=1,
)


def partition_days(partition_keys: Sequence[str]) -> list[dt.date]:
    return [dt.date.fromisoformat(key) for key in partition_keys]
