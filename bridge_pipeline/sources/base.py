"""The interface every meeting source (local inbox, Microsoft Teams, Zoom) implements.

A source answers one question: which recordings belong to this day? It returns what it found and,
separately, what it could not use, so one bad file never hides the rest of the day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bridge_pipeline.models import IngestProblem, MeetingInfo, Recording, SourceName, UntranscribedRecording

if TYPE_CHECKING:
    from bridge_pipeline.sources.scan import PendingTranscript


@dataclass(frozen=True)
class SourceScan:
    recordings: tuple[Recording, ...]
    problems: tuple[IngestProblem, ...]  # stage="raw_recordings"
    # What a remote source lists but cannot hand over as a transcript (yet); a folder source has none.
    not_ready: tuple[PendingTranscript, ...] = ()
    untranscribed: tuple[UntranscribedRecording, ...] = ()
    # Meetings an earlier run stored whose transcript is still listed unchanged: kept, not read again.
    reused: tuple[MeetingInfo, ...] = ()


@runtime_checkable
class RecordingSource(Protocol):
    name: SourceName

    def recordings_for_day(self, day: dt.date, timezone: str) -> SourceScan:
        """Recordings of meetings held on `day` in `timezone` (an IANA name such as "Europe/Berlin")."""
        ...
