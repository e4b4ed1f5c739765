"""Turns plain-text transcripts (`Name: text` lines) into cues, estimating times when the file has none.

Layout: one utterance starts at each line with a speaker prefix (see speakers.py), optionally preceded
by a timestamp `[HH:MM:SS]`, `[MM:SS]` or a bare `HH:MM:SS` (fractions allowed). A line without a
speaker prefix continues the previous utterance, except that a timestamped line always starts a new
one; an utterance with no name (text before the first named line, or a timestamped line without a name)
belongs to "Unknown" rather than to a guessed speaker. Blank lines are ignored.

Times: a timestamped utterance starts at its stamp and lasts until the next utterance starts, or for an
estimate at 150 words per minute when it is the last one. An utterance without a stamp starts where the
estimate for the previous one ends. Whenever any time is estimated, a warning says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bridge_pipeline.parsing.cues import SpokenCue
from bridge_pipeline.parsing.speakers import UNKNOWN_SPEAKER, split_speaker_prefix

WORDS_PER_MINUTE = 150
_MIN_UTTERANCE_S = 1.0

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Brackets allow MM:SS; a bare stamp must have hours so "10:30 we start" is not read as a time.
_BRACKETED_STAMP = re.compile(r"\s*\[(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,2}):(?P<s>\d{2})(?:[.,](?P<f>\d{1,3}))?\]")
_BARE_STAMP = re.compile(r"\s*(?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2})(?:[.,](?P<f>\d{1,3}))?(?=\s|$)")
_AFTER_STAMP = re.compile(r"[ \t]*(?:[-\u2013][ \t]+)?")


@dataclass(frozen=True)
class PlainTextParts:
    cues: list[SpokenCue]
    warnings: tuple[str, ...]


@dataclass
class _Draft:
    line_number: int
    speaker: str
    stamp_s: float | None
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(part for part in self.parts if part)


def parse_plain_text_cues(text: str) -> PlainTextParts:
    drafts: list[_Draft] = []
    for line_number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if not line.strip():
            continue
        stamp_s, rest = _split_leading_stamp(line)
        split = split_speaker_prefix(rest.strip())
        if split.speaker is not None or stamp_s is not None or not drafts:
            drafts.append(_Draft(line_number, split.speaker or UNKNOWN_SPEAKER, stamp_s, [split.text]))
        else:
            drafts[-1].parts.append(rest.strip())
    cues, estimated = _timed_cues(drafts)
    warnings: tuple[str, ...] = ()
    if estimated == len(cues):
        warnings = (
            "no timestamps in the file; all times are estimated from word counts at "
            f"{WORDS_PER_MINUTE} words per minute",
        )
    elif estimated:
        warnings = (
            f"{estimated} of {len(cues)} utterance(s) have no timestamp; their times are estimated from word "
            f"counts at {WORDS_PER_MINUTE} words per minute",
        )
    return PlainTextParts(cues=cues, warnings=warnings)


def estimated_duration_s(text: str) -> float:
    return max(_MIN_UTTERANCE_S, len(text.split()) * 60.0 / WORDS_PER_MINUTE)


def _split_leading_stamp(line: str) -> tuple[float | None, str]:
    match = _BRACKETED_STAMP.match(line) or _BARE_STAMP.match(line)
    if match is None:
        return None, line
    fraction = match.group("f")
    seconds = (
        int(match.group("h") or 0) * 3600
        + int(match.group("m")) * 60
        + int(match.group("s"))
        + (int(fraction) / 10 ** len(fraction) if fraction else 0.0)
    )
    rest_at = _AFTER_STAMP.match(line, match.end())
    return seconds, line[rest_at.end() if rest_at else match.end() :]


def _timed_cues(drafts: list[_Draft]) -> tuple[list[SpokenCue], int]:
    """Start and end times per the module rules; also how many starts were estimated."""
    starts: list[float] = []
    estimated = 0
    previous_estimated_end = 0.0
    for draft in drafts:
        if draft.stamp_s is None:
            estimated += 1
            start = previous_estimated_end
        else:
            start = draft.stamp_s
        starts.append(start)
        previous_estimated_end = start + estimated_duration_s(draft.text)

    cues = []
    for position, draft in enumerate(drafts):
        start = starts[position]
        end = start + estimated_duration_s(draft.text)
        following = drafts[position + 1] if position + 1 < len(drafts) else None
        if following is not None and following.stamp_s is not None and following.stamp_s >= start:
            end = following.stamp_s
        cues.append(
            SpokenCue(
                label=f"line {draft.line_number}", start_s=start, end_s=end, speaker=draft.speaker, text=draft.text
            )
        )
    return cues, estimated
