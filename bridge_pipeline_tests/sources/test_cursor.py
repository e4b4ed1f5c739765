import datetime as dt

from bridge_pipeline.http.errors import AuthFailedError, SourceConfigurationError
from bridge_pipeline.sources.cursor import (
    Observation,
    PollCursor,
    ScopeCursor,
    advance_scope,
    poll_scopes,
    window_start,
)

import pytest

UTC = dt.timezone.utc
LOOKBACK = dt.timedelta(hours=24)
MAX_PENDING = dt.timedelta(hours=12)
NOW = dt.datetime(2026, 5, 14, 12, 0, tzinfo=UTC)
MAY_13, MAY_14 = dt.date(2026, 5, 13), dt.date(2026, 5, 14)


def observe(key, hours_ago, day=MAY_14, ready=True):
    return Observation(key, NOW - dt.timedelta(hours=hours_ago), day, ready)


def advance(state, observations, now=NOW):
    return advance_scope(state, observations, now=now, lookback=LOOKBACK, max_pending_age=MAX_PENDING)


def test_first_poll_reports_the_days_of_everything_listed():
    days, state = advance(None, [observe("a", 2), observe("b", 20, MAY_13)])
    assert days == {MAY_13, MAY_14}
    assert state.high_water == NOW - dt.timedelta(hours=2)
    assert state.listed_until == NOW
    assert len(state.seen) == 2


def test_artifacts_already_seen_are_not_reported_again():
    _, state = advance(None, [observe("a", 2)])
    days, _ = advance(state, [observe("a", 2)], now=NOW + dt.timedelta(minutes=5))
    assert days == set()


def test_late_transcript_dated_before_the_high_water_mark_is_still_found():
    _, state = advance(None, [observe("a", 1)])
    # Listed only now, but dated three hours back: inside the look-back window.
    days, state = advance(state, [observe("a", 1), observe("late", 3, MAY_13)], now=NOW + dt.timedelta(hours=1))
    assert days == {MAY_13}
    assert "late" not in str(state)  # keys are stored as digests only


def test_the_next_window_starts_one_look_back_before_the_last_successful_listing():
    _, state = advance(None, [observe("a", 1)])
    assert window_start(state, NOW + dt.timedelta(hours=1), LOOKBACK) == NOW - LOOKBACK
    assert window_start(None, NOW, LOOKBACK) == NOW - LOOKBACK


def test_pending_artifact_is_reported_once_ready_and_widens_the_window_until_then():
    _, state = advance(None, [observe("slow", 30, MAY_13, ready=False)], now=NOW)
    assert state.pending and not state.seen
    later = NOW + dt.timedelta(hours=3)
    assert window_start(state, later, LOOKBACK) == NOW - dt.timedelta(hours=30)
    days, state = advance(state, [observe("slow", 30, MAY_13, ready=False)], now=later)
    assert days == set()
    days, state = advance(state, [observe("slow", 30, MAY_13, ready=True)], now=later + dt.timedelta(hours=1))
    assert days == {MAY_13}
    assert not state.pending


def test_pending_artifact_is_reported_anyway_after_the_maximum_wait():
    _, state = advance(None, [observe("stuck", 1, ready=False)])
    days, state = advance(state, [observe("stuck", 1, ready=False)], now=NOW + MAX_PENDING)
    assert days == {MAY_14}
    assert not state.pending


def test_seen_digests_are_pruned_to_the_look_back_window():
    _, state = advance(None, [observe(f"m{n}", n) for n in range(0, 40, 2)])
    assert all(at >= NOW - LOOKBACK for at in state.seen.values())
    assert len(state.seen) == 13  # 0, 2, ..., 24 hours ago


def test_pruned_artifacts_below_the_old_window_are_not_reported_again():
    _, state = advance(None, [observe("old", 23)])
    later = NOW + dt.timedelta(hours=5)
    # Zoom lists whole UTC dates, so "old" can come back although it is below the window now.
    days, state = advance(state, [observe("old", 23)], now=later)
    days, _ = advance(state, [observe("old", 23)], now=later + dt.timedelta(hours=1))
    assert days == set()


def test_cursor_round_trips_through_json():
    _, state = advance(None, [observe("a", 1), observe("p", 2, ready=False)])
    cursor = PollCursor({"organizer-1": state})
    assert PollCursor.from_json(cursor.to_json()) == cursor


def test_unreadable_cursor_starts_afresh():
    assert PollCursor.from_json("not json") == PollCursor()
    assert PollCursor.from_json('{"version": 99, "scopes": {}}') == PollCursor()
    assert PollCursor.from_json(None) == PollCursor()


def test_a_failing_scope_keeps_its_state_and_is_reported():
    good_state = ScopeCursor(listed_until=NOW - dt.timedelta(hours=1))
    old = PollCursor({"bad": good_state})

    def list_scope(scope, start, state):
        if scope == "bad":
            raise SourceConfigurationError("teams", "organizer bad: 403")
        return [observe("x", 1)]

    result = poll_scopes(old, ["good", "bad"], list_scope, now=NOW, lookback=LOOKBACK, max_pending_age=MAX_PENDING)
    assert result.changed_days == (MAY_14,)
    assert result.cursor.scopes["bad"] == good_state
    assert "organizer bad: 403" in result.problems[0]


def test_a_scope_failing_on_its_first_poll_remembers_where_its_window_starts():
    def list_scope(scope, start, state):
        raise SourceConfigurationError("teams", "403")

    result = poll_scopes(PollCursor(), ["new"], list_scope, now=NOW, lookback=LOOKBACK, max_pending_age=MAX_PENDING)
    later = NOW + dt.timedelta(days=7)
    assert window_start(result.cursor.scopes["new"], later, LOOKBACK) == NOW - LOOKBACK


def test_authentication_failure_is_raised_not_swallowed():
    def list_scope(scope, start, state):
        raise AuthFailedError("zoom", "bad secret")

    with pytest.raises(AuthFailedError):
        poll_scopes(PollCursor(), ["u"], list_scope, now=NOW, lookback=LOOKBACK, max_pending_age=MAX_PENDING)


def test_removed_scopes_are_dropped_from_the_cursor():
    old = PollCursor({"gone": ScopeCursor(listed_until=NOW)})
    result = poll_scopes(old, ["kept"], lambda *_: [], now=NOW, lookback=LOOKBACK, max_pending_age=MAX_PENDING)
    assert set(result.cursor.scopes) == {"kept"}
