"""Reads a `Retry-After` header in every form the meeting APIs use.

Graph sends seconds, sometimes fractional ("2.128"); Zoom's daily limit sends an ISO-8601 date-time
("2020-05-31T00:00:00Z"); RFC 9110 also allows an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT").
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryAfter:
    seconds: float  # from `now`, never negative
    at: dt.datetime | None  # the instant named by the header, when it named one


def parse_retry_after(value: str | None, now: dt.datetime) -> RetryAfter | None:
    """The wait a `Retry-After` header asks for, or None when it is absent or unreadable.

    `now` must be timezone-aware; dates without a zone are read as UTC.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if math.isnan(seconds) or math.isinf(seconds):
            return None
        return RetryAfter(seconds=max(0.0, seconds), at=None)

    at = _parse_instant(text)
    if at is None:
        return None
    return RetryAfter(seconds=max(0.0, (at - now).total_seconds()), at=at)


def _parse_instant(text: str) -> dt.datetime | None:
    try:
        at = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            at = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    return at
