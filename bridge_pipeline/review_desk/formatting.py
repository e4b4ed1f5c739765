"""How values read on the pages: transcript times, moments in the partition timezone, status names, sizes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from jinja2 import Environment

STATUS_LABELS = {"draft": "Not reviewed", "changes_requested": "Changes requested", "approved": "Approved"}
ACTION_LABELS = {"set_value": "Set value", "approve": "Approved", "request_changes": "Requested changes"}


def mmss(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def file_size(size_bytes: int) -> str:
    if size_bytes < 1024:
        return f"{size_bytes} B"
    if size_bytes < 1024 * 1024:
        return f"{size_bytes / 1024:.0f} KB"
    return f"{size_bytes / (1024 * 1024):.1f} MB"


def install_filters(env: Environment, timezone: str) -> None:
    zone = ZoneInfo(timezone)

    def moment(value: dt.datetime) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")

    def day(value: dt.datetime) -> str:
        return value.astimezone(zone).date().isoformat()

    env.filters.update(
        mmss=mmss,
        moment=moment,
        day=day,
        file_size=file_size,
        status_label=lambda status: STATUS_LABELS.get(status, status),
        action_label=lambda action: ACTION_LABELS.get(action, action),
    )
