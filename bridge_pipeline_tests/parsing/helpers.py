"""Small builders for transcript bytes used across the parsing tests."""

from __future__ import annotations

from bridge_pipeline.models import Transcript, TranscriptFormat
from bridge_pipeline.parsing.transcripts import parse_transcript


def vtt_bytes(*cues: str, newline: str = "\n", header: str = "WEBVTT") -> bytes:
    """A WebVTT file from cue blocks written with "\\n" line breaks."""
    blocks = [header, *cues]
    return (newline * 2).join(block.replace("\n", newline) for block in blocks).encode("utf-8") + newline.encode()


def parse(content: bytes | str, transcript_format: TranscriptFormat = "vtt") -> Transcript:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return parse_transcript(data, transcript_format, meeting_id="m-1", filename=f"meeting.{transcript_format}")


def spoken(transcript: Transcript) -> list[tuple[str, float, float, str]]:
    return [(u.speaker, u.start_s, u.end_s, u.text) for u in transcript.utterances]
