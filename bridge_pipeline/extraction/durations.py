"""Finds spoken durations ("two years", "a 12-month term", "ten business days") and normalises them to '<n> <unit>'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from bridge_pipeline.extraction.spoken_numbers import NUMBER_PATTERN, parse_spoken_number

_UNIT_NAMES = {
    "minute": "minute", "min": "minute", "hour": "hour", "hr": "hour", "day": "day", "week": "week",
    "month": "month", "year": "year",
}

_DURATION = re.compile(
    rf"\b(?P<number>{NUMBER_PATTERN})[- ]"
    r"(?P<qualifier>business[- ]|working[- ]|calendar[- ])?"
    r"(?P<unit>minute|min|hour|hr|day|week|month|year)s?\b"
    r"(?:'s?|’s?)?",
    re.IGNORECASE,
)

_UNIT_HINT = re.compile(r"min|hour|hr|day|week|month|year", re.IGNORECASE)


@dataclass(frozen=True)
class Duration:
    value: Decimal
    unit: str = ""
    """'minute', 'hour', 'day', 'business day', 'week', 'month' or 'year'."""
    text: str = ""
    start: int = 0
    end: int = 0

    @property
    def normalised(self) -> str:
        """'2 years', '1 hour', '10 business days': the form vocabulary.TERM_KEYS asks for."""
        number = _plain_number(self.value)
        unit = self.unit if self.value == 1 else f"{self.unit}s"
        return f"{number} {unit}"

    @property
    def days(self) -> Decimal:
        """Rough length in days, for comparing durations of different units."""
        per_unit = {"minute": Decimal(1) / 1440, "hour": Decimal(1) / 24, "day": 1, "business day": Decimal("1.4"),
                    "week": 7, "month": Decimal("30.4"), "year": Decimal("365.25")}
        return self.value * Decimal(per_unit[self.unit])


def _plain_number(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")


def find_durations(text: str) -> list[Duration]:
    """Every duration in text, in order of appearance."""
    return list(_durations_in(text))


# Several term rules ask about the same sentence; remembering recent answers keeps extraction fast.
@lru_cache(maxsize=2048)
def _durations_in(text: str) -> tuple[Duration, ...]:
    if not _UNIT_HINT.search(text):
        return ()
    found: list[Duration] = []
    for match in _DURATION.finditer(text):
        value = parse_spoken_number(match.group("number"))
        if value is None or value <= 0:
            continue
        unit = _UNIT_NAMES[match.group("unit").lower()]
        if match.group("qualifier") and unit == "day":
            unit = match.group("qualifier").strip(" -").lower() + " day"
            unit = "business day" if unit.startswith("working") else unit
            unit = "day" if unit.startswith("calendar") else unit
        found.append(Duration(value=value, unit=unit, text=match.group(0), start=match.start(), end=match.end()))
    return tuple(found)
