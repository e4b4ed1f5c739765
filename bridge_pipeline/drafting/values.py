"""Parsing and display of the normalised term values (money, percentages, durations, dates).

The extractor writes terms in the formats documented in extraction.vocabulary; the drafter turns them
into cover-page text and the QA rules parse them back, so both sides use these functions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta

_MONEY = re.compile(r"^\s*([A-Za-z]{3})\s*(-?[\d,]+(?:\.\d+)?)\s*(?:(?:per|/)\s*(.+?))?\s*$")
_DURATION = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(business day|working day|day|week|month|year|hour|minute)s?\s*$",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$")


@dataclass(frozen=True)
class Money:
    currency: str
    value: Decimal
    period: str | None = None

    def display(self) -> str:
        text = f"{self.currency} {self.value:,.2f}"
        return f"{text} per {self.period}" if self.period else text


@dataclass(frozen=True)
class Duration:
    count: Decimal
    unit: str  # singular: day, business day, week, month, year, hour, minute

    def as_days(self) -> Decimal:
        """Approximate length in days, for comparing durations of different units."""
        per_unit = {
            "minute": Decimal(1) / Decimal(1440),
            "hour": Decimal(1) / Decimal(24),
            "day": Decimal(1),
            "business day": Decimal("1.4"),
            "working day": Decimal("1.4"),
            "week": Decimal(7),
            "month": Decimal("30.4375"),
            "year": Decimal("365.25"),
        }
        return self.count * per_unit[self.unit]

    def after(self, start: dt.date) -> dt.date | None:
        """The date this duration ends when it starts on `start`; None for sub-day or fractional units."""
        if self.count != self.count.to_integral_value():
            return None
        n = int(self.count)
        steps = {
            "day": relativedelta(days=n),
            "week": relativedelta(weeks=n),
            "month": relativedelta(months=n),
            "year": relativedelta(years=n),
        }
        step = steps.get(self.unit)
        return start + step if step is not None else None


# Durations that are not a number and unit but still a term: "perpetual", "until terminated".
OPEN_ENDED = re.compile(r"perpetu|indefinite|until terminat|no fixed", re.IGNORECASE)


def parse_money(text: str | None) -> Money | None:
    """'EUR 48000.00', 'EUR 48,000.00' or 'EUR 5000.00 per month'; None when it is not that shape."""
    if not text:
        return None
    match = _MONEY.match(text)
    if not match:
        return None
    try:
        value = Decimal(match.group(2).replace(",", ""))
    except InvalidOperation:
        return None
    period = match.group(3).strip() if match.group(3) else None
    return Money(currency=match.group(1).upper(), value=value, period=period)


def format_money(currency: str, value: Decimal, period: str | None = None) -> str:
    return Money(currency=currency.upper(), value=value, period=period).display()


def parse_duration(text: str | None) -> Duration | None:
    """'2 years', '30 days', '1 hour'; None for anything else (e.g. 'until terminated', 'perpetual')."""
    if not text:
        return None
    match = _DURATION.match(text)
    if not match:
        return None
    return Duration(count=Decimal(match.group(1)), unit=match.group(2).lower())


def parse_percent(text: str | None) -> Decimal | None:
    """'99.9' or '99.9%' -> Decimal('99.9'); None when not a bare number."""
    if not text:
        return None
    match = _PERCENT.match(text)
    return Decimal(match.group(1)) if match else None


def format_percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def parse_iso_date(text: str | None) -> dt.date | None:
    """Strict YYYY-MM-DD; relative or ambiguous phrases ('next Friday', '03/04') give None."""
    if not text or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def format_clock(seconds: float) -> str:
    """Seconds from the start of a meeting as HH:MM:SS."""
    total = int(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def normalise_text(text: str) -> str:
    """Case- and whitespace-insensitive form used to compare free-text values."""
    return " ".join(text.casefold().split())
