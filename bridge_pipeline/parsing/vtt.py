"""Turns WebVTT transcripts from Zoom and Teams into speaker-attributed cues.

Who spoke is read from the cue body, in this order:
1. a Teams `metadataContent` body: one JSON object with `speakerName` and `spokenText`
   (and `spokenLanguage`, used as the transcript language);
2. a voice span `<v Speaker Name>text</v>` (Teams; the closing tag may be missing, the body may span
   several lines);
3. a `Speaker Name: text` prefix (Zoom), split on the first colon followed by white space;
4. a cue identifier of the form `12 "Speaker Name" (1063281152)` (seen in some exports);
otherwise the speaker is "Unknown". Markup tags are removed, HTML entities decoded (`&amp;` -> `&`)
and line breaks inside a cue become single spaces.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass

from bridge_pipeline.parsing.cues import SpokenCue
from bridge_pipeline.parsing.speakers import UNKNOWN_SPEAKER, split_speaker_prefix
from bridge_pipeline.parsing.vtt_reader import VttCue, read_vtt

_VOICE_SPAN = re.compile(r"<v(?:\.[\w-]+)*[ \t]+(?P<name>[^>]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<\d[\d:.]*>")  # markup and karaoke timestamps like <00:00:01.500>
_WHITESPACE = re.compile(r"\s+")
_SPEAKER_IN_IDENTIFIER = re.compile(r"\d+\s+\"(?P<name>[^\"]+)\"(?:\s+\(\d+\))?")


@dataclass(frozen=True)
class VttTranscriptParts:
    cues: list[SpokenCue]
    language: str | None
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class CueBody:
    speaker: str | None
    text: str
    language: str | None = None


def parse_vtt_cues(text: str, filename: str) -> VttTranscriptParts:
    document = read_vtt(text, filename)
    cues: list[SpokenCue] = []
    spoken_languages: Counter[str] = Counter()
    for cue in document.cues:
        body = interpret_cue_body(cue)
        if body.language:
            spoken_languages[body.language] += 1
        cues.append(
            SpokenCue(
                label=cue.label,
                start_s=cue.start_s,
                end_s=cue.end_s,
                speaker=body.speaker or UNKNOWN_SPEAKER,
                text=body.text,
            )
        )
    warnings: tuple[str, ...] = ()
    if document.skipped_blocks:
        lines = ", ".join(str(number) for number in document.skipped_blocks[:5])
        warnings = (f"ignored {len(document.skipped_blocks)} block(s) with no timing line (starting at line {lines})",)
    header_language = document.header_value("Language")
    language = spoken_languages.most_common(1)[0][0] if spoken_languages else header_language
    return VttTranscriptParts(cues=cues, language=language.lower() if language else None, warnings=warnings)


def interpret_cue_body(cue: VttCue) -> CueBody:
    raw = "\n".join(cue.body_lines).strip()
    body = _metadata_content_body(raw) or _voice_span_body(raw) or _prefixed_body(raw)
    if body.speaker is None and cue.identifier:
        in_identifier = _SPEAKER_IN_IDENTIFIER.fullmatch(cue.identifier)
        if in_identifier:
            return CueBody(speaker=in_identifier.group("name").strip(), text=body.text)
    return body


def _metadata_content_body(raw: str) -> CueBody | None:
    if not raw.startswith("{"):
        return None
    try:
        payload = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("spokenText"), str):
        return None
    speaker = payload.get("speakerName")
    language = payload.get("spokenLanguage")
    return CueBody(
        speaker=speaker.strip() or None if isinstance(speaker, str) else None,
        text=_plain_text(payload["spokenText"]),
        language=language if isinstance(language, str) and language else None,
    )


def _voice_span_body(raw: str) -> CueBody | None:
    voice = _VOICE_SPAN.match(raw)
    if voice is None:
        return None
    speaker = html.unescape(voice.group("name")).strip()
    return CueBody(speaker=speaker or None, text=_plain_text(raw[voice.end() :]))


def _prefixed_body(raw: str) -> CueBody:
    split = split_speaker_prefix(_plain_text(raw))
    return CueBody(speaker=split.speaker, text=split.text)


def _plain_text(marked_up: str) -> str:
    return _WHITESPACE.sub(" ", html.unescape(_TAG.sub("", marked_up))).strip()
