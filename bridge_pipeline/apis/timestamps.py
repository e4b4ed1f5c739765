"""Timestamps as Microsoft Graph and Zoom write them and expect them, read and written in one place."""

from __future__ import annotations

import datetime as dt

UTC = dt.timezone.utc


def parse_api_datetime(text: str) -> dt.datetime:
    """An aware UTC datetime from an API timestamp ("...Z", "+00:00", up to 7 fractional digits)."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    head, dot, rest = value.partition(".")
    if dot:
        # Graph writes 7 fractional digits; keep microseconds so every Python reads it alike.
        digits = len(rest) - len(rest.lstrip("0123456789"))
        value = f"{head}.{rest[:min(digits, 6)]}{rest[digits:]}"
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_api_datetime(instant: dt.datetime) -> str:
    """ISO 8601 in UTC with a single trailing Z, as both APIs expect."""
    if instant.tzinfo is None:
        raise ValueError("API timestamps must be timezone-aware")
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
