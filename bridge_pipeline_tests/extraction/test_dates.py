import datetime as dt

import pytest

from bridge_pipeline.extraction.dates import resolve_date_phrases

THURSDAY = dt.date(2026, 5, 14)
FRIDAY = dt.date(2026, 5, 15)


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("I will send it by Friday.", "2026-05-15"),
        ("let's meet next Tuesday", "2026-05-19"),
        ("on Tuesday", "2026-05-19"),
        ("this Friday", "2026-05-15"),
        ("the report by June 12", "2026-06-12"),
        ("by June 12th", "2026-06-12"),
        ("on 12 June 2026", "2026-06-12"),
        ("the 12th of June", "2026-06-12"),
        ("due 2026-06-12", "2026-06-12"),
        ("by the end of the month", "2026-05-31"),
        ("by the end of next month", "2026-06-30"),
        ("end of the week", "2026-05-15"),
        ("in two weeks", "2026-05-28"),
        ("two weeks from today", "2026-05-28"),
        ("tomorrow", "2026-05-15"),
        ("today", "2026-05-14"),
        ("next week", "2026-05-18"),
        ("last Monday", "2026-05-11"),
    ],
)
def test_date_phrase_resolves_against_the_meeting_day(phrase, expected):
    [mention] = resolve_date_phrases(phrase, THURSDAY)
    assert mention.value.isoformat() == expected


def test_by_friday_said_on_a_friday_means_the_friday_a_week_later():
    [mention] = resolve_date_phrases("I'll have it by Friday.", FRIDAY)
    assert mention.value == dt.date(2026, 5, 22)
    assert mention.text == "by Friday"


def test_day_without_year_takes_the_occurrence_closest_to_the_meeting():
    new_year_meeting = dt.date(2026, 1, 5)
    [back] = resolve_date_phrases("since December 20", new_year_meeting)
    [ahead] = resolve_date_phrases("by January 20", new_year_meeting)
    assert back.value == dt.date(2025, 12, 20)
    assert ahead.value == dt.date(2026, 1, 20)


def test_date_change_yields_both_dates_in_order():
    mentions = resolve_date_phrases("The model moves from July 10 to July 17.", THURSDAY)
    assert [m.value for m in mentions] == [dt.date(2026, 7, 10), dt.date(2026, 7, 17)]


def test_lower_case_month_words_are_not_dates():
    assert resolve_date_phrases("may I ask, can we march on", THURSDAY) == []


def test_impossible_calendar_day_is_skipped():
    assert resolve_date_phrases("by February 30", THURSDAY) == []


def test_a_weekday_said_with_the_date_picks_the_year_it_falls_on():
    october_meeting = dt.date(2026, 10, 13)
    # 30 April is a Thursday in 2026 and a Friday in 2027; without the weekday the closer April wins.
    [with_weekday] = resolve_date_phrases("go-live on Friday the 30th of April", october_meeting)
    [without] = resolve_date_phrases("go-live on the 30th of April", october_meeting)
    assert with_weekday.value == dt.date(2027, 4, 30)
    assert without.value == dt.date(2026, 4, 30)
    [us_order] = resolve_date_phrases("Friday, February 26", october_meeting)
    assert us_order.value == dt.date(2027, 2, 26)
