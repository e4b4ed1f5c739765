"""What the Teams and Zoom sources share: the API client they read through, media downloads for
speech-to-text, and the sensor poll that turns a cursor into the days to (re)materialize.

A subclass says how to build its client, how it scans one day, which scopes (organizers, users) it
polls and what one scope's listing shows; `recordings_for_day` and `changes_since` do the rest the
same way for both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Generic, Protocol, TypeVar

from bridge_pipeline.models import MeetingInfo, SourceName, UntranscribedRecording
from bridge_pipeline.sources.cursor import CursorAdvance, Observation, PollCursor, ScopeCursor, poll_scopes
from bridge_pipeline.sources.days import UTC, zone_named
from bridge_pipeline.sources.scan import DayFindings, RemoteScan


class RemoteClient(Protocol):
    def download_media(self, item: UntranscribedRecording) -> bytes: ...

    def close(self) -> None: ...


class PollSettings(Protocol):
    @property
    def lookback(self) -> dt.timedelta: ...

    @property
    def max_pending_age(self) -> dt.timedelta: ...


SettingsT = TypeVar("SettingsT", bound=PollSettings)
ClientT = TypeVar("ClientT", bound=RemoteClient)


class RemoteSource(Generic[SettingsT, ClientT]):
    """Base of the Teams and Zoom sources; see the module docstring."""

    name: SourceName

    def __init__(self, settings: SettingsT, *, client: ClientT | None = None):
        self.settings = settings
        self.client = client or self._new_client(settings)

    def _new_client(self, settings: SettingsT) -> ClientT:
        raise NotImplementedError

    def close(self) -> None:
        self.client.close()

    def download_media(self, item: UntranscribedRecording) -> bytes:
        """The media file of a recording this source listed as untranscribed, for speech-to-text."""
        return self.client.download_media(item)

    # --- one day ---------------------------------------------------------------------------------

    def recordings_for_day(
        self, day: dt.date, timezone: str, *, known: Mapping[str, MeetingInfo] | None = None
    ) -> RemoteScan:
        """The day's transcripts as recordings, plus what is listed but not ready, untranscribed or a problem.

        `known` holds the meetings an earlier run stored for the day, by source id: a transcript still listed
        as it was comes back in `reused` instead of being read again."""
        found = DayFindings(known=known or {})
        self._scan_day(day, zone_named(timezone), found)
        return found.scan()

    def _scan_day(self, day: dt.date, zone: dt.tzinfo, found: DayFindings) -> None:
        """Adds what the API holds for `day` (in `zone`) to `found`."""
        raise NotImplementedError

    # --- sensor support --------------------------------------------------------------------------

    def changes_since(
        self, cursor: PollCursor | str | None, *, timezone: str, now: dt.datetime | None = None
    ) -> CursorAdvance:
        """Day partitions with new or newly ready artifacts since `cursor`, and the next cursor."""
        zone = zone_named(timezone)
        now = now or dt.datetime.now(UTC)
        if not isinstance(cursor, PollCursor):
            cursor = PollCursor.from_json(cursor)

        def list_scope(scope: str, start: dt.datetime, state: ScopeCursor | None) -> list[Observation]:
            return self._observations(scope, start, state, zone=zone, now=now)

        return poll_scopes(
            cursor,
            self._poll_scopes(),
            list_scope,
            now=now,
            lookback=self.settings.lookback,
            max_pending_age=self.settings.max_pending_age,
        )

    def _poll_scopes(self) -> Iterable[str]:
        """The organizers or users whose listings a poll reads."""
        raise NotImplementedError

    def _observations(
        self, scope: str, start: dt.datetime, state: ScopeCursor | None, *, zone: dt.tzinfo, now: dt.datetime
    ) -> list[Observation]:
        """What the API lists for `scope` from `start` on (`state` lets it skip checks of artifacts already seen)."""
        raise NotImplementedError
