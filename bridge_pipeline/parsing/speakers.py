"""Recognises a leading "Speaker Name: " in a line of transcript text.

Zoom writes every cue as `Name: text`, and names carry `|`, parentheses, dots and handles
(`Akash | ECH`, `FLCL (Nethermind)`), so the split is on the FIRST colon followed by white space.
To avoid reading a sentence such as "The answer is: yes" as a speaker, a prefix only counts as a name
when it is short: at most 64 characters and 8 words (the longest name in the real Zoom set is 32
characters and 6 words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNKNOWN_SPEAKER = "Unknown"

MAX_NAME_CHARS = 64
MAX_NAME_WORDS = 8

# A colon ending the line also counts: some plain-text transcripts put the name on its own line.
_NAME_END = re.compile(r":(?:[ \t]+|[ \t]*$)")


@dataclass(frozen=True)
class SpeakerSplit:
    speaker: str | None
    text: str


def split_speaker_prefix(line: str) -> SpeakerSplit:
    """Split "Name: text" into name and text; speaker None when the line has no plausible name prefix."""
    separator = _NAME_END.search(line)
    if separator is None:
        return SpeakerSplit(speaker=None, text=line)
    name = line[: separator.start()].strip()
    if not looks_like_name(name):
        return SpeakerSplit(speaker=None, text=line)
    return SpeakerSplit(speaker=name, text=line[separator.end() :].strip())


def looks_like_name(candidate: str) -> bool:
    return 0 < len(candidate) <= MAX_NAME_CHARS and len(candidate.split()) <= MAX_NAME_WORDS
