"""Day partitions: which UTC instants a local day covers, and which day an instant is on."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bridge_pipeline.errors import ConfigurationError

UTC = dt.timezone.utc


def zone_named(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigurationError(
            f"unknown timezone {timezone!r}; use an IANA name such as 'UTC' or 'Europe/Berlin'"
        ) from exc


def day_bounds_utc(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of `day` in `zone`, as aware UTC instants (23 or 25 hours long on DST changes)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_day(instant: dt.datetime, zone: ZoneInfo) -> dt.date:
    return instant.astimezone(zone).date()
