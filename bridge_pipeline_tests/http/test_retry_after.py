import datetime as dt

import pytest

from bridge_pipeline.http.retry_after import parse_retry_after

NOW = dt.datetime(2026, 5, 14, 12, 0, 0, tzinfo=dt.timezone.utc)


def test_integer_seconds_are_read_as_a_wait():
    assert parse_retry_after("7", NOW).seconds == 7.0


def test_fractional_seconds_from_graph_are_kept():
    assert parse_retry_after("2.128", NOW).seconds == pytest.approx(2.128)


def test_http_date_is_a_wait_until_that_instant():
    wait = parse_retry_after("Thu, 14 May 2026 12:00:30 GMT", NOW)
    assert wait.seconds == pytest.approx(30.0)
    assert wait.at == NOW + dt.timedelta(seconds=30)


def test_zoom_daily_limit_iso_datetime_is_a_wait_until_midnight():
    wait = parse_retry_after("2026-05-15T00:00:00Z", NOW)
    assert wait.seconds == pytest.approx(12 * 3600)
    assert wait.at == dt.datetime(2026, 5, 15, tzinfo=dt.timezone.utc)


def test_iso_datetime_with_offset_is_converted():
    assert parse_retry_after("2026-05-14T14:00:10+02:00", NOW).seconds == pytest.approx(10.0)


def test_iso_datetime_without_zone_is_read_as_utc():
    assert parse_retry_after("2026-05-14T12:01:00", NOW).seconds == pytest.approx(60.0)


def test_instants_in_the_past_and_negative_numbers_mean_no_wait():
    assert parse_retry_after("2026-05-14T11:00:00Z", NOW).seconds == 0.0
    assert parse_retry_after("-3", NOW).seconds == 0.0


@pytest.mark.parametrize("value", [None, "", "  ", "soon", "nan", "inf"])
def test_missing_or_unreadable_values_give_none(value):
    assert parse_retry_after(value, NOW) is None
