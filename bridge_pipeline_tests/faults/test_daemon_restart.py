"""The real `dagster-daemon run` is killed with SIGKILL between sensor ticks while meetings keep arriving.

The daemon runs the inbox sensor and the Teams and Zoom sensors (against the loopback fakes, polled every
5 s). Meetings arrive before the kill, while the daemon is down and after the restart:
- inbox day A: waiting before the daemon starts; requested and run before the kill;
- inbox day B: written just after a tick; the daemon is killed right after the next tick, which saw the
  files but (still being written: dated ahead) did not request the day yet: its cursor holds them as pending;
- inbox day C: written while the daemon is down; a file of day A is rewritten with the same bytes (its
  modification time changes, its content does not) while the daemon is down;
- inbox day D: written after the restart;
- Teams: a meeting today before the kill, one yesterday while down; Zoom: one yesterday before the kill,
  one today while down (the inbox days are earlier ones, so no day gets meetings from two sources at once).
The daemon, its code server and run workers are killed together (one process group) at a moment no run is
in progress, and started again on the same instance folder. What must hold afterwards, on the data:
- every meeting is a row of the project store exactly once (one row per inbox transcript, per Teams and
  Zoom meeting; no duplicates), none skipped, and each has its export files on disk (or a withheld notice);
- each (day, sensor) got exactly one run request (runs counted from the instance's run records and their
  `bridge/trigger` tag, retries of a run not counted): nothing was requested again after the restart for a
  file or meeting that had not changed, and the day seen-but-not-requested before the kill was requested;
- the inbox cursor after the restart holds every file as ready with the digest of its content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance, DagsterRunStatus, RunsFilter
from dagster._core.scheduler.instigation import InstigatorType, TickStatus

from bridge_fakes.environment import sources_env
from bridge_fakes.teams_fake import FakeGraphServer, FakeTeamsMeeting
from bridge_fakes.transcripts import DIALOGUES, teams_vtt, zoom_chat, zoom_vtt
from bridge_fakes.zoom_fake import FakeZoomMeeting, FakeZoomServer
from bridge_pipeline.settings import load_settings
from bridge_pipeline.sources.inbox import FILE_DIGEST_LEN, inbox_meeting_id
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline_tests.faults.harness import snapshot_code
from bridge_pipeline_tests.line_fixtures import REPO

pytestmark = pytest.mark.fault

_spec = importlib.util.spec_from_file_location("synthetic_day", REPO / "bench" / "synthetic_day.py")
assert _spec is not None and _spec.loader is not None
synthetic_day = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic_day)

UTC = dt.timezone.utc
DAEMON = Path(sys.executable).with_name("dagster-daemon")
TRIGGER_TAG = "bridge/trigger"
INBOX, TEAMS, ZOOM = "inbox_sensor", "teams_sensor", "zoom_sensor"
SENSORS = (INBOX, TEAMS, ZOOM)
MEETINGS_PER_INBOX_DAY = 2
DOWN_S = 8.0  # longer than a tick interval (5 s)
TEST_BUDGET_S = 170.0
ACTIVE = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
          DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


@dataclass
class Daemon:
    workdir: Path
    env: dict[str, str]
    process: subprocess.Popen | None = None
    starts: list[float] = field(default_factory=list)  # seconds from start to every sensor ticking
    logs: list[Path] = field(default_factory=list)

    @property
    def home(self) -> Path:
        return Path(self.env["DAGSTER_HOME"])

    def start(self) -> None:
        n = len(self.logs) // 2
        out, err = self.workdir / f"daemon{n}.out.log", self.workdir / f"daemon{n}.err.log"
        self.logs += [out, err]
        with out.open("wb") as stdout, err.open("wb") as stderr:
            self.process = subprocess.Popen(
                [str(DAEMON), "run", "-m", "bridge_pipeline.definitions"],
                cwd=self.workdir, env=self.env, stdout=stdout, stderr=stderr, start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL to the daemon, its code server and run workers (one process group), as a crash would."""
        assert self.process is not None
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(30)

    def check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"dagster-daemon exited with code {self.process.returncode}\n{self.tail()}")

    def tail(self, chars: int = 4000) -> str:
        text = "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())
        return text[-chars:]


class Watch:
    """Reads the instance the daemon writes: sensor ticks and runs."""

    def __init__(self, daemon: Daemon, deadline: float, expected: Counter):
        self.daemon = daemon
        self.deadline = deadline
        self.expected = expected  # (day, sensor) -> runs it may have by now; grows as meetings arrive
        self.instance = DagsterInstance.from_config(str(daemon.home))

    def wait(self, what: str, ready: Callable[[], bool], timeout_s: float = 90.0) -> None:
        until = min(time.monotonic() + timeout_s, self.deadline)
        while time.monotonic() < until:
            self.daemon.check_alive()
            self.check_no_request_repeated()
            if ready():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; runs: {self.run_summary()}\n{self.daemon.tail()}")

    def ticks(self, sensor: str, limit: int = 10) -> list:
        """Ticks of `sensor`, newest first."""
        for state in self.instance.all_instigator_state(instigator_type=InstigatorType.SENSOR):
            if state.instigator_name == sensor:
                return list(self.instance.get_ticks(state.instigator_origin_id, state.selector_id, limit=limit))
        return []

    def last_finished_tick(self, sensor: str):
        return next((t for t in self.ticks(sensor) if t.status != TickStatus.STARTED), None)

    def tick_id(self, sensor: str) -> int:
        tick = self.last_finished_tick(sensor)
        return -1 if tick is None else tick.tick_id

    def wait_for_tick(self, sensor: str, after_id: int, *, where: Callable[[object], bool] = lambda t: True):
        """Waits for a finished tick newer than `after_id` (and matching `where`); returns it."""
        found = []

        def ready() -> bool:
            tick = self.last_finished_tick(sensor)
            if tick is not None and tick.tick_id > after_id and where(tick):
                found.append(tick)
                return True
            return False

        self.wait(f"a {sensor} tick after #{after_id}", ready, timeout_s=60)
        return found[0]

    def runs(self) -> list:
        return [r.dagster_run for r in self.instance.get_run_records()]

    def idle(self) -> bool:
        return self.instance.get_runs_count(RunsFilter(statuses=ACTIVE)) == 0

    def requested(self) -> Counter:
        """Runs per (day, sensor that requested it); a retry of a run (dagster/parent_run_id) is not a request."""
        return Counter(
            (run.tags.get("dagster/partition"), run.tags.get(TRIGGER_TAG) or run.tags.get("dagster/sensor_name"))
            for run in self.runs() if "dagster/parent_run_id" not in run.tags
        )

    def check_no_request_repeated(self) -> None:
        """Fails as soon as a (day, sensor) has more runs than meetings arrived for it."""
        extra = {key: n for key, n in self.requested().items() if n > self.expected.get(key, 0)}
        assert not extra, f"requested again, or for nothing new: {extra}; runs: {self.run_summary()}"

    def succeeded(self, day: dt.date, sensor: str) -> bool:
        return any(run.tags.get("dagster/partition") == day.isoformat() and run.tags.get(TRIGGER_TAG) == sensor
                   and run.status == DagsterRunStatus.SUCCESS for run in self.runs())

    def run_summary(self) -> list[tuple]:
        return sorted((r.tags.get("dagster/partition"), r.tags.get(TRIGGER_TAG), r.status.value) for r in self.runs())

    def inbox_cursor(self) -> dict:
        tick = self.last_finished_tick(INBOX)
        return json.loads(tick.cursor)["files"] if tick is not None and tick.cursor else {}


def _write_inbox_day(inbox: Path, staging: Path, day: dt.date, first: int, *, still_writing: bool = False) -> list[str]:
    """MEETINGS_PER_INBOX_DAY meetings (transcript and sidecar), each file renamed into place (atomic).

    `still_writing` dates the files a minute ahead, as a writer still at work would keep them fresh: the inbox
    sensor then keeps them pending at the tick that first sees them, instead of taking them at first sight.
    """
    stems = []
    for index in range(first, first + MEETINGS_PER_INBOX_DAY):
        start = dt.datetime.combine(day, dt.time(9), tzinfo=UTC) + dt.timedelta(hours=index % 8)
        stem = synthetic_day.write_meeting(staging, day, index, start)
        folder = inbox / day.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        # Sidecar first, so a transcript never shows up without its metadata.
        for path in sorted(staging.glob(f"{stem}.*"), key=lambda p: not p.name.endswith(".meta.json")):
            part = folder / f"{path.name}.part"
            part.write_bytes(path.read_bytes())
            os.replace(part, folder / path.name)
            if still_writing:
                ahead = time.time() + 60
                os.utime(folder / path.name, (ahead, ahead))
            path.unlink()
        stems.append(stem)
    return stems


def _teams_meeting(graph: FakeGraphServer, organizer: str, day: dt.date, number: int) -> str:
    dialogue = DIALOGUES[number % len(DIALOGUES)]
    title = f"[restart {number}] {dialogue.title}"
    start = _meeting_start(day)
    # Graph dates a transcript by its creation: today's is created now, another day's a minute after its start
    # (it shows up late, which the look-back window covers).
    created = dt.datetime.now(UTC) if day == dt.datetime.now(UTC).date() else None
    graph.add_meeting(FakeTeamsMeeting(organizer, title, start, teams_vtt(dialogue),
                                       attendees=((f"guest{number}@quayside.example", dialogue.speakers[-1]),),
                                       transcript_created=created, key=f"restart/{number}"))
    return title


def _zoom_meeting(zoom: FakeZoomServer, host: str, day: dt.date, number: int) -> str:
    dialogue = DIALOGUES[number % len(DIALOGUES)]
    title = f"[restart {number}] {dialogue.title}"
    people = tuple((name, f"{name.split()[0].lower()}.{number}@guest.example") for name in dialogue.speakers)
    zoom.add_meeting(FakeZoomMeeting(host, title, _meeting_start(day), zoom_vtt(dialogue), chat=zoom_chat(dialogue),
                                     participants=people, duration_min=30, key=f"restart/{number}"))
    return title


def _meeting_start(day: dt.date) -> dt.datetime:
    """Today: 40 minutes ago (but today); another day: its morning."""
    now = dt.datetime.now(UTC)
    if day == now.date():
        return max(now - dt.timedelta(minutes=40), dt.datetime.combine(day, dt.time(0, 1), tzinfo=UTC))
    return dt.datetime.combine(day, dt.time(10), tzinfo=UTC)


def _duplicate_meeting_rows(database: Path) -> list[tuple]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT meeting_id, COUNT(*) FROM meetings GROUP BY meeting_id HAVING COUNT(*) > 1"
        ).fetchall()


def test_daemon_killed_between_ticks_and_restarted_ingests_every_meeting_once(tmp_path):
    started = time.monotonic()
    deadline = started + TEST_BUDGET_S
    today = dt.datetime.now(UTC).date()
    yesterday = today - dt.timedelta(days=1)
    # Each day gets meetings from one source only, so no request is absorbed by another source's run of the
    # same day still waiting in the queue (the sensors leave such a request out: the waiting run covers it).
    day_a, day_b, day_c, day_d = (today - dt.timedelta(days=n) for n in (2, 3, 4, 5))
    inbox, staging, data, home = (tmp_path / name for name in ("inbox", "staging", "data", "dagster_home"))
    for folder in (inbox, staging, home):
        folder.mkdir()
    shutil.copyfile(REPO / "dagster.yaml", home / "dagster.yaml")
    code = snapshot_code(tmp_path)

    with FakeGraphServer() as graph, FakeZoomServer() as zoom:
        organizer, host = "00000000-0000-4000-8000-0000000000a1", "restartZoomUser1"
        graph.add_organizer(organizer, "organizer@restart.example")
        zoom.add_user(host, "host@restart.example")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIDGE_", "DAGSTER_"))}
        env.update(sources_env(graph, zoom, lookback_hours=72))
        env.update({
            "DAGSTER_HOME": str(home),
            "BRIDGE_DATA_DIR": str(data),
            "BRIDGE_INBOX_DIR": str(inbox),
            "BRIDGE_POLL_INTERVAL_SECONDS": "5",  # Teams and Zoom (300 in production)
            "NO_PROXY": "127.0.0.1,localhost",
            "PYTHONPATH": str(code),
        })
        daemon = Daemon(tmp_path, env)
        stems: dict[dt.date, list[str]] = {}
        remote: dict[str, tuple[dt.date, str]] = {}  # title -> (day, source)
        expected: Counter = Counter()
        timeline: list[str] = []

        def note(what: str) -> None:
            timeline.append(f"{time.monotonic() - started:6.1f} s  {what}")

        # Before the first start: day A waits in the inbox.
        stems[day_a] = _write_inbox_day(inbox, staging, day_a, 0)
        expected[(day_a.isoformat(), INBOX)] += 1
        daemon.start()
        note("daemon started")
        try:
            watch = Watch(daemon, deadline, expected)
            watch.wait("every sensor's first tick", lambda: all(watch.last_finished_tick(s) for s in SENSORS))
            daemon.starts.append(time.monotonic() - started)
            note("every sensor ticked")
            remote[_teams_meeting(graph, organizer, today, 1)] = (today, "teams")
            expected[(today.isoformat(), TEAMS)] += 1
            remote[_zoom_meeting(zoom, host, yesterday, 2)] = (yesterday, "zoom")
            expected[(yesterday.isoformat(), ZOOM)] += 1
            watch.wait("the runs of day A, the Teams and the Zoom meeting",
                       lambda: watch.succeeded(day_a, INBOX) and watch.succeeded(today, TEAMS)
                       and watch.succeeded(yesterday, ZOOM) and watch.idle(), timeout_s=120)
            note(f"runs done: {watch.run_summary()}")

            # Day B just after an inbox tick; kill right after the next tick, which sees B but does not request it.
            tick = watch.wait_for_tick(INBOX, watch.tick_id(INBOX))
            stems[day_b] = _write_inbox_day(inbox, staging, day_b, 10, still_writing=True)
            expected[(day_b.isoformat(), INBOX)] += 1
            note(f"day B written after inbox tick #{tick.tick_id}")
            b_files = {f"{day_b.isoformat()}/{p.name}" for p in (inbox / day_b.isoformat()).iterdir()}
            seen = watch.wait_for_tick(
                INBOX, tick.tick_id,
                where=lambda t: b_files <= set(json.loads(t.cursor or "{}").get("files", {})),
            )
            pending = {path: entry[0] for path, entry in json.loads(seen.cursor)["files"].items() if path in b_files}
            assert watch.idle(), f"a run is in progress at the kill: {watch.run_summary()}"
            daemon.kill()
            note(f"daemon killed after inbox tick #{seen.tick_id} (day B in its cursor as {sorted(set(pending.values()))})")
            assert set(pending.values()) == {"pending"}, f"day B was not left pending by the tick before the kill: {pending}"
            assert not watch.succeeded(day_b, INBOX) and (day_b.isoformat(), INBOX) not in watch.requested()

            # While down: day C arrives, a file of day A is rewritten unchanged, Teams and Zoom get a meeting each.
            down_started = time.monotonic()
            stems[day_c] = _write_inbox_day(inbox, staging, day_c, 20)
            expected[(day_c.isoformat(), INBOX)] += 1
            touched = next(p for p in (inbox / day_a.isoformat()).iterdir() if not p.name.endswith(".meta.json"))
            content = touched.read_bytes()
            touched.write_bytes(content)
            os.utime(touched, ns=(time.time_ns(), time.time_ns()))
            remote[_teams_meeting(graph, organizer, yesterday, 3)] = (yesterday, "teams")
            expected[(yesterday.isoformat(), TEAMS)] += 1
            remote[_zoom_meeting(zoom, host, today, 4)] = (today, "zoom")
            expected[(today.isoformat(), ZOOM)] += 1
            time.sleep(max(0.0, DOWN_S - (time.monotonic() - down_started)))
            restarted = time.monotonic()
            daemon.start()
            note(f"daemon restarted after {restarted - down_started:.1f} s down")
            after_kill = {s: watch.tick_id(s) for s in SENSORS}
            watch.wait("every sensor's first tick after the restart",
                       lambda: all(watch.tick_id(s) > after_kill[s] for s in SENSORS))
            daemon.starts.append(time.monotonic() - restarted)
            note("every sensor ticked again")

            # After the restart: day D, just after the inbox sensor's first tick.
            stems[day_d] = _write_inbox_day(inbox, staging, day_d, 30)
            expected[(day_d.isoformat(), INBOX)] += 1
            note("day D written")
            watch.wait("the runs of days B, C and D and of the new Teams and Zoom meetings",
                       lambda: all(watch.succeeded(d, s) for d, s in ((day_b, INBOX), (day_c, INBOX), (day_d, INBOX),
                                                                     (yesterday, TEAMS), (today, ZOOM)))
                       and watch.idle(), timeout_s=120)
            note(f"runs done: {watch.run_summary()}")
            # One more tick of each sensor with nothing new: it must request nothing.
            for sensor in SENSORS:
                watch.wait_for_tick(sensor, watch.tick_id(sensor))
            watch.wait("no run in progress", watch.idle)
            note("one more tick of each sensor")

            requested = watch.requested()
            statuses = Counter(run.status.value for run in watch.runs())
            cursor = watch.inbox_cursor()
            exported_days = watch.instance.get_materialized_partitions(AssetKey("contract_exports"))
        finally:
            if daemon.process is not None and daemon.process.poll() is None:
                daemon.kill()
            for line in timeline:
                print(line)

    print(f"sensors ticking {daemon.starts[0]:.1f} s after the first start, {daemon.starts[1]:.1f} s after the restart; "
          f"runs per (day, sensor): {dict(sorted(requested.items()))}; statuses {dict(statuses)}; "
          f"test {time.monotonic() - started:.0f} s")

    # Runs: every request succeeded; exactly one per (day, sensor) that got something new, none for day A's
    # rewritten file, none repeated after the restart.
    assert statuses == Counter({"SUCCESS": sum(requested.values())}), statuses
    assert requested == expected, f"runs per (day, sensor) {dict(requested)} != expected {dict(expected)}"
    assert exported_days == {day for day, _ in expected}, f"days with exports materialized: {sorted(exported_days)}"

    # Rows: one meeting row per inbox transcript and per remote meeting, no duplicates, nothing else.
    settings = load_settings({"BRIDGE_DATA_DIR": str(data), "BRIDGE_INBOX_DIR": str(inbox)})
    assert not _duplicate_meeting_rows(data / "bridge.sqlite3")
    store = PipelineStore(settings.database_url)
    try:
        for day in sorted({*stems, today, yesterday}):
            meetings = store.load_meetings(day)
            want_inbox = sorted(inbox_meeting_id(day, stem) for stem in stems.get(day, []))
            got_inbox = sorted(m.meeting_id for m in meetings if m.source == "inbox")
            assert got_inbox == want_inbox, f"{day}: inbox meetings {got_inbox} != {want_inbox}"
            want_remote = sorted((source, title) for title, (d, source) in remote.items() if d == day)
            got_remote = sorted((m.source, m.title) for m in meetings if m.source != "inbox")
            assert got_remote == want_remote, f"{day}: remote meetings {got_remote} != {want_remote}"

            # Exports: every meeting has its files on disk with the recorded bytes, or a withheld notice.
            exported, withheld = store.load_exports(day)
            covered = {f.meeting_id for f in exported} | {w.meeting_id for w in withheld}
            assert covered == {m.meeting_id for m in meetings}, f"{day}: meetings without exports"
            for f in exported:
                path = data / f.blob_key
                assert path.is_file(), f"{f.blob_key} is recorded but not on disk"
                assert hashlib.sha256(path.read_bytes()).hexdigest() == f.sha256, f"{f.blob_key} differs from its record"
    finally:
        store.dispose()

    # The inbox cursor: every file ready, with the digest of its content (day A's rewritten file included).
    files = {p.relative_to(inbox).as_posix(): p for p in inbox.rglob("*") if p.is_file()}
    assert set(cursor) == set(files), f"cursor files {sorted(cursor)} != inbox {sorted(files)}"
    for path, (status, size, mtime_ns, digest, _since) in cursor.items():
        content = files[path].read_bytes()
        # The current version (for day A's rewritten file, the one written while the daemon was down).
        assert (status, size, mtime_ns) == ("ready", len(content), files[path].stat().st_mtime_ns), path
        assert digest == hashlib.sha256(content).hexdigest()[:FILE_DIGEST_LEN], path
    assert time.monotonic() - started < 180, "the scenario took longer than its 3-minute bound"
