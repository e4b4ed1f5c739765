"""Which day partitions counsel's review actions make out of date. Pure; the review sensor asks it.

An action on version N of a draft changes that version, so the day that version was drafted on must be
drafted again; every later version of the same draft was built on version N, so the days holding them must
follow, in day order. Each day is requested once per batch of actions, with the earliest action's time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bridge_pipeline.models import ReviewAction


@dataclass(frozen=True)
class StoredVersion:
    version: int
    day: dt.date


@dataclass(frozen=True)
class DayToRedraft:
    day: dt.date
    first_action_at: dt.datetime  # when the earliest action that needs this day was stored
    action_ids: tuple[int, ...]


def days_to_redraft(
    actions: Sequence[ReviewAction], versions: Mapping[str, Sequence[StoredVersion]]
) -> list[DayToRedraft]:
    """The days to re-draft for `actions`, in day order; `versions` holds each draft's stored versions."""
    found: dict[dt.date, tuple[dt.datetime, list[int]]] = {}

    def add(day: dt.date, action: ReviewAction) -> None:
        first, ids = found.setdefault(day, (action.recorded_at, []))
        found[day] = (min(first, action.recorded_at), ids + [action.action_id])

    for action in sorted(actions, key=lambda a: a.action_id):
        add(action.partition_date, action)
        for later in versions.get(action.draft_id, ()):
            if later.version > action.draft_version and later.day != action.partition_date:
                add(later.day, action)
    return [
        DayToRedraft(day=day, first_action_at=first, action_ids=tuple(sorted(set(ids))))
        for day, (first, ids) in sorted(found.items())
    ]
