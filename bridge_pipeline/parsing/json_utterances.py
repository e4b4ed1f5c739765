"""Turns JSON transcripts into cues, with errors that name the item and key that are wrong.

Accepted shapes:
- a list of utterances: `[{"speaker": "Ana", "start_s": 0.0, "end_s": 4.2, "text": "..."}, ...]`
- an object: `{"language": "en", "utterances": [ ...same items... ]}`
- the speech-to-text shape (WhisperX and similar): `{"language": "en", "segments": [{"start": 0.0,
  "end": 4.2, "text": "...", "speaker": "SPEAKER_00"}, ...]}`, or a list of such segments.
An item's times are `start_s`/`end_s`, or `start`/`end` when it has neither of the first two; either way
they are numbers of seconds. `speaker` may be null or blank ("Unknown"); items timed by `start`/`end` may
leave it out, as these tools do for segments they could not assign to a speaker. Other keys are ignored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from bridge_pipeline.errors import TranscriptParseError
from bridge_pipeline.parsing.cues import SpokenCue
from bridge_pipeline.parsing.speakers import UNKNOWN_SPEAKER

_LIST_KEYS = ("utterances", "segments")


@dataclass(frozen=True)
class JsonTranscriptParts:
    cues: list[SpokenCue]
    language: str | None


def parse_json_cues(text: str, filename: str) -> JsonTranscriptParts:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        # An unterminated string means the scanner ran into the end of the file, wherever it started.
        ran_out = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        truncated = "; the file looks truncated" if ran_out else ""
        raise TranscriptParseError(
            location=filename,
            problem=f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}){truncated}",
        ) from exc

    def fail(problem: str) -> TranscriptParseError:
        return TranscriptParseError(location=filename, problem=problem)

    language: str | None = None
    if isinstance(document, list):
        items, prefix = document, ""
    elif isinstance(document, dict):
        prefix = next((key for key in _LIST_KEYS if key in document), None)
        if prefix is None:
            raise fail("the top-level object has no 'utterances' or 'segments' key")
        items = document[prefix]
        if not isinstance(items, list):
            raise fail(f"'{prefix}' must be a list, got {_json_type(items)}")
        language = document.get("language")
        if language is not None and (not isinstance(language, str) or not language.strip()):
            raise fail(f"'language' must be a non-empty string, got {_json_type(language)}")
    else:
        raise fail(
            "the top level must be a list of utterances or an object with 'utterances' or 'segments', "
            f"got {_json_type(document)}"
        )

    cues = [_cue_from_item(item, f"{prefix}[{index}]", fail) for index, item in enumerate(items)]
    return JsonTranscriptParts(cues=cues, language=language.strip().lower() if language else None)


def _cue_from_item(item: object, label: str, fail: Callable[[str], TranscriptParseError]) -> SpokenCue:
    if not isinstance(item, dict):
        raise fail(f"{label} must be an object, got {_json_type(item)}")
    start_key, end_key = _time_keys(item)
    required = ("speaker", start_key, end_key, "text") if start_key == "start_s" else (start_key, end_key, "text")
    missing = [key for key in required if key not in item]
    if missing:
        untimed = " (or 'start', 'end')" if start_key not in item and end_key not in item else ""
        raise fail(f"{label} is missing key(s) {', '.join(repr(key) for key in missing)}{untimed}")
    speaker = item.get("speaker")
    if speaker is not None and not isinstance(speaker, str):
        raise fail(f"{label}.speaker must be a string or null, got {_json_type(speaker)}")
    text = item["text"]
    if not isinstance(text, str):
        raise fail(f"{label}.text must be a string, got {_json_type(text)}")
    times = []
    for key in (start_key, end_key):
        value = item[key]
        # bool is an int subclass in Python but never a time in JSON.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise fail(f"{label}.{key} must be a finite number of seconds, got {_json_type(value)} {value!r}")
        times.append(float(value))
    return SpokenCue(
        label=label,
        start_s=times[0],
        end_s=times[1],
        speaker=(speaker or "").strip() or UNKNOWN_SPEAKER,
        text=" ".join(text.split()),
    )


def _time_keys(item: dict) -> tuple[str, str]:
    """`start_s`/`end_s` unless the item has neither of them but has `start` or `end`."""
    if "start_s" not in item and "end_s" not in item and ("start" in item or "end" in item):
        return "start", "end"
    return "start_s", "end_s"


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__
