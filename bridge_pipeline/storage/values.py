"""Values on their way into and out of the project tables, the same for every store module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

# Ids per IN (...) list: well under SQLite's bound-parameter limit on every supported version.
IN_LIST_SIZE = 500


def in_chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    """The ids in slices small enough for one IN (...) list each."""
    for start in range(0, len(ids), IN_LIST_SIZE):
        yield ids[start : start + IN_LIST_SIZE]


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored time in UTC: SQLite hands timestamps back without a zone, PostgreSQL in the session's."""
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)
