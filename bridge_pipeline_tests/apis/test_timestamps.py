import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bridge_pipeline.apis.timestamps import format_api_datetime, parse_api_datetime

UTC = dt.timezone.utc


def test_graph_timestamps_with_seven_fractional_digits_are_read():
    assert parse_api_datetime("2023-12-02T06:59:34.7411768Z") == dt.datetime(2023, 12, 2, 6, 59, 34, 741176, tzinfo=UTC)


def test_offsets_are_converted_to_utc_and_naive_times_read_as_utc():
    assert parse_api_datetime("2026-05-14T10:00:00+02:00") == dt.datetime(2026, 5, 14, 8, tzinfo=UTC)
    assert parse_api_datetime("2026-05-14T10:00:00") == dt.datetime(2026, 5, 14, 10, tzinfo=UTC)


def test_api_format_has_exactly_one_z_suffix():
    berlin = ZoneInfo("Europe/Berlin")
    assert format_api_datetime(dt.datetime(2026, 5, 14, 2, 0, tzinfo=berlin)) == "2026-05-14T00:00:00Z"
    with pytest.raises(ValueError):
        format_api_datetime(dt.datetime(2026, 5, 14))
