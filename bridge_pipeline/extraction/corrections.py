"""Self-corrections inside a sentence: "the fourth, sorry, the fifth" states the fifth; "135, sorry, not 153"
states 135. The rules then read the sentence as it was meant."""

from __future__ import annotations

import re

_CUE = r"(?:sorry|I mean|I meant|correction)"
# "A, sorry, not B": A stands and B is the slip being ruled out.
_RULED_OUT = re.compile(rf",?\s*{_CUE}[,!]?\s+not\s+[^,;.!?]+", re.IGNORECASE)
# "A, sorry, B" / "A— sorry, no, B": a number or date slip (A holds a digit) replaced by B.
_REPLACED = re.compile(
    rf"(?P<slip>(?:\b(?:the|a|an)\s+)?[\w.%$€£-]*\d[\w.%$€£-]*(?:\s+[\w.%-]+)?)\s*[,—–-]?\s*{_CUE}[,!]?\s+(?:no[,!]?\s+)*",
    re.IGNORECASE,
)


def as_corrected(sentence: str) -> str:
    """The sentence with slips its speaker corrected removed."""
    lowered = sentence.lower()
    if not any(cue in lowered for cue in ("sorry", "i mean", "correction")):
        return sentence
    return _REPLACED.sub("", _RULED_OUT.sub("", sentence))
