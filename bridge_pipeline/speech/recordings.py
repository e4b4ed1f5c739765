"""Turns a source's recording without transcript into an ordinary Recording by transcribing its audio.

The Recording carries the speech-to-text result in the project's JSON transcript format, so the
transcripts stage parses it like any other file and nothing downstream knows it was audio.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from bridge_pipeline.models import Recording, UntranscribedRecording
from bridge_pipeline.naming import safe_filename

if TYPE_CHECKING:  # the OpenAI client is only loaded where speech-to-text is configured
    from bridge_pipeline.speech.transcribe import SpeechToText


def speech_filename(meeting_id: str) -> str:
    """The raw file name of a meeting made by speech-to-text; a later run knows its own output by it."""
    return safe_filename(f"{meeting_id}.speech.json")


def recording_from_audio(pending: UntranscribedRecording, audio: bytes, speech: SpeechToText) -> Recording:
    """The meeting as a Recording whose content is the transcript speech-to-text made of `audio`."""
    extension = pending.file_extension.lower().lstrip(".") or "audio"
    result = speech.transcribe(pending.meeting_id, audio, f"{pending.meeting_id}.{extension}")
    return Recording(
        source=pending.source,
        source_id=pending.source_id,
        meeting_id=pending.meeting_id,
        partition_date=pending.partition_date,
        filename=speech_filename(pending.meeting_id),
        transcript_format="json",
        content=result.document,
        content_sha256=hashlib.sha256(result.document).hexdigest(),
        title=pending.title,
        started_at=pending.started_at,
        organizer=pending.organizer,
        chat_thread_id=pending.chat_thread_id,
    )
