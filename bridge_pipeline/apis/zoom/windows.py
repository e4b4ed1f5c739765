"""Splits a date range into the at-most-one-month windows Zoom's recording listing accepts."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta


def month_windows(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Consecutive inclusive (from, to) windows covering [first, last], each shorter than a calendar month."""
    if last < first:
        return []
    windows = []
    start = first
    while start <= last:
        end = min(last, start + relativedelta(months=1) - dt.timedelta(days=1))
        windows.append((start, end))
        start = end + dt.timedelta(days=1)
    return windows
