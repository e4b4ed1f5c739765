"""The numbers a text states, in digits or words ("48,000", "48k", "forty-eight thousand", "99.9%"), as Decimals.

Grounding compares the numbers in a model's value with those in the utterances it cites, so how a
number was written ("2" or "two", "48,000" or "48k") must not matter.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from bridge_pipeline.extraction.spoken_numbers import NUMBER_PATTERN, parse_spoken_number

_SCALES = {"k": 1000, "thousand": 1000, "m": 1_000_000, "mn": 1_000_000, "million": 1_000_000,
           "millions": 1_000_000, "bn": 1_000_000_000, "billion": 1_000_000_000, "hundred": 100}
_SCALE = r"(?:\s?(?P<scale>k|mn|m|bn)\b|\s(?P<word_scale>hundred|thousand|millions?|billion)\b)"
_DIGITS = re.compile(rf"(?<![\w.])(?P<number>\d+(?:[.,\u00a0\u202f ]\d+)*){_SCALE}?", re.IGNORECASE)
# Articles ("a year") stand for one in durations, but a bare "a" is no number in a value check.
_WORDS = re.compile(rf"\b(?P<number>{NUMBER_PATTERN})(?:\s+(?P<word_scale>hundred|thousand|million|billion))?\b", re.IGNORECASE)


def number_mentions(text: str) -> list[frozenset[Decimal]]:
    """Each number the text states, as the set of values it can be read as ('1,5' is 1.5 or 15; '48k' is 48 or 48000)."""
    return list(_mentions(text))


def numbers_in(text: str) -> frozenset[Decimal]:
    """Every value any number in the text can be read as."""
    return frozenset().union(*_mentions(text)) if text else frozenset()


@lru_cache(maxsize=4096)
def _mentions(text: str) -> tuple[frozenset[Decimal], ...]:
    found: list[frozenset[Decimal]] = []
    for match in _DIGITS.finditer(text):
        readings = _digit_readings(match.group("number"))
        scale = (match.group("scale") or match.group("word_scale") or "").lower()
        if scale:
            readings |= {value * _SCALES[scale] for value in readings}
        if readings:
            found.append(frozenset(readings))
    for match in _WORDS.finditer(text):
        word = match.group("number").lower()
        if word in ("a", "an") or word[0].isdigit():
            continue
        value = parse_spoken_number(word)
        if value is None:
            continue
        readings = {value}
        if match.group("word_scale"):
            readings.add(value * _SCALES[match.group("word_scale").lower()])
        found.append(frozenset(readings))
    return tuple(found)


def _digit_readings(raw: str) -> set[Decimal]:
    """'48,000' -> {48000, 48.000}; '1,5' -> {1.5}; '99.9' -> {99.9}; '20 000' -> {20000, 20, 0}."""
    cleaned = raw.replace("\u00a0", " ").replace("\u202f", " ")
    readings: set[Decimal] = set()
    groups = re.split(r"[., ]", cleaned)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3:
        readings.add(Decimal("".join(groups)))
    if " " in cleaned:
        # Numbers said in a row ("2 3") also come out space-separated.
        readings |= {Decimal(part) for part in cleaned.split() if part.isdigit()}
        return readings
    marks = [mark for mark in (".", ",") if mark in cleaned]
    if not marks:
        readings.add(Decimal(cleaned))
    elif len(marks) == 2:
        # Both marks: the last one is the decimal mark ("48,000.50", "48.000,50").
        decimal_mark = "." if cleaned.rfind(".") > cleaned.rfind(",") else ","
        grouping = "," if decimal_mark == "." else "."
        readings.add(_decimal(cleaned.replace(grouping, "").replace(decimal_mark, ".")))
    elif cleaned.count(marks[0]) == 1:
        readings.add(_decimal(cleaned.replace(marks[0], ".")))
    return {value for value in readings if value is not None}


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
