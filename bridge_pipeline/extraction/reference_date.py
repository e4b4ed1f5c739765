"""The calendar day a meeting happened on, in the pipeline's time zone: what "tomorrow" and "by Friday" count from."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.models import MeetingInfo


def meeting_reference_date(meeting: MeetingInfo, timezone: str) -> dt.date:
    """The meeting's start date in timezone; the partition date when the start time is unknown.

    A start time without an offset is taken as UTC, which is how the sources report times.
    """
    if meeting.started_at is None:
        return meeting.partition_date
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigurationError(f"timezone {timezone!r} (BRIDGE_TIMEZONE) is not a known IANA time zone") from error
    started = meeting.started_at
    if started.tzinfo is None:
        started = started.replace(tzinfo=dt.timezone.utc)
    return started.astimezone(zone).date()
