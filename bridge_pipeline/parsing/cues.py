"""Turns format-neutral cues into a Transcript, applying the same repairs and refusals to every format.

Rules, whatever the file format:
- a cue with no text is skipped, and the skips are counted in a warning (never dropped silently);
- a cue that ends before it starts is an error naming the cue and both times;
- negative times (Teams marks speech before the recording started that way) are clamped to 0 s, warned;
- cues out of time order are sorted by start (stable), warned;
- overlapping cues are normal crosstalk: kept, counted in a warning;
- nothing left to keep is an error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bridge_pipeline.errors import TranscriptParseError
from bridge_pipeline.models import Transcript, Utterance

DEFAULT_LANGUAGE = "en"
_MAX_LABELS_IN_WARNING = 5


@dataclass(frozen=True)
class SpokenCue:
    """One timed piece of speech as a format reader found it."""

    label: str  # how to name this cue in messages, e.g. "cue '17' (line 52)" or "utterances[3]"
    start_s: float
    end_s: float
    speaker: str
    text: str


def build_transcript(
    cues: list[SpokenCue],
    *,
    meeting_id: str,
    filename: str,
    language: str | None = None,
    warnings: tuple[str, ...] = (),
) -> Transcript:
    """Apply the module's rules and number the utterances 0..n-1 in time order."""
    if not cues:
        raise TranscriptParseError(location=filename, problem="contains no cues or utterances")

    collected = list(warnings)
    spoken = [cue for cue in cues if cue.text.strip()]
    empty = [cue.label for cue in cues if not cue.text.strip()]
    if empty:
        collected.append(f"skipped {len(empty)} cue(s) with no text: {_some(empty)}")
    if not spoken:
        raise TranscriptParseError(location=filename, problem=f"all {len(cues)} cue(s) are empty; nothing was said")

    for cue in spoken:
        _reject_unusable_times(cue, filename)

    clamped = [cue.label for cue in spoken if cue.start_s < 0]
    if clamped:
        collected.append(
            f"{len(clamped)} cue(s) start before the recording (negative offsets); their times were clamped "
            f"to 0 s: {_some(clamped)}"
        )

    out_of_order = sum(1 for before, after in zip(spoken, spoken[1:]) if after.start_s < before.start_s)
    if out_of_order:
        spoken = sorted(spoken, key=lambda cue: cue.start_s)  # stable: ties keep file order
        collected.append(f"{out_of_order} cue(s) were out of time order; sorted by start time")

    overlaps = _count_overlaps(spoken)
    if overlaps:
        collected.append(f"{overlaps} cue(s) overlap an earlier cue (crosstalk); kept as they are")

    utterances = tuple(
        Utterance(
            index=index,
            speaker=cue.speaker,
            start_s=max(cue.start_s, 0.0),
            end_s=max(cue.end_s, 0.0),
            text=cue.text.strip(),
        )
        for index, cue in enumerate(spoken)
    )
    return Transcript(
        meeting_id=meeting_id,
        language=language or DEFAULT_LANGUAGE,
        utterances=utterances,
        warnings=tuple(collected),
    )


def format_clock(seconds: float) -> str:
    """Seconds as [-]HH:MM:SS.mmm, the way transcript files show times."""
    sign = "-" if seconds < 0 else ""
    millis = round(abs(seconds) * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{sign}{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _reject_unusable_times(cue: SpokenCue, filename: str) -> None:
    if not (math.isfinite(cue.start_s) and math.isfinite(cue.end_s)):
        raise TranscriptParseError(location=filename, problem=f"{cue.label} has a time that is not a finite number")
    if cue.end_s < cue.start_s:
        raise TranscriptParseError(
            location=filename,
            problem=f"{cue.label} ends before it starts: {format_clock(cue.start_s)} --> {format_clock(cue.end_s)}",
        )


def _count_overlaps(cues: list[SpokenCue]) -> int:
    """Cues that start before some earlier cue has ended (input must be sorted by start)."""
    overlaps = 0
    latest_end = -math.inf
    for cue in cues:
        if cue.start_s < latest_end:
            overlaps += 1
        latest_end = max(latest_end, cue.end_s)
    return overlaps


def _some(labels: list[str]) -> str:
    shown = ", ".join(labels[:_MAX_LABELS_IN_WARNING])
    hidden = len(labels) - _MAX_LABELS_IN_WARNING
    return f"{shown} and {hidden} more" if hidden > 0 else shown
