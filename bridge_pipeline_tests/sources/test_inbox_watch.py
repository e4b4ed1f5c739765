"""Watching the inbox without Dagster: the listing, the settle rule, digests, deletions and the cursor."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.sources.inbox import (
    UNREADABLE,
    InboxCursor,
    InboxFile,
    InboxSource,
    InboxWatchSettings,
    WatchedFile,
    advance_inbox,
    inbox_watch_settings,
    list_day_files,
    watch_inbox,
)

UTC = dt.timezone.utc
DAY = dt.date(2026, 5, 14)
T0 = dt.datetime(2026, 5, 14, 9, 0, tzinfo=UTC)
FROM_DAY = DAY - dt.timedelta(days=7)


def at(seconds: int) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def file(name: str, size: int = 10, mtime_ns: int = 1, day: dt.date = DAY) -> InboxFile:
    return InboxFile(f"{day.isoformat()}/{name}", day, size, mtime_ns)


def poll(cursor: InboxCursor, listing, seconds: int, *, digests=None, partitions=lambda day: True, settled_after_s=None):
    """One poll; files are complete only once two polls agree unless `settled_after_s` is given."""
    digests = digests or {}
    return advance_inbox(
        cursor,
        listing,
        now=at(seconds),
        from_day=FROM_DAY,
        is_partition=partitions,
        digest_of=lambda f: digests.get(f.path, f"sha-{f.size}-{f.mtime_ns}"),
        settled_after_s=settled_after_s,
    )


def ns_at(seconds: float) -> int:
    return int(at(0).timestamp() * 1e9 + seconds * 1e9)


def test_a_file_untouched_for_the_settle_time_is_requested_at_first_sight():
    copied = poll(InboxCursor(), [file("a.vtt", 10, ns_at(-2))], 0, settled_after_s=2)
    assert copied.requested == {DAY: at(0)}
    assert copied.cursor.files["2026-05-14/a.vtt"].status == "ready"

    # Written a second before the poll: it may still be growing, so it waits for the next poll.
    fresh = poll(InboxCursor(), [file("b.vtt", 10, ns_at(-1))], 0, settled_after_s=2)
    assert fresh.requested == {} and fresh.cursor.files["2026-05-14/b.vtt"].status == "pending"
    # A modification time ahead of the poll's clock is never taken as settled.
    ahead = poll(InboxCursor(), [file("c.vtt", 10, ns_at(60))], 0, settled_after_s=2)
    assert ahead.requested == {}

    # A settled file whose content changed since it was requested is requested again at first sight too.
    changed = poll(copied.cursor, [file("a.vtt", 12, ns_at(3))], 5, settled_after_s=2)
    assert changed.requested == {DAY: at(5)} and changed.changed == ("2026-05-14/a.vtt",)


def test_a_new_file_waits_one_poll_and_is_then_requested_with_the_time_first_seen():
    first = poll(InboxCursor(), [file("a.vtt")], 0)
    second = poll(first.cursor, [file("a.vtt")], 5)

    assert first.requested == {} and first.cursor.files["2026-05-14/a.vtt"].status == "pending"
    assert second.requested == {DAY: at(0)}
    assert second.changed == ("2026-05-14/a.vtt",)
    assert second.cursor.files["2026-05-14/a.vtt"] == WatchedFile("ready", at(0), 10, 1, "sha-10-1")


def test_a_growing_file_is_requested_once_two_polls_see_the_same_size_and_time():
    a = poll(InboxCursor(), [file("a.vtt", 10, 1)], 0)
    b = poll(a.cursor, [file("a.vtt", 20, 2)], 5)
    c = poll(b.cursor, [file("a.vtt", 20, 2)], 10)

    assert a.requested == b.requested == {}
    assert c.requested == {DAY: at(5)}  # the poll that first saw its final size


def test_an_empty_file_waits_for_content():
    a = poll(InboxCursor(), [file("a.vtt", 0)], 0)
    b = poll(a.cursor, [file("a.vtt", 0)], 5)
    c = poll(b.cursor, [file("a.vtt", 0)], 10)
    assert a.requested == b.requested == c.requested == {}
    assert c.cursor.files["2026-05-14/a.vtt"].status == "pending"


def test_changed_content_is_requested_again_and_a_touch_is_not():
    ready = poll(poll(InboxCursor(), [file("a.vtt")], 0).cursor, [file("a.vtt")], 5).cursor

    edited = [file("a.vtt", 10, 2)]
    pending = poll(ready, edited, 10, digests={"2026-05-14/a.vtt": "sha-new"})
    again = poll(pending.cursor, edited, 15, digests={"2026-05-14/a.vtt": "sha-new"})
    assert pending.requested == {} and again.requested == {DAY: at(10)}

    touched = [file("a.vtt", 10, 3)]
    pending = poll(again.cursor, touched, 20, digests={"2026-05-14/a.vtt": "sha-new"})
    settled = poll(pending.cursor, touched, 25, digests={"2026-05-14/a.vtt": "sha-new"})
    assert pending.requested == settled.requested == {}
    assert settled.cursor.files["2026-05-14/a.vtt"].status == "ready"


def test_one_request_per_day_from_its_earliest_new_file():
    other = DAY + dt.timedelta(days=1)
    a = poll(InboxCursor(), [file("a.vtt")], 0)
    b = poll(a.cursor, [file("a.vtt"), file("b.vtt"), file("c.vtt", day=other)], 5)
    c = poll(b.cursor, [file("a.vtt"), file("b.vtt"), file("c.vtt", day=other)], 10)

    assert b.requested == {DAY: at(0)}
    assert c.requested == {DAY: at(5), other: at(5)}


def test_a_file_changed_while_read_is_looked_at_again():
    a = poll(InboxCursor(), [file("a.vtt")], 0)
    b = advance_inbox(a.cursor, [file("a.vtt")], now=at(5), from_day=FROM_DAY, is_partition=lambda d: True,
                      digest_of=lambda f: None)
    assert b.requested == {} and b.cursor.files["2026-05-14/a.vtt"].since == at(5)


def test_an_unreadable_complete_file_requests_its_day_once_so_the_run_reports_it():
    digests = {"2026-05-14/a.vtt": UNREADABLE}
    a = poll(InboxCursor(), [file("a.vtt")], 0, digests=digests)
    b = poll(a.cursor, [file("a.vtt")], 5, digests=digests)
    c = poll(b.cursor, [file("a.vtt")], 10, digests=digests)
    assert b.requested == {DAY: at(0)} and b.problems
    assert c.requested == {} and not c.problems


def test_a_deleted_file_asks_for_nothing_is_kept_and_is_named_when_its_day_runs_again():
    ready = poll(poll(InboxCursor(), [file("a.vtt")], 0).cursor, [file("a.vtt")], 5).cursor

    gone = poll(ready, [], 10)
    assert gone.requested == {} and gone.deleted == ("2026-05-14/a.vtt",)
    assert gone.cursor.files["2026-05-14/a.vtt"] == WatchedFile("deleted", at(10), digest="sha-10-1")

    quiet = poll(gone.cursor, [], 15)
    assert quiet.requested == {} and quiet.deleted == () and "2026-05-14/a.vtt" in quiet.cursor.files

    b = poll(quiet.cursor, [file("b.vtt")], 20)
    runs = poll(b.cursor, [file("b.vtt")], 25)
    assert runs.requested == {DAY: at(20)}
    assert runs.removed_by_request == ("2026-05-14/a.vtt",)
    assert "2026-05-14/a.vtt" not in runs.cursor.files


def test_a_deleted_file_put_back_unchanged_asks_for_nothing():
    ready = poll(poll(InboxCursor(), [file("a.vtt")], 0).cursor, [file("a.vtt")], 5).cursor
    gone = poll(ready, [], 10).cursor
    back = poll(gone, [file("a.vtt")], 15)
    settled = poll(back.cursor, [file("a.vtt")], 20)
    assert back.requested == settled.requested == {}
    assert settled.cursor.files["2026-05-14/a.vtt"].status == "ready"


def test_a_file_removed_before_it_was_requested_is_forgotten():
    pending = poll(InboxCursor(), [file("a.vtt")], 0).cursor
    gone = poll(pending, [], 5)
    assert gone.deleted == () and gone.cursor.files == {}


def test_a_day_outside_the_partitions_is_held_reported_once_and_requested_when_it_is_one():
    def not_yet(day):
        return False

    a = poll(InboxCursor(), [file("a.vtt")], 0, partitions=not_yet)
    b = poll(a.cursor, [file("a.vtt")], 5, partitions=not_yet)
    c = poll(b.cursor, [file("a.vtt")], 10, partitions=not_yet)
    d = poll(c.cursor, [file("a.vtt")], 15)

    assert b.requested == {} and b.held == ("2026-05-14/a.vtt",)
    assert c.requested == {} and c.held == ()
    assert d.requested == {DAY: at(0)}


def test_entries_of_days_that_left_the_look_back_window_are_dropped_not_deleted():
    old = FROM_DAY - dt.timedelta(days=1)
    cursor = InboxCursor({f"{old.isoformat()}/a.vtt": WatchedFile("ready", at(0), 10, 1, "sha")})
    result = poll(cursor, [], 5)
    assert result.cursor.files == {} and result.deleted == ()


def test_the_cursor_round_trips_through_json_and_a_bad_one_starts_afresh():
    cursor = poll(poll(InboxCursor(), [file("a.vtt"), file("b.vtt", 3)], 0).cursor, [file("a.vtt")], 5).cursor
    again, problem = InboxCursor.from_json(cursor.to_json())
    assert again == cursor and problem is None
    assert InboxCursor.from_json(None) == (InboxCursor(), None)
    fresh, problem = InboxCursor.from_json('{"version": 99}')
    assert fresh == InboxCursor() and "could not be read" in problem


def test_the_listing_skips_hidden_partial_misplaced_and_nested_entries(tmp_path):
    day = tmp_path / "2026-05-14"
    (day / "nested").mkdir(parents=True)
    for name in ("a.vtt", "a.meta.json", ".a.vtt.swp", "b.vtt.part", "c.TMP", "d.vtt.crdownload"):
        (day / name).write_text("x")
    (day / "nested" / "e.vtt").write_text("x")
    (tmp_path / "2026-5-15").mkdir()
    (tmp_path / "2026-5-15" / "f.vtt").write_text("x")
    (tmp_path / "loose.vtt").write_text("x")
    (tmp_path / "2026-05-01").mkdir()
    (tmp_path / "2026-05-01" / "old.vtt").write_text("x")

    listed = list_day_files(tmp_path, from_day=dt.date(2026, 5, 7))

    assert [f.path for f in listed] == ["2026-05-14/a.meta.json", "2026-05-14/a.vtt"]
    assert listed[1].size == 1 and listed[1].day == DAY
    assert list_day_files(tmp_path / "missing") == ()


def test_the_day_scan_ignores_files_still_being_copied_in(tmp_path):
    (tmp_path / "2026-05-14").mkdir()
    (tmp_path / "2026-05-14" / "call.vtt.part").write_text("WEBVTT\n")
    scan = InboxSource(tmp_path).recordings_for_day(DAY, "UTC")
    assert scan.recordings == () and scan.problems == ()


def test_watch_inbox_reads_real_files_and_digests_their_content(tmp_path):
    folder = tmp_path / "2026-05-14"
    folder.mkdir()
    (folder / "a.vtt").write_text("WEBVTT\n")
    first = watch_inbox(tmp_path, None, now=at(0), timezone="UTC", is_partition=lambda d: True)
    second = watch_inbox(tmp_path, first.cursor.to_json(), now=at(5), timezone="UTC", is_partition=lambda d: True)
    assert second.requested == {DAY: at(0)}

    # Same size and a new time, other bytes: a changed transcript. Its time is long before the poll, so
    # nothing is writing it any more and the first poll that sees it requests it.
    (folder / "a.vtt").write_text("WEBVTX\n")
    os.utime(folder / "a.vtt", ns=(2_000_000_000, 2_000_000_000))
    third = watch_inbox(tmp_path, second.cursor.to_json(), now=at(10), timezone="UTC", is_partition=lambda d: True)
    assert third.requested == {DAY: at(10)}
    assert third.cursor.files["2026-05-14/a.vtt"].digest != second.cursor.files["2026-05-14/a.vtt"].digest


def test_settings_come_from_the_environment_given():
    assert inbox_watch_settings({}) == InboxWatchSettings(poll_seconds=5, lookback_days=7)
    assert inbox_watch_settings({"BRIDGE_INBOX_POLL_SECONDS": " 2 ", "BRIDGE_INBOX_LOOKBACK_DAYS": "0"}) == (
        InboxWatchSettings(poll_seconds=2, lookback_days=0)
    )
    with pytest.raises(ConfigurationError, match="BRIDGE_INBOX_POLL_SECONDS"):
        inbox_watch_settings({"BRIDGE_INBOX_POLL_SECONDS": "0"})
    with pytest.raises(ConfigurationError, match="whole number"):
        inbox_watch_settings({"BRIDGE_INBOX_LOOKBACK_DAYS": "a week"})


def test_a_poll_waits_for_a_fresh_file_only_as_long_as_it_is_allowed_to(tmp_path):
    folder = tmp_path / "2026-05-14"
    folder.mkdir()
    (folder / "a.vtt").write_text("WEBVTT\n")
    written = at(0).timestamp() - 0.5
    os.utime(folder / "a.vtt", (written, written))
    waits: list[float] = []

    short = watch_inbox(tmp_path, None, now=at(0), timezone="UTC", is_partition=lambda d: True,
                        settle_wait_s=1.0, sleep=waits.append)
    assert waits == [] and short.requested == {}

    long_enough = watch_inbox(tmp_path, None, now=at(0), timezone="UTC", is_partition=lambda d: True,
                              settle_wait_s=2.0, sleep=waits.append)
    assert waits == [1.5] and long_enough.requested == {DAY: at(0)}
