import datetime as dt

import pytest

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.sources.days import day_bounds_utc, local_day, zone_named

UTC = dt.timezone.utc


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
