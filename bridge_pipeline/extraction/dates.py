"""Resolves spoken date phrases ("by Friday", "next Tuesday", "June 12", "end of the month") to calendar dates.

Rules, relative to the reference date (the meeting's own day):
- a bare weekday ("Friday", "by Friday", "on Friday") is its next occurrence strictly after the
  reference day, so "by Friday" said on a Friday means the Friday a week later: a same-day deadline is
  said as "today", never as the weekday's name;
- "this <weekday>" is that day of the reference week (Monday to Sunday) unless it has passed, then as bare;
- "next <weekday>" is that day of the following week; "last <weekday>" the most recent one before;
- a day and month without a year ("June 12") is the occurrence closest to the reference date,
  so a deadline two weeks ahead and a date two weeks back both land in the right year;
- "end of the week" is the Friday of the reference week (the next Friday at a weekend),
  "end of the month / quarter / year" the last day of that period, "next week" its Monday,
  "in two weeks" and "two weeks from now" count from the reference day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from bridge_pipeline.extraction.spoken_numbers import NUMBER_PATTERN, parse_spoken_number
from bridge_pipeline.models import DateMention

_MONTHS = {
    "January": 1, "Jan": 1, "February": 2, "Feb": 2, "March": 3, "Mar": 3, "April": 4, "Apr": 4, "May": 5,
    "June": 6, "Jun": 6, "July": 7, "Jul": 7, "August": 8, "Aug": 8, "September": 9, "Sept": 9, "Sep": 9,
    "October": 10, "Oct": 10, "November": 11, "Nov": 11, "December": 12, "Dec": 12,
}
_WEEKDAYS = {name: number for number, name in enumerate(calendar.day_name)}

# Month names only count capitalised: "may", "march" and "sat" are ordinary words in lower case.
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s(?P<year>(?:19|20)\d\d))?"
_LEAD = r"(?:(?P<lead>by|on|until|till|before|due|from|to|for|after)\s+(?:the\s+)?)?"
_WEEKDAY = "(?i:(?P<weekday>" + "|".join(_WEEKDAYS) + "))"
_I = "(?i:{})"


def _ci(fragment: str) -> str:
    return _I.format(fragment)


_ORDINAL_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}
_NTH = "(?i:(?P<nth>" + "|".join(_ORDINAL_WORDS) + "))"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(_ci(_LEAD) + r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")),
    ("nth_weekday", re.compile(_ci(_LEAD + r"\b") + _NTH + r"\s+" + _WEEKDAY + _ci(r"\s+(?:of|in)\s+") + rf"{_MONTH}{_YEAR}\b")),
    ("month_ordinal", re.compile(_ci(_LEAD) + rf"\b{_MONTH}\s+(?:the\s+)?(?P<word>(?i:first|second|third)){_YEAR}\b")),
    ("ordinal_month", re.compile(_ci(_LEAD + r"\b") + r"(?P<word>(?i:first|second|third))\s+of\s+" + rf"{_MONTH}{_YEAR}\b")),
    # "Friday the 26th of February", "Friday, February 26": the weekday tells the year.
    ("weekday_day_month", re.compile(_ci(_LEAD) + r"\b" + _WEEKDAY + rf",?\s+(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}{_YEAR}\b")),
    ("weekday_month_day", re.compile(_ci(_LEAD) + r"\b" + _WEEKDAY + rf",?\s+{_MONTH}\s+(?:the\s+)?{_DAY}{_YEAR}(?![\d:])\b")),
    ("day_month", re.compile(_ci(_LEAD) + rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}{_YEAR}\b")),
    ("month_day", re.compile(_ci(_LEAD) + rf"\b{_MONTH}\s+(?:the\s+)?{_DAY}{_YEAR}(?![\d:])\b")),
    ("relative_weekday", re.compile(_ci(_LEAD + r"\b(?P<which>this|next|coming|last)\s+") + _WEEKDAY + r"\b")),
    ("weekday", re.compile(_ci(_LEAD) + r"\b" + _WEEKDAY + r"\b")),
    ("end_of", re.compile(_ci(_LEAD + r"\b(?:the\s+)?end\s+of\s+(?:the\s+)?(?P<which>this\s+|next\s+)?(?P<period>week|month|quarter|year)\b"))),
    ("start_of", re.compile(_ci(_LEAD + r"\b(?:the\s+)?(?:start|beginning)\s+of\s+(?P<which>next\s+)(?P<period>week|month|quarter|year)\b"))),
    ("next_period", re.compile(_ci(_LEAD + r"\bnext\s+(?P<period>week|month)\b"))),
    ("offset", re.compile(_ci(r"\b(?P<lead>in|within)\s+(?P<number>" + NUMBER_PATTERN + r")\s+(?P<unit>day|week|month)s?\b"))),
    ("offset_from_now", re.compile(_ci(r"\b(?P<number>" + NUMBER_PATTERN + r")\s+(?P<unit>day|week|month)s?\s+from\s+(?:now|today)\b"))),
    ("tomorrow", re.compile(_ci(_LEAD + r"\b(?P<word>the\s+day\s+after\s+tomorrow|tomorrow|today|tonight)\b"))),
]


# Every pattern above needs one of these; most sentences have none, and skipping them keeps extraction fast.
_HINT = re.compile(
    r"\d|\b(?i:tomorrow|today|tonight|end|start|beginning|(?:day|week|month|quarter|year)s?|"
    + "|".join(_WEEKDAYS) + r")\b|\b(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b"
)


def resolve_date_phrases(text: str, reference: dt.date) -> list[DateMention]:
    """Every date phrase in text that resolves to a day, in order of appearance (see module rules)."""
    return list(_resolve(text, reference))


# Several rules ask about the same sentence; remembering recent answers keeps extraction fast.
@lru_cache(maxsize=2048)
def _resolve(text: str, reference: dt.date) -> tuple[DateMention, ...]:
    if not _HINT.search(text):
        return ()
    found: list[tuple[int, DateMention]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            value = _RESOLVERS[kind](match, reference)
            if value is None:
                continue
            taken.append((match.start(), match.end()))
            found.append((match.start(), DateMention(value=value, text=match.group(0).strip())))
    return tuple(mention for _, mention in sorted(found, key=lambda item: item[0]))


def _iso(match: re.Match[str], reference: dt.date) -> dt.date | None:
    return _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))


def _calendar_day(match: re.Match[str], reference: dt.date) -> dt.date | None:
    month = _MONTHS[match["month"]]
    day = int(match["day"])
    if match["year"]:
        return _safe_date(int(match["year"]), month, day)
    candidates = [d for year in (reference.year - 1, reference.year, reference.year + 1)
                  if (d := _safe_date(year, month, day)) is not None]
    if not candidates:
        return None
    # Closest to the meeting; on a tie the future wins, deadlines being the usual reason to name a day.
    return min(candidates, key=lambda d: (abs((d - reference).days), d < reference))


def _weekday_calendar_day(match: re.Match[str], reference: dt.date) -> dt.date | None:
    """The day and month in the nearest year (up to three ahead) where it falls on the weekday said."""
    weekday = _WEEKDAYS[match["weekday"].capitalize()]
    if match["year"]:
        return _safe_date(int(match["year"]), _MONTHS[match["month"]], int(match["day"]))
    candidates = [d for year in range(reference.year - 1, reference.year + 4)
                  if (d := _safe_date(year, _MONTHS[match["month"]], int(match["day"]))) is not None and d.weekday() == weekday]
    if not candidates:
        return _calendar_day(match, reference)
    return min(candidates, key=lambda d: (abs((d - reference).days), d < reference))


def _month_ordinal(match: re.Match[str], reference: dt.date) -> dt.date | None:
    """"March first", "the third of May": the day said as an ordinal word, read like "March 1"."""
    day = _ORDINAL_WORDS[match["word"].lower()]
    return _closest_year(reference, lambda year: _safe_date(year, _MONTHS[match["month"]], day), match["year"])


def _nth_weekday(match: re.Match[str], reference: dt.date) -> dt.date | None:
    """"The first Monday of November": that weekday of the month, in the year closest to the meeting."""
    weekday, nth = _WEEKDAYS[match["weekday"].capitalize()], _ORDINAL_WORDS[match["nth"].lower()]
    month = _MONTHS[match["month"]]

    def in_year(year: int) -> dt.date | None:
        days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1) if dt.date(year, month, d).weekday() == weekday]
        return dt.date(year, month, days[nth - 1] if nth > 0 else days[-1])

    return _closest_year(reference, in_year, match["year"])


def _closest_year(reference: dt.date, on: Callable[[int], dt.date | None], year: str | None) -> dt.date | None:
    if year:
        return on(int(year))
    candidates = [d for y in (reference.year - 1, reference.year, reference.year + 1) if (d := on(y)) is not None]
    return min(candidates, key=lambda d: (abs((d - reference).days), d < reference)) if candidates else None


def _weekday(match: re.Match[str], reference: dt.date) -> dt.date:
    return _next_weekday_after(reference, _WEEKDAYS[match["weekday"].capitalize()])


def _relative_weekday(match: re.Match[str], reference: dt.date) -> dt.date:
    weekday = _WEEKDAYS[match["weekday"].capitalize()]
    which = match["which"].lower()
    monday = reference - dt.timedelta(days=reference.weekday())
    if which == "next":
        return monday + dt.timedelta(days=7 + weekday)
    if which == "last":
        days_back = (reference.weekday() - weekday) % 7 or 7
        return reference - dt.timedelta(days=days_back)
    this_week = monday + dt.timedelta(days=weekday)
    return this_week if this_week > reference else _next_weekday_after(reference, weekday)


def _end_of(match: re.Match[str], reference: dt.date) -> dt.date:
    period = match["period"].lower()
    is_next = bool(match["which"]) and match["which"].strip().lower() == "next"
    if period == "week":
        friday = reference - dt.timedelta(days=reference.weekday()) + dt.timedelta(days=4)
        if reference > friday:
            friday += dt.timedelta(days=7)
        return friday + dt.timedelta(days=7 if is_next else 0)
    if period == "month":
        anchor = reference + relativedelta(months=1 if is_next else 0)
        return anchor.replace(day=calendar.monthrange(anchor.year, anchor.month)[1])
    if period == "quarter":
        anchor = reference + relativedelta(months=3 if is_next else 0)
        last_month = ((anchor.month - 1) // 3 + 1) * 3
        return dt.date(anchor.year, last_month, calendar.monthrange(anchor.year, last_month)[1])
    return dt.date(reference.year + (1 if is_next else 0), 12, 31)


def _start_of(match: re.Match[str], reference: dt.date) -> dt.date:
    period = match["period"].lower()
    if period == "week":
        return reference - dt.timedelta(days=reference.weekday()) + dt.timedelta(days=7)
    if period == "month":
        return (reference + relativedelta(months=1)).replace(day=1)
    if period == "quarter":
        first_month = ((reference.month - 1) // 3) * 3 + 1
        return dt.date(reference.year, first_month, 1) + relativedelta(months=3)
    return dt.date(reference.year + 1, 1, 1)


def _next_period(match: re.Match[str], reference: dt.date) -> dt.date:
    if match["period"].lower() == "week":
        return reference - dt.timedelta(days=reference.weekday()) + dt.timedelta(days=7)
    return (reference + relativedelta(months=1)).replace(day=1)


def _offset(match: re.Match[str], reference: dt.date) -> dt.date | None:
    number = parse_spoken_number(match["number"])
    if number is None or number != number.to_integral_value():
        return None
    count = int(number)
    unit = match["unit"].lower()
    if unit == "day":
        return reference + dt.timedelta(days=count)
    if unit == "week":
        return reference + dt.timedelta(weeks=count)
    return reference + relativedelta(months=count)


def _tomorrow(match: re.Match[str], reference: dt.date) -> dt.date:
    word = " ".join(match["word"].lower().split())
    if word == "the day after tomorrow":
        return reference + dt.timedelta(days=2)
    return reference + dt.timedelta(days=1 if word == "tomorrow" else 0)


def _next_weekday_after(reference: dt.date, weekday: int) -> dt.date:
    return reference + dt.timedelta(days=(weekday - reference.weekday()) % 7 or 7)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_RESOLVERS: dict[str, Callable[[re.Match[str], dt.date], dt.date | None]] = {
    "iso": _iso,
    "nth_weekday": _nth_weekday,
    "month_ordinal": _month_ordinal,
    "ordinal_month": _month_ordinal,
    "weekday_day_month": _weekday_calendar_day,
    "weekday_month_day": _weekday_calendar_day,
    "day_month": _calendar_day,
    "month_day": _calendar_day,
    "relative_weekday": _relative_weekday,
    "weekday": _weekday,
    "end_of": _end_of,
    "start_of": _start_of,
    "next_period": _next_period,
    "offset": _offset,
    "offset_from_now": _offset,
    "tomorrow": _tomorrow,
}
