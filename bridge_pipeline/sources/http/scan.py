"""What a Teams or Zoom scan returns besides the recordings: transcripts not ready yet, media without a
transcript (for speech-to-text later), and chat files that came with a meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bridge_pipeline.models import SourceName
from bridge_pipeline.sources.base import SourceScan


@dataclass(frozen=True)
class PendingTranscript:
    """A transcript the API lists but cannot serve yet; a later poll picks it up."""

    source: SourceName
    meeting_id: str
    source_id: str
    partition_date: dt.date
    title: str
    started_at: dt.datetime | None
    reason: str


@dataclass(frozen=True)
class UntranscribedRecording:
    """A recording (audio-only or video) that has no transcript; kept for speech-to-text."""

    source: SourceName
    meeting_id: str
    source_id: str
    partition_date: dt.date
    title: str
    started_at: dt.datetime | None
    organizer: str | None
    media: str  # "audio" or "video"
    file_extension: str  # "M4A", "MP4", ...
    download_url: str  # the API's URL; fetching it needs the source's credentials
    size_bytes: int | None = None
    chat_thread_id: str | None = None  # the meeting's chat (Teams), where its summary can be posted


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
