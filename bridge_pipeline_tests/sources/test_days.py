import datetime as dt

import pytest

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.sources.days import (
    day_bounds_utc,
    format_api_datetime,
    local_day,
    parse_api_datetime,
    zone_named,
)

UTC = dt.timezone.utc


def test_graph_timestamps_with_seven_fractional_digits_are_read():
    assert parse_api_datetime("2023-12-02T06:59:34.7411768Z") == dt.datetime(2023, 12, 2, 6, 59, 34, 741176, tzinfo=UTC)


def test_offsets_are_converted_to_utc_and_naive_times_read_as_utc():
    assert parse_api_datetime("2026-05-14T10:00:00+02:00") == dt.datetime(2026, 5, 14, 8, tzinfo=UTC)
    assert parse_api_datetime("2026-05-14T10:00:00") == dt.datetime(2026, 5, 14, 10, tzinfo=UTC)


def test_api_format_has_exactly_one_z_suffix():
    berlin = zone_named("Europe/Berlin")
    assert format_api_datetime(dt.datetime(2026, 5, 14, 2, 0, tzinfo=berlin)) == "2026-05-14T00:00:00Z"
    with pytest.raises(ValueError):
        format_api_datetime(dt.datetime(2026, 5, 14))


def test_day_bounds_follow_the_timezone_including_dst_changes():
    berlin = zone_named("Europe/Berlin")
    start, end = day_bounds_utc(dt.date(2026, 3, 29), berlin)  # clocks go forward: a 23-hour day
    assert start == dt.datetime(2026, 3, 28, 23, tzinfo=UTC)
    assert end - start == dt.timedelta(hours=23)


def test_a_late_evening_utc_meeting_is_the_next_day_further_east():
    instant = dt.datetime(2026, 5, 14, 23, 30, tzinfo=UTC)
    assert local_day(instant, zone_named("UTC")) == dt.date(2026, 5, 14)
    assert local_day(instant, zone_named("Europe/Berlin")) == dt.date(2026, 5, 15)


def test_unknown_timezone_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="Mars/Olympus"):
        zone_named("Mars/Olympus")
