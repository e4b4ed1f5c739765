"""What a Teams or Zoom scan returns besides the recordings: transcripts not ready yet, media without a
transcript (for speech-to-text later), and chat files that came with a meeting; and which errors stay
one organizer's, user's or file's problem instead of stopping the scan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from bridge_pipeline.http.errors import (
    AuthFailedError,
    NotFoundError,
    SourceConfigurationError,
    UnexpectedResponseError,
)
from bridge_pipeline.models import IngestProblem, ListedMeeting, MeetingInfo, Recording, UntranscribedRecording
from bridge_pipeline.sources.base import SourceScan

# Errors that concern one organizer's or user's listing: recorded as that scope's problem while the
# other scopes are still read. Anything else stops the scan.
PER_SCOPE_ERRORS = (SourceConfigurationError, UnexpectedResponseError, NotFoundError)
# Errors that concern one downloaded artifact. An auth failure on one download (an HTML page instead of
# the file) is that file's problem: refused credentials would already have failed the listing.
PER_ARTIFACT_ERRORS = (*PER_SCOPE_ERRORS, AuthFailedError)


@dataclass(frozen=True)
class PendingTranscript(ListedMeeting):
    """A transcript the API lists but cannot serve yet; a later poll picks it up."""

    reason: str


@dataclass(frozen=True)
class ChatFile:
    """The in-meeting chat saved with a recording (Zoom `CHAT`), as the raw text file."""

    meeting_id: str
    filename: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class RemoteScan(SourceScan):
    """A `SourceScan` with the chat files only remote sources bring; plain `SourceScan` readers still work."""

    chats: tuple[ChatFile, ...] = ()


@dataclass
class DayFindings:
    """What a remote source collects while it scans one day, scope by scope."""

    recordings: list[Recording] = field(default_factory=list)
    problems: list[IngestProblem] = field(default_factory=list)
    not_ready: list[PendingTranscript] = field(default_factory=list)
    untranscribed: list[UntranscribedRecording] = field(default_factory=list)
    chats: list[ChatFile] = field(default_factory=list)
    known: Mapping[str, MeetingInfo] = field(default_factory=dict)  # stored meetings of the day, by source id
    reused: list[MeetingInfo] = field(default_factory=list)

    def reuse(self, source_id: str, started_at: dt.datetime | None) -> bool:
        """Whether a listed transcript is one an earlier run stored: same artifact id and time. Teams and Zoom
        give an edited or regenerated transcript a new id, so its stored copy and metadata still hold, and
        the run spends no rate-limited call on it (a day of 45 meetings spent 5 s waiting for the limiter)."""
        stored = self.known.get(source_id)
        if stored is None or stored.started_at != started_at:
            return False
        self.reused.append(stored)
        return True

    def scan(self) -> RemoteScan:
        """The day's scan, recordings and problems in a stable order whatever order the API listed them in."""
        return RemoteScan(
            recordings=tuple(
                sorted(self.recordings, key=lambda recording: (str(recording.started_at), recording.meeting_id))
            ),
            problems=tuple(sorted(self.problems, key=lambda problem: (problem.location, problem.problem))),
            not_ready=tuple(self.not_ready),
            untranscribed=tuple(self.untranscribed),
            chats=tuple(self.chats),
            reused=tuple(sorted(self.reused, key=lambda meeting: meeting.meeting_id)),
        )
