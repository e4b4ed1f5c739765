"""Parses one transcript file (WebVTT, plain text or JSON) into a Transcript of speaker-attributed utterances.

The steps are the same for every format: decode the bytes (decoding.py: UTF-8 with or without BOM,
UTF-16 with BOM, nothing else), read the format into cues (vtt.py, plain_text.py,
json_utterances.py), then apply the shared repairs and refusals (cues.py). Every refusal is a
TranscriptParseError whose location is the file name and whose problem says what is wrong and where.
"""

from __future__ import annotations

from bridge_pipeline.errors import TranscriptParseError
from bridge_pipeline.models import Transcript, TranscriptFormat
from bridge_pipeline.parsing.cues import build_transcript
from bridge_pipeline.parsing.decoding import decode_transcript_bytes
from bridge_pipeline.parsing.json_utterances import parse_json_cues
from bridge_pipeline.parsing.plain_text import parse_plain_text_cues
from bridge_pipeline.parsing.vtt import parse_vtt_cues


def parse_transcript(
    content: bytes, transcript_format: TranscriptFormat, *, meeting_id: str, filename: str
) -> Transcript:
    """Parse content in the given format; utterances come out indexed 0..n-1 in time order."""
    decoded = decode_transcript_bytes(content, filename)
    text = decoded.text
    warnings = list(decoded.warnings)

    if transcript_format == "txt" and text.lstrip("\ufeff \t\r\n").startswith("WEBVTT"):
        warnings.append("the .txt file is WebVTT; it was read as WebVTT")
        transcript_format = "vtt"

    if transcript_format == "vtt":
        vtt_parts = parse_vtt_cues(text, filename)
        cues, language = vtt_parts.cues, vtt_parts.language
        warnings.extend(vtt_parts.warnings)
        if not cues:
            raise TranscriptParseError(location=filename, problem="has a WEBVTT header but no cues")
    elif transcript_format == "txt":
        text_parts = parse_plain_text_cues(text)
        cues, language = text_parts.cues, None
        warnings.extend(text_parts.warnings)
    elif transcript_format == "json":
        json_parts = parse_json_cues(text, filename)
        cues, language = json_parts.cues, json_parts.language
        if not cues:
            raise TranscriptParseError(location=filename, problem="has an empty list of utterances")
    else:
        raise TranscriptParseError(
            location=filename,
            problem=f"unsupported transcript format {transcript_format!r} (expected vtt, txt or json)",
        )

    return build_transcript(
        cues, meeting_id=meeting_id, filename=filename, language=language, warnings=tuple(warnings)
    )
