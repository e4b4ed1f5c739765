"""The polling cursor a sensor keeps for a remote source, and the pure rules that advance it.

Per scope (a Teams organizer, a Zoom user) the cursor holds:
- `high_water`: the latest artifact time seen (Graph: transcript creation time; Zoom: meeting start);
- `listed_until`: when the scope was last listed successfully;
- `seen`: short digests of the artifacts seen in the current look-back window, with their times
  (this includes the ids at the high-water instant itself);
- `pending`: artifacts listed but not ready yet (a Graph transcript whose content still answers 404).
Transcripts appear hours after their meeting, dated back to it. So each poll lists from
`listed_until - lookback` (or from the oldest pending artifact, if older) up to now: anything that
became listable since the last poll is dated inside that window, provided it arrived within
`lookback`. The digests keep artifacts already seen from being reported twice. The days of new,
ready artifacts are the days to (re)materialize. Pending artifacts are reported once ready, or after
`max_pending_age` anyway (the day run then records them as not ready). A scope whose listing failed
keeps its old state, so its next successful poll still starts where the last good one ended.
The cursor serialises to a small JSON string (Dagster keeps sensor cursors as strings).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from bridge_pipeline.http.errors import AuthFailedError, SourceError
from bridge_pipeline.naming import short_digest
from bridge_pipeline.sources.days import UTC

logger = logging.getLogger(__name__)

CURSOR_VERSION = 1
_DIGEST_LEN = 16


@dataclass(frozen=True)
class Observation:
    """One artifact as a listing showed it."""

    key: str  # the source's artifact id (Graph transcript id, Zoom "<meeting uuid>/<file id>")
    observed_at: dt.datetime  # the time the API's window filters on
    partition_date: dt.date
    ready: bool = True


@dataclass(frozen=True)
class PendingArtifact:
    observed_at: dt.datetime
    partition_date: dt.date
    first_seen: dt.datetime


@dataclass(frozen=True)
class ScopeCursor:
    high_water: dt.datetime | None = None
    listed_until: dt.datetime | None = None
    seen: Mapping[str, dt.datetime] = field(default_factory=dict)
    pending: Mapping[str, PendingArtifact] = field(default_factory=dict)


@dataclass(frozen=True)
class PollCursor:
    scopes: Mapping[str, ScopeCursor] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": CURSOR_VERSION,
                "scopes": {
                    scope: {
                        "high_water": _iso(state.high_water) if state.high_water else None,
                        "listed_until": _iso(state.listed_until) if state.listed_until else None,
                        "seen": {digest: _iso(at) for digest, at in sorted(state.seen.items())},
                        "pending": {
                            digest: [_iso(item.observed_at), item.partition_date.isoformat(), _iso(item.first_seen)]
                            for digest, item in sorted(state.pending.items())
                        },
                    }
                    for scope, state in sorted(self.scopes.items())
                },
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | None) -> PollCursor:
        """The cursor a string holds; an empty or unreadable string starts afresh (logged)."""
        if not text:
            return cls()
        try:
            raw = json.loads(text)
            if raw.get("version") != CURSOR_VERSION:
                raise ValueError(f"cursor version {raw.get('version')!r}")
            scopes = {
                scope: ScopeCursor(
                    high_water=_parse_iso(state["high_water"]) if state.get("high_water") else None,
                    listed_until=_parse_iso(state["listed_until"]) if state.get("listed_until") else None,
                    seen={digest: _parse_iso(at) for digest, at in state.get("seen", {}).items()},
                    pending={
                        digest: PendingArtifact(_parse_iso(at), dt.date.fromisoformat(day), _parse_iso(first))
                        for digest, (at, day, first) in state.get("pending", {}).items()
                    },
                )
                for scope, state in raw["scopes"].items()
            }
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            logger.warning("sensor cursor could not be read (%s); starting from the look-back window", exc)
            return cls()
        return cls(scopes=scopes)


@dataclass(frozen=True)
class CursorAdvance:
    """What one poll found: the day partitions to (re)materialize and the cursor to store."""

    changed_days: tuple[dt.date, ...]
    cursor: PollCursor
    problems: tuple[str, ...] = ()  # scopes that could not be listed this time (their state is kept)


def artifact_digest(key: str) -> str:
    return short_digest(key, _DIGEST_LEN)


def already_seen(state: ScopeCursor | None, key: str) -> bool:
    return state is not None and artifact_digest(key) in state.seen


def window_start(state: ScopeCursor | None, now: dt.datetime, lookback: dt.timedelta) -> dt.datetime:
    """Where the next listing of a scope must begin."""
    if state is None or state.listed_until is None:
        return now - lookback
    start = min(state.listed_until, now) - lookback
    if state.pending:
        start = min(start, min(item.observed_at for item in state.pending.values()))
    return start


def advance_scope(
    state: ScopeCursor | None,
    observations: Iterable[Observation],
    *,
    now: dt.datetime,
    lookback: dt.timedelta,
    max_pending_age: dt.timedelta,
) -> tuple[set[dt.date], ScopeCursor]:
    """The days with new ready artifacts in `observations`, and the scope's next state. Pure."""
    state = state or ScopeCursor()
    seen = dict(state.seen)
    pending = dict(state.pending)
    # Below this line `seen` was pruned, so only pending artifacts may be taken as new there.
    horizon = state.listed_until - lookback if state.listed_until else None
    high_water = state.high_water
    days: set[dt.date] = set()
    listed: set[str] = set()

    for observation in observations:
        digest = artifact_digest(observation.key)
        listed.add(digest)
        if digest in seen:
            continue
        if horizon is not None and observation.observed_at < horizon and digest not in pending:
            continue
        high_water = observation.observed_at if high_water is None else max(high_water, observation.observed_at)
        if observation.ready:
            seen[digest] = observation.observed_at
            pending.pop(digest, None)
            days.add(observation.partition_date)
            continue
        waiting = pending.get(digest)
        if waiting is None:
            pending[digest] = PendingArtifact(observation.observed_at, observation.partition_date, now)
        elif now - waiting.first_seen >= max_pending_age:
            # Give up waiting: the day run will list it as not ready instead of it being forgotten.
            seen[digest] = observation.observed_at
            del pending[digest]
            days.add(observation.partition_date)

    for digest, waiting in list(pending.items()):
        if digest not in listed and now - waiting.first_seen >= max_pending_age:
            del pending[digest]  # no longer listed and long overdue: deleted at the source

    keep_from = now - lookback
    seen = {digest: at for digest, at in seen.items() if at >= keep_from}
    return days, ScopeCursor(high_water=high_water, listed_until=now, seen=seen, pending=pending)


def poll_scopes(
    cursor: PollCursor,
    scopes: Iterable[str],
    list_scope: Callable[[str, dt.datetime, ScopeCursor | None], list[Observation]],
    *,
    now: dt.datetime,
    lookback: dt.timedelta,
    max_pending_age: dt.timedelta,
) -> CursorAdvance:
    """Lists every scope from its window start and advances the cursor.

    `list_scope(scope, window_start, state)` returns what the API lists for the scope; it gets the
    scope's state so it can skip costly checks (readiness probes) for artifacts already seen.

    A scope whose listing raises a SourceError keeps its previous state and is named in `problems`;
    an authentication failure is raised, since it concerns every scope alike.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    days: set[dt.date] = set()
    problems: list[str] = []
    next_scopes: dict[str, ScopeCursor] = {}
    for scope in scopes:
        state = cursor.scopes.get(scope)
        try:
            observations = list_scope(scope, window_start(state, now, lookback), state)
        except AuthFailedError:
            raise
        except SourceError as exc:
            problems.append(str(exc))
            # A scope that never listed keeps the window it was meant to start from.
            next_scopes[scope] = state if state is not None else ScopeCursor(listed_until=now)
            continue
        scope_days, next_scopes[scope] = advance_scope(
            state, observations, now=now, lookback=lookback, max_pending_age=max_pending_age
        )
        days |= scope_days
    return CursorAdvance(changed_days=tuple(sorted(days)), cursor=PollCursor(next_scopes), problems=tuple(problems))


def _iso(instant: dt.datetime) -> str:
    return instant.astimezone(UTC).isoformat()


def _parse_iso(text: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
