"""Reads the small numbers people say in meetings ("two", "twenty-four", "18", "a") as Decimals."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from text_to_num import alpha2digit

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
# "a year", "an hour": the article stands for one.
_ARTICLES = {"a": 1, "an": 1}

_UNIT_ALTERNATION = "|".join(sorted(_UNITS, key=len, reverse=True))
_TENS_ALTERNATION = "|".join(_TENS)

NUMBER_PATTERN = (
    r"(?:\d+(?:\.\d+)?"
    rf"|(?:{_TENS_ALTERNATION})(?:[- ](?:{_UNIT_ALTERNATION}))?"
    rf"|{_UNIT_ALTERNATION}"
    r"|an?)"
)
"""A regex fragment (no groups) matching one number in digits or words; use with re.IGNORECASE."""

_SPACES = re.compile(r"[-\s]+")


def parse_spoken_number(text: str) -> Decimal | None:
    """The value of one number matched by NUMBER_PATTERN, or None when it is not a number."""
    cleaned = text.strip().lower()
    if not cleaned:
        return None
    if cleaned[0].isdigit():
        try:
            return Decimal(cleaned)
        except InvalidOperation:
            return None
    if cleaned in _ARTICLES:
        return Decimal(_ARTICLES[cleaned])
    if cleaned in _UNITS:
        return Decimal(_UNITS[cleaned])
    parts = _SPACES.split(cleaned)
    if parts[0] in _TENS:
        extra = _UNITS.get(parts[1], None) if len(parts) == 2 else 0
        if extra is None or len(parts) > 2:
            return None
        return Decimal(_TENS[parts[0]] + extra)
    return None


_SCALED = re.compile(
    rf"\b(?P<whole>\d+(?:\.\d+)?|{_UNIT_ALTERNATION})(?P<half> and a half)? (?P<scale>1000000000|1000000|1000)\b",
    re.IGNORECASE,
)
# Cardinal and ordinal stems ("twentieth", "fifth"): a cheap test before the converter runs.
_SPELLED_NUMBER_WORD = re.compile(
    rf"\b(?:{_UNIT_ALTERNATION}|{_TENS_ALTERNATION}|twent|thirt|fort|fift|eigh|nint|twelf|hundred|thousand|"
    r"million|billion|first|second|third)",
    re.IGNORECASE,
)


def spelled_numbers_as_digits(text: str) -> str:
    """The sentence with numbers said in words written in digits: "one hundred fifty thousand dollars"
    -> "150000 dollars", "ninety-nine point nine percent" -> "99.9 percent".

    Negotiations say most amounts, rates and periods in words; the money and term rules read digits.
    Words that are not quantities ("one of them", "a one-way NDA") are left alone.
    """
    if not _SPELLED_NUMBER_WORD.search(text):
        return text
    # The converter leaves single small numbers as words ("five percent"); a rate is a number all the same.
    text = _SMALL_PERCENT.sub(lambda m: f"{parse_spoken_number(m.group('number'))}%", text)
    converted = alpha2digit(text, "en")
    # "one point five million" comes out as "1.5 1000000", "eighteen and a half million" as "18 and a half 1000000".
    converted = _SCALED.sub(_scaled_value, converted)
    # "one and a half times the fees" -> "1.5 times the fees"
    converted = _AND_A_HALF.sub(lambda m: f"{(parse_spoken_number(m.group('whole')) or 0) + Decimal('0.5')}", converted)
    return _PERCENT_WORD.sub("%", converted)


_AND_A_HALF = re.compile(rf"\b(?P<whole>\d+|{_UNIT_ALTERNATION}) and a half\b", re.IGNORECASE)
_SMALL_PERCENT = re.compile(rf"(?<!point )\b(?P<number>{_UNIT_ALTERNATION})\s+(?:percent|per cent)\b", re.IGNORECASE)
_PERCENT_WORD = re.compile(r"(?<=\d)\s?(?:percent|per cent)\b", re.IGNORECASE)


def _scaled_value(match: re.Match[str]) -> str:
    whole = parse_spoken_number(match.group("whole")) or Decimal(0)
    value = (whole + (Decimal("0.5") if match.group("half") else 0)) * Decimal(match.group("scale"))
    return f"{value.normalize():f}"


_NUMBER_WORD = re.compile(
    rf"^(?:{_UNIT_ALTERNATION}|{_TENS_ALTERNATION}|(?:{_TENS_ALTERNATION})-(?:{_UNIT_ALTERNATION})|hundred|thousand|"
    r"million|billion|and|a|half|point|zero)$",
    re.IGNORECASE,
)


def spoken_phrase(original: str, converted_phrase: str) -> str:
    """The words as said for a phrase found in the digit-converted sentence ("150000 Canadian dollars" ->
    "one hundred fifty thousand Canadian dollars"); the converted phrase when they cannot be matched."""
    if converted_phrase in original:
        return converted_phrase
    tail = re.sub(r"^[\d.,\s]+", "", converted_phrase)
    if not tail:
        return _words_for_figure(original, converted_phrase) or converted_phrase
    at = original.find(tail)
    if at <= 0:
        return converted_phrase
    words = original[:at].split()
    start = len(words)
    while start > 0 and _NUMBER_WORD.match(words[start - 1].strip(",")):
        start -= 1
    if start == len(words):
        return converted_phrase
    return " ".join([*words[start:], tail]) if tail else " ".join(words[start:])


def _words_for_figure(original: str, figure: str) -> str | None:
    """The run of number words in the sentence that says this bare figure ("four hundred and twelve thousand
    five hundred" for "412500"), if one does."""
    words = original.split()
    position = 0
    while position < len(words):
        end = position
        while end < len(words) and _NUMBER_WORD.match(words[end].strip(",.;:!?")):
            end += 1
        run = [w.strip(",.;:!?") for w in words[position:end]]
        while run and run[-1].lower() in ("and", "a", "point"):
            run.pop()
        if run and spelled_numbers_as_digits(" ".join(run)).replace(",", "") == figure.replace(",", ""):
            return " ".join(run)
        position = max(end, position + 1)
    return None
