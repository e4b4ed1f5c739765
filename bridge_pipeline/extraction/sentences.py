"""Splits an utterance into sentences that are exact slices of its text, so quotes stay verbatim."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (or …) followed by space and something that can start a sentence.
# Lower-case continuations ("Sp. z o.o.", "S.A. as the customer") therefore never split.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9€$£¥À-ÖØ-Þ\u0100-\u017f])")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of text with their offsets; text[start:end] == sentence.text."""
    sentences: list[Sentence] = []
    position = 0
    for boundary in _BOUNDARY.finditer(text):
        _append(sentences, text, position, boundary.start())
        position = boundary.end()
    _append(sentences, text, position, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(text=text[start:end], start=start, end=end))
