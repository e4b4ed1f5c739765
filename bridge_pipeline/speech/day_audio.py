"""One day's recordings without transcript turned into meetings: downloaded, transcribed, or reused from an earlier run.

A meeting an earlier run already transcribed (same meeting id, source and source id, its speech
file still in blob storage) is taken as it is: no download, no transcription request. Otherwise the
source downloads the media and speech-to-text transcribes it (its own blob cache is the second line
against paying twice). A download or transcription that fails becomes a problem naming the meeting;
the other meetings of the day go on. A refused API key stops speech-to-text for the rest of the day,
since every further request would be refused as well.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bridge_pipeline.errors import BridgeError, ConfigurationError
from bridge_pipeline.http.errors import SourceError
from bridge_pipeline.models import IngestProblem, MeetingInfo, Recording, UntranscribedRecording
from bridge_pipeline.speech.recordings import recording_from_audio, speech_filename
from bridge_pipeline.storage.blobs import BlobStore

if TYPE_CHECKING:  # the OpenAI client is only loaded where speech-to-text is configured
    from bridge_pipeline.speech.transcribe import SpeechToText

log = logging.getLogger(__name__)


@runtime_checkable
class MediaDownloads(Protocol):
    """What speech-to-text needs of a source: the media file of a recording it listed as untranscribed."""

    def download_media(self, item: UntranscribedRecording) -> bytes: ...


@dataclass
class AudioMeetings:
    """What speech-to-text made of one source's untranscribed recordings of the day."""

    recordings: list[Recording] = field(default_factory=list)
    """Transcribed in this run; stored like any recording a source handed over."""
    reused: list[MeetingInfo] = field(default_factory=list)
    """Transcribed in an earlier run; their speech file is still stored under `raw_blob_key`."""
    problems: list[IngestProblem] = field(default_factory=list)
    left_untranscribed: int = 0
    media_downloads: int = 0


class DayAudio:
    """Speech-to-text for the untranscribed recordings of one day, source by source."""

    def __init__(
        self, day: dt.date, speech: SpeechToText, blobs: BlobStore, earlier_meetings: Iterable[MeetingInfo]
    ) -> None:
        self.day = day
        self.speech = speech
        self.blobs = blobs
        self._earlier = {meeting.meeting_id: meeting for meeting in earlier_meetings}
        self._refused: str | None = None  # set once the speech API refuses its key

    def meetings_from(self, source: object, items: Sequence[UntranscribedRecording]) -> AudioMeetings:
        outcome = AudioMeetings()
        for item in items:
            earlier = self._earlier_result(item)
            if earlier is not None:
                outcome.reused.append(earlier)
                continue
            if not isinstance(source, MediaDownloads):
                outcome.left_untranscribed += 1
                continue
            if self._refused is not None:
                outcome.left_untranscribed += 1
                outcome.problems.append(self._problem(item, f"not transcribed: {self._refused}"))
                continue
            try:
                audio = source.download_media(item)
                outcome.media_downloads += 1
                recording = recording_from_audio(item, audio, self.speech)
            except BridgeError as error:
                outcome.left_untranscribed += 1
                outcome.problems.append(self._problem(item, f"speech-to-text failed: {error}"))
                if isinstance(error, ConfigurationError) and not isinstance(error, SourceError):
                    self._refused = f"speech-to-text is not configured correctly (see meeting {item.meeting_id})"
                continue
            log.info("meeting %s transcribed from its %s recording", item.meeting_id, item.media)
            outcome.recordings.append(recording)
        return outcome

    def _earlier_result(self, item: UntranscribedRecording) -> MeetingInfo | None:
        """The meeting as an earlier run stored it from this same recording, with fresh listing details."""
        meeting = self._earlier.get(item.meeting_id)
        if (
            meeting is None
            or (meeting.source, meeting.source_id) != (item.source, item.source_id)
            or meeting.raw_blob_key.rsplit("/", 1)[-1] != speech_filename(item.meeting_id)
            or not self.blobs.exists(meeting.raw_blob_key)
        ):
            return None
        return meeting.model_copy(
            update={
                "title": item.title,
                "started_at": item.started_at,
                "organizer": item.organizer,
                "chat_thread_id": item.chat_thread_id,
            }
        )

    def _problem(self, item: UntranscribedRecording, problem: str) -> IngestProblem:
        return IngestProblem(partition_date=self.day, stage="raw_recordings", location=item.meeting_id, problem=problem)
