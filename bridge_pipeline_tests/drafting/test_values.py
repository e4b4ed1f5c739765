"""Normalised term values parse back and display the way the cover page shows them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bridge_pipeline.drafting.values import (
    format_clock,
    format_money,
    parse_duration,
    parse_iso_date,
    parse_money,
    parse_percent,
)


def test_money_displays_with_currency_code_thousands_and_cents():
    assert format_money("eur", Decimal("48000")) == "EUR 48,000.00"
    assert parse_money("EUR 48000.00").display() == "EUR 48,000.00"


def test_recurring_money_keeps_its_period():
    money = parse_money("USD 5000.00 per month")
    assert (money.currency, money.value, money.period) == ("USD", Decimal("5000.00"), "month")
    assert money.display() == "USD 5,000.00 per month"


@pytest.mark.parametrize("text", ["48000", "€48,000", "forty-eight thousand", "", None])
def test_money_without_an_iso_code_does_not_parse(text):
    assert parse_money(text) is None


@pytest.mark.parametrize(
    "text, days",
    [("30 days", Decimal(30)), ("2 years", Decimal("730.50")), ("1 week", Decimal(7)), ("6 Months", Decimal("182.6250"))],
)
def test_durations_parse_to_comparable_lengths(text, days):
    assert parse_duration(text).as_days() == days


def test_duration_end_date_follows_the_calendar():
    assert parse_duration("6 months").after(dt.date(2026, 8, 31)) == dt.date(2027, 2, 28)
    assert parse_duration("4 hours").after(dt.date(2026, 1, 1)) is None


@pytest.mark.parametrize("text", ["until terminated", "perpetual", "a while"])
def test_open_ended_or_vague_durations_do_not_parse(text):
    assert parse_duration(text) is None


def test_percent_accepts_bare_number_or_sign():
    assert parse_percent("99.9") == parse_percent("99.9 %") == Decimal("99.9")
    assert parse_percent("three nines") is None


@pytest.mark.parametrize("text", ["next Friday", "03/04/2026", "2026-02-30", "2026-3-9"])
def test_only_real_iso_dates_parse(text):
    assert parse_iso_date(text) is None


def test_iso_date_parses_and_clock_formats_seconds():
    assert parse_iso_date("2026-03-09") == dt.date(2026, 3, 9)
    assert format_clock(751.9) == "00:12:31"
    assert format_clock(3 * 3600 + 5) == "03:00:05"
