"""The inbox sensor, tick by tick: what it requests, how it tags the runs, and the cursor it keeps."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from dagster import DefaultSensorStatus, SensorResult, build_sensor_context

from bridge_pipeline.definitions import build_definitions
from bridge_pipeline.defs.inbox.resources import InboxSourceResource
from bridge_pipeline.defs.inbox.sensors import build_inbox_sensor
from bridge_pipeline.defs.meeting_line.partitions import build_daily_partitions
from bridge_pipeline.defs.observability.instrumentation import DETECTED_AT_TAG
from bridge_pipeline.defs.polling import TRIGGER_TAG
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.settings import load_settings

UTC = dt.timezone.utc
PARTITIONS = build_daily_partitions(load_settings({}))


class Clock:
    """Tick times five seconds apart, starting now (the partitions are judged against the real clock)."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> dt.datetime:
        current = self.now
        self.now += dt.timedelta(seconds=5)
        return current


class Inbox:
    def __init__(self, root: Path, clock: Clock):
        self.root = root
        self.clock = clock
        self.today = clock.now.date().isoformat()
        self.sensor = build_inbox_sensor(PARTITIONS, interval_s=5, clock=clock, sleep=self._sleep)
        self.waits: list[float] = []  # what the sensor slept within its ticks, waiting for files to settle
        self.while_waiting: Callable[[], None] | None = None  # what a writer does meanwhile
        self.resource = InboxSourceResource(inbox_dir=str(root))
        self.cursor: str | None = None
        self.tick_times: list[dt.datetime] = []

    def write(self, name: str, text: str, *, day: str | None = None, mtime_s: int | None = None) -> Path:
        path = self.root / (day or self.today) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        self.stamp(path, mtime_s)
        return path

    def stamp(self, path: Path, mtime_s: float | None = None) -> None:
        """Set the file's modification time; by default the next tick's time, as if written just before it
        (the clock is simulated, the file system's is not)."""
        when = self.clock.now.timestamp() if mtime_s is None else mtime_s
        os.utime(path, (when, when))

    def _sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.while_waiting is not None:
            self.while_waiting()

    def tick(self) -> SensorResult:
        self.tick_times.append(self.clock.now)
        with build_sensor_context(cursor=self.cursor, resources={"inbox": self.resource}) as context:
            result = self.sensor(context)
        assert isinstance(result, SensorResult)
        self.cursor = result.cursor
        return result

    def files(self) -> dict[str, list]:
        return json.loads(self.cursor)["files"]


def requested(result: SensorResult) -> list[str]:
    return [request.partition_key for request in result.run_requests]


def detected_at(result: SensorResult) -> list[dt.datetime]:
    return [dt.datetime.fromisoformat(request.tags[DETECTED_AT_TAG]) for request in result.run_requests]


@pytest.fixture
def inbox(tmp_path) -> Inbox:
    return Inbox(tmp_path / "inbox", Clock())


def test_a_file_still_growing_is_requested_the_tick_after_its_size_settles(inbox):
    path = inbox.write("call.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ana>Hello")

    def writer_appends() -> None:
        with path.open("a") as handle:
            handle.write(" there.\n")
        inbox.stamp(path, inbox.tick_times[-1].timestamp() + 1.5)

    inbox.while_waiting = writer_appends
    growing = inbox.tick()
    inbox.while_waiting = None
    settled = inbox.tick()

    # The tick waited for the fresh file to settle, saw it grow meanwhile, and left it for the next tick.
    assert inbox.waits == [2.0]
    assert requested(growing) == []
    assert inbox.files()[f"{inbox.today}/call.vtt"][0] == "ready"
    assert requested(settled) == [inbox.today]
    (request,) = settled.run_requests
    assert request.run_key is None
    assert request.tags[TRIGGER_TAG] == "inbox_sensor"
    # The clock starts at the look that first saw the file at its final size: the second of the first tick.
    assert detected_at(settled) == [inbox.tick_times[0] + dt.timedelta(seconds=2)]


def test_a_file_renamed_in_just_before_a_tick_is_requested_by_that_tick(inbox):
    # Written half a second before the tick: the tick waits the 1.5 s left until it has settled, looks
    # again, and requests its day, rather than leaving it to the tick five seconds later.
    inbox.write("call.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ana>Hello there.\n",
                mtime_s=inbox.clock.now.timestamp() - 0.5)
    first = inbox.tick()

    assert inbox.waits == [1.5]
    assert requested(first) == [inbox.today]
    assert detected_at(first) == [inbox.tick_times[0]]


def test_a_file_nobody_wrote_to_lately_is_requested_the_first_tick_that_sees_it(inbox):
    # Copied in whole (a rename, or a copy that finished) three seconds before the tick: nothing is writing it.
    inbox.write("call.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ana>Hello there.\n",
                mtime_s=inbox.clock.now.timestamp() - 3)
    first = inbox.tick()

    assert inbox.waits == []
    assert requested(first) == [inbox.today]
    assert detected_at(first) == [inbox.tick_times[0]]
    assert inbox.files()[f"{inbox.today}/call.vtt"][0] == "ready"


def test_an_unchanged_tick_requests_nothing_and_keeps_the_cursor(inbox):
    inbox.write("call.vtt", "WEBVTT\n")
    inbox.tick()
    inbox.tick()
    before = inbox.cursor

    quiet = inbox.tick()

    assert requested(quiet) == [] and quiet.skip_reason is not None
    assert inbox.cursor == before


def test_a_changed_file_is_requested_again_and_a_touched_one_is_not(inbox):
    path = inbox.write("call.vtt", "WEBVTT\n\nfirst", mtime_s=1_800_000_000)
    inbox.tick()
    first = inbox.tick()
    digest = inbox.files()[f"{inbox.today}/call.vtt"][3]

    inbox.write("call.vtt", "WEBVTT\n\nlater", mtime_s=1_800_000_100)  # same size, new bytes
    noticed = inbox.tick()
    again = inbox.tick()

    assert requested(first) == [inbox.today] and requested(noticed) == []
    assert requested(again) == [inbox.today] and detected_at(again) == [inbox.tick_times[2]]
    assert inbox.files()[f"{inbox.today}/call.vtt"][3] != digest

    os.utime(path, (1_800_000_200, 1_800_000_200))
    assert requested(inbox.tick()) == [] and requested(inbox.tick()) == []


def test_one_run_per_changed_day_tagged_with_its_earliest_new_file(inbox):
    yesterday = (dt.date.fromisoformat(inbox.today) - dt.timedelta(days=1)).isoformat()
    inbox.write("a.vtt", "WEBVTT\n")
    first = inbox.tick()
    inbox.write("b.vtt", "WEBVTT\n")
    inbox.write("c.txt", "Ana: hello", day=yesterday)
    inbox.write("c.meta.json", '{"title": "Call"}', day=yesterday)
    second = inbox.tick()

    # Written just before their ticks: each tick waits for them to settle (2 s) and requests them itself.
    assert inbox.waits == [2.0, 2.0]
    assert requested(first) == [inbox.today]
    assert requested(second) == [yesterday, inbox.today]
    assert detected_at(second) == [inbox.tick_times[1], inbox.tick_times[1]]


def test_hidden_and_partial_files_are_ignored_until_they_get_their_final_name(inbox):
    inbox.write(".call.vtt.swp", "x")
    partial = inbox.write("call.vtt.part", "WEBVTT\n")
    inbox.write("other.tmp", "x")
    assert requested(inbox.tick()) == [] and requested(inbox.tick()) == []
    assert inbox.files() == {}

    # Renamed two ticks after it was written: complete, so the first tick that sees the name requests it.
    partial.rename(partial.with_name("call.vtt"))
    assert requested(inbox.tick()) == [inbox.today]


def test_a_deleted_transcript_requests_no_run_is_logged_and_kept_as_deleted(inbox, capfd):
    path = inbox.write("call.vtt", "WEBVTT\n")
    inbox.tick()
    inbox.tick()
    capfd.readouterr()

    path.unlink()
    gone = inbox.tick()

    assert requested(gone) == []
    assert inbox.files()[f"{inbox.today}/call.vtt"][0] == "deleted"
    assert f"{inbox.today}/call.vtt was removed from the inbox" in capfd.readouterr().err
    assert requested(inbox.tick()) == []

    # The next run of that day mirrors the inbox, so the sensor names the file again when it requests one.
    inbox.write("other.vtt", "WEBVTT\n")
    capfd.readouterr()
    runs = inbox.tick()
    assert requested(runs) == [inbox.today]
    assert "the run requested now removes its exports" in capfd.readouterr().err
    assert f"{inbox.today}/call.vtt" not in inbox.files()


def test_a_day_outside_the_partitions_is_logged_and_not_requested(tmp_path, capfd):
    clock = Clock()
    today = clock.now.date()
    late_start = build_daily_partitions(load_settings({"BRIDGE_START_DATE": today.isoformat()}))
    sensor = build_inbox_sensor(late_start, clock=clock)
    resource = InboxSourceResource(inbox_dir=str(tmp_path))
    for day in (today - dt.timedelta(days=2), today + dt.timedelta(days=3)):
        (tmp_path / day.isoformat()).mkdir()
        (tmp_path / day.isoformat() / "call.vtt").write_text("WEBVTT\n")

    with build_sensor_context(resources={"inbox": resource}) as context:
        first = sensor(context)
    capfd.readouterr()
    with build_sensor_context(cursor=first.cursor, resources={"inbox": resource}) as context:
        second = sensor(context)

    assert second.run_requests == []
    assert capfd.readouterr().err.count("outside the day partitions") == 2
    assert {entry[0] for entry in json.loads(second.cursor)["files"].values()} == {"held"}


def test_folders_older_than_the_look_back_window_are_not_watched(inbox):
    old = (dt.date.fromisoformat(inbox.today) - dt.timedelta(days=8)).isoformat()
    inbox.write("call.vtt", "WEBVTT\n", day=old)
    assert requested(inbox.tick()) == [] and requested(inbox.tick()) == []
    assert inbox.files() == {}


def test_the_sensor_runs_by_default_and_reads_its_settings_from_the_environment_given(monkeypatch):
    monkeypatch.setenv("BRIDGE_INBOX_POLL_SECONDS", "1")  # the process environment is not read
    default = build_definitions({}).resolve_sensor_def("inbox_sensor")
    assert default.default_status == DefaultSensorStatus.RUNNING
    # A second below the poll interval, so the daemon's 5 s loop never skips a tick that is due.
    assert default.minimum_interval_seconds == 4
    assert default.job_name == "meeting_line_job"

    tuned = build_definitions({"BRIDGE_INBOX_POLL_SECONDS": "12"}).resolve_sensor_def("inbox_sensor")
    assert tuned.minimum_interval_seconds == 11
    fastest = build_definitions({"BRIDGE_INBOX_POLL_SECONDS": "1"}).resolve_sensor_def("inbox_sensor")
    assert fastest.minimum_interval_seconds == 1
    with pytest.raises(ConfigurationError, match="BRIDGE_INBOX_POLL_SECONDS"):
        build_definitions({"BRIDGE_INBOX_POLL_SECONDS": "soon"})
