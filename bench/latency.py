"""End-to-end latency under the real daemon: a meeting becomes available -> its exports are written.

    python bench/latency.py [--meetings 50] [--rate 12] [--backlog 20] [--backlog-stream 30] [--write-results]

Starts the Teams (Graph) and Zoom loopback fakes and the real `dagster-daemon run` on a fresh
instance folder (the project's `dagster.yaml`, its own BRIDGE_DATA_DIR and BRIDGE_INBOX_DIR, every
address 127.0.0.1), then makes meetings appear at a steady rate, one every `--rate` seconds, round
robin across the three sources: a transcript and its sidecar written into today's inbox folder (each
as `.part`, then renamed), or a meeting whose transcript is created at that moment on the Graph or Zoom
fake. A watcher polls `<data>/exports/` and notes when each meeting's folder holds all its files
(the newest file's modification time). Latency is that time minus the time the meeting appeared.

Two scenarios, each on a fresh instance: `steady` (the stream starts once every sensor has ticked)
and `backlog` (`--backlog` meetings are already waiting when the daemon starts, then the same kind of
stream, `--backlog-stream` meetings). After each, the run event log gives where the time went, per
meeting: until the sensor requested the run that exported it, queued, run start-up (a new process
importing the code location), and the stages.

Then the scale curve: `bench_incremental.py --point N` for each day size N (a fresh process each; the
one-more-meeting re-run is part of each point) -- reused, not re-implemented here.

`--write-results` writes bench/RESULTS.md, bench/latency.png, bench/scale.png and the raw figures
(bench/latency_results.json) from what this invocation measured; `--render-only` redraws them from
that JSON. Nothing asserts. Ctrl-C stops the daemon and the fakes.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from synthetic_day import group_word, write_meeting  # noqa: E402

from bridge_fakes.environment import sources_env  # noqa: E402
from bridge_fakes.teams_fake import FakeGraphServer, FakeTeamsMeeting  # noqa: E402
from bridge_fakes.transcripts import DIALOGUES, Dialogue, Line, teams_vtt, zoom_chat, zoom_vtt  # noqa: E402
from bridge_fakes.zoom_fake import FakeZoomMeeting, FakeZoomServer  # noqa: E402

INSTANCE_FILE = REPO / "dagster.yaml"
RESULTS_MD = BENCH / "RESULTS.md"
RESULTS_JSON = BENCH / "latency_results.json"
LATENCY_PNG = BENCH / "latency.png"
SCALE_PNG = BENCH / "scale.png"
TARGET_P95_S = 15.0
SOURCES = ("inbox", "teams", "zoom")
UTC = dt.timezone.utc
# Stages of meeting_line_job in the order they run (step keys are the asset names).
STAGES = ("raw_recordings", "transcripts", "decisions", "contract_drafts", "draft_qa", "contract_exports",
          "meeting_notifications")
EXPORT_STEP = "contract_exports"
EXPORT_FORMATS = {"docx", "pdf", "md", "json"}
# Companies of the fakes' dialogues: replaced per meeting, so no two benchmark meetings form one deal.
DIALOGUE_BRANDS = ("Brightwater", "Quayside", "Harbor", "Northwind", "Coastal", "Fernhill")
# Segments of one meeting's latency, in time order (see `breakdown`).
SEGMENTS = (
    ("detect", "until the sensor requested the run"),
    ("queue", "queued (incl. waiting for the day's previous run)"),
    ("startup", "run start-up (hand-over to a standby worker, or a new process importing the code)"),
    ("stages", "stages before the export"),
    ("export", "export stage until its files"),
)


# --- what one scenario injects and observes ---------------------------------------------------------


@dataclass
class Meeting:
    number: int
    source: str
    phase: str  # "backlog" or "stream"
    title: str
    available_at: float  # epoch seconds: the rename into the inbox, or the add to the fake
    exported_at: float | None = None  # newest export file's mtime when the folder was first complete
    meeting_id: str | None = None
    run_id: str | None = None  # the run whose export stage wrote the files
    segments: dict[str, float] = field(default_factory=dict)

    @property
    def latency(self) -> float | None:
        return None if self.exported_at is None else self.exported_at - self.available_at


class Injector:
    """Makes meetings appear: inbox files (atomic rename), or meetings added to the running fakes."""

    def __init__(self, inbox: Path, staging: Path, graph: FakeGraphServer, zoom: FakeZoomServer):
        self.inbox, self.staging, self.graph, self.zoom = inbox, staging, graph, zoom
        self.meetings: list[Meeting] = []
        self.organizers = sorted(graph.organizer_upns)
        self.users = sorted(zoom.users)

    def inject(self, phase: str) -> Meeting:
        number = len(self.meetings)
        source = SOURCES[number % len(SOURCES)]
        title = f"[bench {number:03d}]"
        now = dt.datetime.now(UTC)
        # Held 35 minutes ago (same day), its transcript ready now.
        started = max(now - dt.timedelta(minutes=35), now.replace(hour=0, minute=0, second=0, microsecond=0))
        if source == "inbox":
            title, available = self._inbox(number, title, started)
        else:
            dialogue = _dialogue_for(number)
            title = f"{title} {dialogue.title}"
            if source == "teams":
                organizer = self.organizers[number % len(self.organizers)]
                guest = (f"guest{number}@quayside.example", dialogue.speakers[-1])
                meeting = FakeTeamsMeeting(organizer, title, started, teams_vtt(dialogue), attendees=(guest,),
                                           transcript_created=now, key=f"bench/{number}")
                available = time.time()
                self.graph.add_meeting(meeting)
            else:
                host = self.users[number % len(self.users)]
                people = tuple((name, f"{name.split()[0].lower()}.{number}@guest.example") for name in dialogue.speakers)
                meeting = FakeZoomMeeting(host, title, started, zoom_vtt(dialogue), chat=zoom_chat(dialogue),
                                          participants=people, duration_min=30, key=f"bench/{number}")
                available = time.time()
                self.zoom.add_meeting(meeting)
        item = Meeting(number, source, phase, title, available)
        self.meetings.append(item)
        return item

    def _inbox(self, number: int, prefix: str, started: dt.datetime) -> tuple[str, float]:
        day_folder = self.inbox / started.date().isoformat()
        day_folder.mkdir(parents=True, exist_ok=True)
        stem = write_meeting(self.staging, started.date(), number, started)
        transcript = next(p for p in self.staging.glob(f"{stem}.*") if not p.name.endswith(".meta.json"))
        sidecar = self.staging / f"{stem}.meta.json"
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        meta["title"] = f"{prefix} {meta.get('title', stem)}"
        sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        # Sidecar first, so the transcript never shows up without its metadata; each written as .part.
        available = 0.0
        for path in (sidecar, transcript):
            part = day_folder / f"{path.name}.part"
            part.write_bytes(path.read_bytes())
            os.replace(part, day_folder / path.name)
            available = time.time()
            path.unlink()
        return meta["title"], available


def _dialogue_for(number: int) -> Dialogue:
    base = DIALOGUES[number % len(DIALOGUES)]

    def vary(text: str) -> str:
        for brand in DIALOGUE_BRANDS:
            text = text.replace(brand, group_word(brand, number))
        return text

    return Dialogue(f"{base.key}-{number}", vary(base.title), tuple(Line(ln.speaker, vary(ln.text)) for ln in base.lines))


class ExportWatcher(threading.Thread):
    """Polls `<data>/exports/<day>/<meeting>/` and records when each meeting folder is first complete."""

    def __init__(self, exports: Path, interval_s: float = 0.2):
        super().__init__(name="export-watcher", daemon=True)
        self.exports, self.interval_s = exports, interval_s
        self.done: dict[str, tuple[float, str | None, str]] = {}  # meeting id -> (mtime, title, day)
        self._stop_event = threading.Event()
        self._lock = threading.Lock()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval_s):
            self.scan()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)
        self.scan()

    def titles(self) -> dict[str, tuple[float, str]]:
        with self._lock:
            return {title: (mtime, mid) for mid, (mtime, title, _day) in self.done.items() if title}

    def scan(self) -> None:
        if not self.exports.is_dir():
            return
        for day in os.scandir(self.exports):
            if not day.is_dir():
                continue
            for folder in os.scandir(day.path):
                if not folder.is_dir() or folder.name in self.done or folder.name == "notifications":
                    continue
                found = _complete_folder(Path(folder.path))
                if found is not None:
                    with self._lock:
                        self.done[folder.name] = (*found, day.name)


def _complete_folder(folder: Path) -> tuple[float, str | None] | None:
    """(newest file mtime, meeting title) once every document in the folder has all four formats."""
    documents: dict[str, set[str]] = {}
    withheld, newest, bundle = 0, 0.0, None
    try:
        entries = [e for e in os.scandir(folder) if e.is_file() and not e.name.startswith(".")]
        for entry in entries:
            newest = max(newest, entry.stat().st_mtime)
            if entry.name.endswith(".WITHHELD.txt"):
                withheld += 1
                continue
            stem, _, ext = entry.name.rpartition(".")
            documents.setdefault(stem, set()).add(ext)
            if ext == "json":
                bundle = entry.path
    except FileNotFoundError:
        return None
    if not withheld and not documents:
        return None
    if any(formats != EXPORT_FORMATS for formats in documents.values()):
        return None
    title = None
    if bundle is not None:
        try:
            title = json.loads(Path(bundle).read_text(encoding="utf-8"))["meeting"]["title"]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # being replaced; next poll
    return newest, title


class MemorySampler(threading.Thread):
    """Peak resident memory of the daemon's session (daemon, code server, run workers), from /proc; and the
    CPU time processes outside this benchmark used meanwhile (other work on the machine skews the figures)."""

    def __init__(self, session_id: int, interval_s: float = 0.5):
        super().__init__(name="rss-sampler", daemon=True)
        self.session_id, self.interval_s = session_id, interval_s
        self.peak_total_mib = 0.0
        self.peak_process_mib = 0.0
        self.other_cpu_s = 0.0
        self.started = time.monotonic()
        self.elapsed_s = 0.0
        self._cpu: dict[int, float] = {}
        self._stop_event = threading.Event()

    def run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        ticks = os.sysconf("SC_CLK_TCK")
        mine = {os.getpid(), os.getsid(0)}
        while not self._stop_event.wait(self.interval_s):
            total = 0.0
            for pid in map(int, filter(str.isdigit, os.listdir("/proc"))):
                try:
                    stat = Path(f"/proc/{pid}/stat").read_text()
                    fields = stat[stat.rindex(")") + 2:].split()
                    session, cpu = int(fields[3]), (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
                    rss = int(fields[21]) * page / 2**20  # resident pages
                except (OSError, ValueError, IndexError):
                    continue
                if session != self.session_id:
                    if pid not in mine and session not in mine and pid in self._cpu:
                        self.other_cpu_s += max(0.0, cpu - self._cpu[pid])
                    self._cpu[pid] = cpu
                    continue
                total += rss
                self.peak_process_mib = max(self.peak_process_mib, rss)
            self.peak_total_mib = max(self.peak_total_mib, total)
            self.elapsed_s = time.monotonic() - self.started

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)


# --- the daemon ---------------------------------------------------------------------------------------


def snapshot_code(base: Path, say: Callable[[str], None]) -> dict:
    """Copy bridge_pipeline/ into the work folder and run the daemon (and the scale curve) from that copy.

    Each run is a new process that imports the code location, so an edit saved in the work tree during the
    benchmark (someone else working in it) would reach some runs and not others, or break their imports.
    The copy is taken once, after checking that it imports.
    """
    target = base / "code"
    for attempt in range(1, 13):
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(REPO / "bridge_pipeline", target / "bridge_pipeline", ignore=shutil.ignore_patterns("__pycache__"))
        check = subprocess.run(
            [sys.executable, "-c", "import sys, bridge_pipeline.definitions as d; assert d.__file__.startswith(sys.argv[1]), d.__file__",
             str(target)],
            env={**os.environ, "PYTHONPATH": str(target)}, cwd=base, capture_output=True, text=True,
        )
        if check.returncode == 0:
            break
        last = (check.stderr.strip().splitlines() or ["?"])[-1]
        say(f"the work tree's bridge_pipeline does not import as it is now ({last[:200]}); trying again in 10 s")
        time.sleep(10)
    else:
        raise RuntimeError("bridge_pipeline did not import for two minutes; not benchmarking a broken tree")

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else "?"

    changed = [line for line in git("status", "--porcelain", "--", "bridge_pipeline").splitlines() if line.strip()]
    return {"path": str(target), "git_head": git("rev-parse", "--short", "HEAD"), "uncommitted_files": len(changed)}


def daemon_env(workdir: Path, fakes_env: dict[str, str], poll_interval_s: int, code: Path) -> dict[str, str]:
    home = workdir / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(INSTANCE_FILE, home / "dagster.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIDGE_", "DAGSTER_"))}
    env.update(fakes_env)
    env.update({
        "DAGSTER_HOME": str(home),
        "BRIDGE_DATA_DIR": str(workdir / "data"),
        "BRIDGE_INBOX_DIR": str(workdir / "inbox"),
        "BRIDGE_POLL_INTERVAL_SECONDS": str(poll_interval_s),  # Teams and Zoom (300 in production)
        "NO_PROXY": "127.0.0.1,localhost",
        "PYTHONPATH": str(code),  # the snapshot, ahead of the editable install of the work tree
    })
    return env


def start_daemon(workdir: Path, env: dict[str, str]) -> subprocess.Popen:
    out = (workdir / "daemon.out.log").open("wb")
    err = (workdir / "daemon.err.log").open("wb")
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster-daemon")), "run", "-m", "bridge_pipeline.definitions"],
        cwd=workdir, env=env, stdout=out, stderr=err, start_new_session=True,
    )


def stop_daemon(daemon: subprocess.Popen) -> None:
    """The daemon, its code server and run workers share one session: stop them together."""
    if daemon.poll() is None:
        try:
            os.killpg(daemon.pid, signal.SIGTERM)
            daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait(timeout=10)
        except ProcessLookupError:
            pass
    try:
        os.killpg(daemon.pid, signal.SIGKILL)  # stragglers left in the session
    except ProcessLookupError:
        pass


def _sensor_ticks(instance) -> dict[str, list[float]]:
    """Tick start times per sensor, oldest first."""
    from dagster._core.scheduler.instigation import InstigatorType

    ticks: dict[str, list[float]] = {}
    for state in instance.all_instigator_state(instigator_type=InstigatorType.SENSOR):
        found = instance.get_ticks(state.instigator_origin_id, state.selector_id, limit=100_000)
        ticks[state.instigator_name] = sorted(t.timestamp for t in found)
    return ticks


def wait_for_ticks(home: Path, sensors: Iterable[str], daemon: subprocess.Popen, timeout_s: float) -> float:
    """Wait until every named sensor has ticked once; returns the seconds it took."""
    from dagster import DagsterInstance

    started = time.monotonic()
    wanted = set(sensors)
    while time.monotonic() - started < timeout_s:
        if daemon.poll() is not None:
            raise RuntimeError(f"dagster-daemon exited with code {daemon.returncode}")
        time.sleep(0.5)
        if not (home / "schedules").exists():  # SQLite storage: history/, schedules/ under DAGSTER_HOME
            continue
        try:
            with DagsterInstance.from_config(str(home)) as instance:
                ticks = _sensor_ticks(instance)
        except Exception:  # storage still being created by the daemon
            continue
        if all(ticks.get(name) for name in wanted):
            return time.monotonic() - started
    raise RuntimeError(f"sensors {sorted(wanted)} did not tick within {timeout_s:.0f} s")


def active_runs(home: Path) -> int:
    from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

    busy = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]
    with DagsterInstance.from_config(str(home)) as instance:
        return instance.get_runs_count(RunsFilter(statuses=busy))


# --- one scenario ----------------------------------------------------------------------------------------


def run_scenario(name: str, base: Path, *, backlog: int, stream: int, rate_s: float, poll_interval_s: int,
                 drain_timeout_s: float, code: Path, say: Callable[[str], None]) -> dict:
    workdir = base / name
    workdir.mkdir(parents=True)
    (workdir / "inbox").mkdir()
    staging = workdir / "staging"
    staging.mkdir()
    with FakeGraphServer() as graph, FakeZoomServer() as zoom:
        for n in range(2):
            graph.add_organizer(f"00000000-0000-4000-8000-00000000000{n}", f"organizer{n}@bench.example")
            zoom.add_user(f"benchZoomUser{n}", f"host{n}@bench.example")
        env = daemon_env(workdir, sources_env(graph, zoom, lookback_hours=24), poll_interval_s, code)
        home = Path(env["DAGSTER_HOME"])
        injector = Injector(workdir / "inbox", staging, graph, zoom)
        for _ in range(backlog):
            injector.inject("backlog")
        if backlog:
            say(f"[{name}] {backlog} meetings waiting before the daemon starts")
        watcher = ExportWatcher(workdir / "data" / "exports")
        watcher.start()
        daemon_started = time.time()
        daemon = start_daemon(workdir, env)
        sampler = MemorySampler(daemon.pid)
        sampler.start()
        drained = False
        try:
            ready_s = wait_for_ticks(home, ("inbox_sensor", "teams_sensor", "zoom_sensor"), daemon, 120)
            say(f"[{name}] daemon up, every sensor ticked after {ready_s:.1f} s; "
                f"streaming {stream} meetings, one every {rate_s:g} s")
            stream_started = time.time()
            for i in range(stream):
                # A fixed schedule, so a slow injection does not stretch the rate.
                delay = stream_started + i * rate_s - time.time()
                if delay > 0:
                    time.sleep(delay)
                if daemon.poll() is not None:
                    raise RuntimeError(f"dagster-daemon exited with code {daemon.returncode}")
                injector.inject("stream")
                if (i + 1) % 10 == 0:
                    say(f"[{name}] {i + 1}/{stream} streamed, {len(watcher.done)}/{len(injector.meetings)} exported")
            stream_ended = time.time()
            deadline = time.monotonic() + drain_timeout_s
            while time.monotonic() < deadline:
                time.sleep(1.0)
                exported = len(watcher.titles())
                if exported >= len(injector.meetings) and active_runs(home) == 0:
                    drained = True
                    break
            say(f"[{name}] {'drained' if drained else 'NOT drained'} {time.time() - stream_ended:.1f} s after the "
                f"last meeting; {len(watcher.titles())}/{len(injector.meetings)} exported")
        finally:
            with _signals_held():  # a second Ctrl-C must not leave the daemon running
                stop_daemon(daemon)
                sampler.stop()
                watcher.stop()
    api = {name: _request_counts(fake) for name, fake in (("graph", graph), ("zoom", zoom))}
    exported = watcher.titles()
    for meeting in injector.meetings:
        if meeting.title in exported:
            meeting.exported_at, meeting.meeting_id = exported[meeting.title]
    runs = read_runs(home)
    ticks = read_ticks(home)
    breakdown(injector.meetings, runs)
    return {
        "name": name,
        "backlog": backlog,
        "stream": stream,
        "rate_s": rate_s,
        "poll_interval_s": poll_interval_s,
        "daemon_started": daemon_started,
        "sensors_ready_s": ready_s,
        "stream_started": stream_started,
        "stream_ended": stream_ended,
        "drained": drained,
        "meetings": [asdict(m) for m in injector.meetings],
        "runs": runs,
        "ticks": ticks,
        "product_latencies": product_latencies(workdir / "data"),
        "api_requests": api,
        "other_processes_cores": round(sampler.other_cpu_s / max(sampler.elapsed_s, 1e-9), 2),
        "peak_rss_total_mib": round(sampler.peak_total_mib, 1),
        "peak_rss_process_mib": round(sampler.peak_process_mib, 1),
        "workdir": str(workdir),
    }


def _request_counts(fake) -> dict[str, int]:
    """Requests the fake answered, per route and status (e.g. "recordings 200", "participants 401")."""
    counts: dict[str, int] = {}
    for request in list(fake.requests):
        key = f"{request.route} {request.status}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def read_runs(home: Path) -> list[dict]:
    """Every run with its tags and the times of its lifecycle events and steps (epoch seconds)."""
    from dagster import DagsterInstance
    from dagster._core.events import DagsterEventType as E

    # The queued run coordinator writes RUN_ENQUEUED; the queue daemon launches a run with RUN_STARTING
    # (no RUN_DEQUEUED event in this set-up), and the new run process writes RUN_START once it has loaded
    # the code location.
    lifecycle = {E.RUN_ENQUEUED: "enqueued", E.RUN_STARTING: "dequeued", E.RUN_START: "started",
                 E.RUN_SUCCESS: "ended", E.RUN_FAILURE: "ended", E.RUN_CANCELED: "ended"}
    runs = []
    with DagsterInstance.from_config(str(home)) as instance:
        for record in instance.get_run_records():
            run = record.dagster_run
            item: dict = {
                "run_id": run.run_id,
                "status": run.status.value,
                "partition": run.tags.get("dagster/partition"),
                "sensor": run.tags.get("dagster/sensor_name"),
                "detected_at": run.tags.get("bridge/detected_at"),
                "created": record.create_timestamp.timestamp(),
                "steps": {},
            }
            for entry in instance.all_logs(run.run_id):
                event = entry.dagster_event
                if event is None:
                    continue
                if event.event_type in lifecycle:
                    item.setdefault(lifecycle[event.event_type], entry.timestamp)
                elif event.event_type in (E.STEP_START, E.STEP_SUCCESS, E.STEP_FAILURE) and entry.step_key:
                    step = item["steps"].setdefault(entry.step_key, {})
                    step["start" if event.event_type == E.STEP_START else "end"] = entry.timestamp
                    if event.event_type == E.STEP_FAILURE:
                        error = getattr(event.event_specific_data, "error", None)
                        cause = (error.cause or error) if error is not None else None
                        message = (cause.message if cause is not None else entry.user_message).strip()
                        item.setdefault("failure", f"{entry.step_key}: {message.splitlines()[0][:300]}")
            runs.append(item)
    return sorted(runs, key=lambda r: r["created"])


def read_ticks(home: Path) -> dict[str, list[float]]:
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(home)) as instance:
        return _sensor_ticks(instance)


def product_latencies(data: Path) -> list[float]:
    """The pipeline's own per-meeting latencies (its clock starts at the sensor's detected_at tag)."""
    try:
        from bridge_pipeline.storage.stage_timings import TimingStore
        from bridge_pipeline.storage.store import PipelineStore
    except ImportError:
        return []
    store = PipelineStore(f"sqlite:///{data / 'bridge.sqlite3'}")
    try:
        timings = TimingStore(store.engine)
        days = sorted({p.name for p in (data / "exports").iterdir()}) if (data / "exports").is_dir() else []
        return [lat.seconds for day in days for lat in timings.meeting_latencies(dt.date.fromisoformat(day))
                if lat.seconds is not None]
    except Exception:
        return []
    finally:
        store.dispose()


def breakdown(meetings: list[Meeting], runs: list[dict]) -> None:
    """Split each meeting's latency into contiguous segments of the run whose export stage wrote its files.

    detect:  appeared -> that run was requested (sensor tick, and the settle wait for a fresh inbox file)
    queue:   requested -> dequeued (mostly waiting for the day's previous run: one run per day at a time)
    startup: dequeued -> first step started (a standby worker takes the run, or a new process imports the
             code location; resources)
    stages:  first step -> export stage started;  export: export stage started -> the meeting's files
    A run created before the meeting appeared but ingesting after it counts from the meeting's arrival.
    """
    for meeting in meetings:
        if meeting.exported_at is None:
            continue
        t0, t1 = meeting.available_at, meeting.exported_at
        owner = None
        for run in runs:
            step = run["steps"].get(EXPORT_STEP, {})
            if "start" in step and step["start"] - 0.5 <= t1 <= step.get("end", run.get("ended", t1)) + 0.5:
                owner = run
                break
        if owner is None:
            continue
        meeting.run_id = owner["run_id"]
        starts = [s["start"] for s in owner["steps"].values() if "start" in s]
        first_step = min(starts) if starts else t1
        export_start = owner["steps"][EXPORT_STEP]["start"]
        edges = [owner["created"], owner.get("dequeued", owner["created"]), first_step, export_start]
        bounds = [t0, *edges, t1]
        clipped = [min(max(b, t0), t1) for b in bounds]
        for i in range(1, len(clipped)):  # keep the edges in order after clipping
            clipped[i] = max(clipped[i], clipped[i - 1])
        meeting.segments = {name: clipped[i + 1] - clipped[i] for i, (name, _) in enumerate(SEGMENTS)}


# --- figures -----------------------------------------------------------------------------------------------


def nearest_rank(values: list[float], q: float) -> float | None:
    """The q-quantile by nearest rank (an observed value), as the pipeline's own p95 check computes it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, -(-int(q * 100) * len(ordered) // 100)) - 1]


def summary(values: list[float]) -> dict:
    return {
        "count": len(values),
        "p50": nearest_rank(values, 0.50),
        "p95": nearest_rank(values, 0.95),
        "max": max(values) if values else None,
    }


def scenario_summary(result: dict) -> dict:
    meetings = result["meetings"]
    lat = lambda ms: [m["exported_at"] - m["available_at"] for m in ms if m["exported_at"] is not None]  # noqa: E731
    rows = {"all": summary(lat(meetings))}
    for source in SOURCES:
        rows[source] = summary(lat([m for m in meetings if m["source"] == source]))
    if result["backlog"]:
        for phase in ("backlog", "stream"):
            rows[phase] = summary(lat([m for m in meetings if m["phase"] == phase]))
    # A meeting exported by a run requested before it appeared (for an earlier meeting of the day) skips the
    # sensor and most of the start-up; one that needed a run of its own shows what a lone meeting waits.
    created = {r["run_id"]: r["created"] for r in result["runs"]}
    own = [m for m in meetings if m["run_id"] and created[m["run_id"]] >= m["available_at"]]
    rows["own run"] = summary(lat(own))
    rows["earlier run"] = summary(lat([m for m in meetings if m["run_id"] and m not in own]))
    segments = {name: [m["segments"][name] for m in meetings if m["segments"]] for name, _ in SEGMENTS}
    runs = result["runs"]
    run_parts = {
        "queued_s": [r["dequeued"] - r["created"] for r in runs if "dequeued" in r],
        "startup_s": [min(s["start"] for s in r["steps"].values() if "start" in s) - r["dequeued"]
                      for r in runs if "dequeued" in r and any("start" in s for s in r["steps"].values())],
        "process_start_s": [r["started"] - r["dequeued"] for r in runs if "started" in r and "dequeued" in r],
        "run_s": [r["ended"] - r["dequeued"] for r in runs if "ended" in r and "dequeued" in r],
    }
    stage_s = {stage: [r["steps"][stage]["end"] - r["steps"][stage]["start"] for r in runs
                       if "end" in r["steps"].get(stage, {}) and "start" in r["steps"][stage]] for stage in STAGES}
    intervals = {}
    for sensor, ticks in result["ticks"].items():
        gaps = [b - a for a, b in zip(ticks, ticks[1:])]
        intervals[sensor] = {"ticks": len(ticks), "median_gap_s": nearest_rank(gaps, 0.5), "max_gap_s": max(gaps, default=None)}
    # How long after the sensor's own detection time (its run tag) the run was requested: the inbox's settle
    # tick, or the gap since the previous Teams/Zoom listing (the tag is raised to that listing).
    after_detection: dict[str, list[float]] = {}
    for r in runs:
        if r["sensor"] and r["detected_at"]:
            seen = dt.datetime.fromisoformat(r["detected_at"]).timestamp()
            after_detection.setdefault(r["sensor"], []).append(r["created"] - seen)
    by_sensor: dict[str, int] = {}
    for r in runs:
        by_sensor[r["sensor"] or "other"] = by_sensor.get(r["sensor"] or "other", 0) + 1
    exporting = {m["run_id"] for m in meetings if m["run_id"]}
    # Runs still queued or running when the daemon was stopped (after the drain) did not fail on their own.
    left = [r for r in runs if r["status"] not in ("SUCCESS", "FAILURE")
            or (r["status"] == "FAILURE" and "Interrupted" in (r.get("failure") or ""))]
    failed = [r for r in runs if r["status"] == "FAILURE" and r not in left]
    # The first stage lists every source each run (and reads what is new): its time against the day's size then.
    ingest = [(sum(1 for m in meetings if m["available_at"] <= r["steps"]["raw_recordings"]["start"]),
               r["steps"]["raw_recordings"]["end"] - r["steps"]["raw_recordings"]["start"])
              for r in runs if r["status"] == "SUCCESS" and "end" in r["steps"].get("raw_recordings", {})]
    return {
        "latency": rows,
        "missing": sum(1 for m in meetings if m["exported_at"] is None),
        "segments_mean": {k: (sum(v) / len(v) if v else None) for k, v in segments.items()},
        "segments_p95": {k: nearest_rank(v, 0.95) for k, v in segments.items()},
        "runs": {"count": len(runs), "by_sensor": by_sensor, "that_exported_bench_meetings": len(exporting),
                 "failed": len(failed), "failures": sorted({r.get("failure") or "run failed (no step failure)" for r in failed}),
                 "left_at_stop": len(left)},
        "ingest_first_last": [ingest[0], ingest[-1]] if ingest else [],
        "run_parts_median": {k: nearest_rank(v, 0.5) for k, v in run_parts.items()},
        "run_parts_max": {k: max(v, default=None) for k, v in run_parts.items()},
        "stage_median_s": {k: nearest_rank(v, 0.5) for k, v in stage_s.items()},
        "sensor_ticks": intervals,
        "requested_after_detection_median_s": {k: nearest_rank(v, 0.5) for k, v in sorted(after_detection.items())},
        "product_latency": summary(result["product_latencies"]),
        "duration_s": result["stream_ended"] - result["daemon_started"],
    }


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_scenario(result: dict, stats: dict) -> None:
    print(f"\n== {result['name']}: {result['backlog']} waiting + {result['stream']} streamed, one every "
          f"{result['rate_s']:g} s; Teams/Zoom sensors every {result['poll_interval_s']} s ==")
    print(f"{'latency (s)':<14}{'count':>6}{'p50':>8}{'p95':>8}{'max':>8}")
    for key, row in stats["latency"].items():
        print(f"{key:<14}{row['count']:>6}{fmt(row['p50']):>8}{fmt(row['p95']):>8}{fmt(row['max']):>8}")
    if stats["missing"]:
        print(f"NOT exported before the drain timeout: {stats['missing']}")
    p95 = stats["latency"]["all"]["p95"]
    verdict = "meets" if p95 is not None and p95 < TARGET_P95_S else "MISSES"
    print(f"p95 {fmt(p95)} s {verdict} the target p95 < {TARGET_P95_S:g} s")
    print("where a meeting's time went (mean / p95, s):")
    for name, label in SEGMENTS:
        print(f"  {label:<52}{fmt(stats['segments_mean'][name]):>7}{fmt(stats['segments_p95'][name]):>7}")
    r = stats["runs"]
    print(f"runs: {r['count']} ({r['by_sensor']}), {r['that_exported_bench_meetings']} of them exported a benchmark "
          f"meeting, {r['failed']} failed, {r['left_at_stop']} still queued or running when the daemon was stopped")
    for failure in r["failures"]:
        print(f"  failed: {failure}")
    for fake, counts in result["api_requests"].items():
        print(f"{fake} fake answered: " + ", ".join(f"{k} x{v}" for k, v in counts.items()))
    parts = stats["run_parts_median"]
    print(f"per run (median): queued {fmt(parts['queued_s'])} s, dequeued -> first step {fmt(parts['startup_s'])} s "
          f"(of which RUN_STARTING -> RUN_START {fmt(parts['process_start_s'])} s), dequeued -> end {fmt(parts['run_s'])} s")
    print("stage medians (s): " + ", ".join(f"{k} {fmt(v, 2)}" for k, v in stats["stage_median_s"].items()))
    if stats["ingest_first_last"]:
        (n0, s0), (n1, s1) = stats["ingest_first_last"]
        print(f"raw_recordings (lists every source, reads what is new): {s0:.1f} s with {n0} meetings in the day in the first run, "
              f"{s1:.1f} s with {n1} in the last")
    print("sensor ticks: " + ", ".join(f"{k} {v['ticks']} ticks, median gap {fmt(v['median_gap_s'])} s"
                                       for k, v in sorted(stats["sensor_ticks"].items())))
    print("run requested after the sensor's detected_at tag (median): " + ", ".join(
        f"{k} {fmt(v)} s" for k, v in stats["requested_after_detection_median_s"].items()))
    pl = stats["product_latency"]
    print(f"the pipeline's own transcript_to_export (clock from its detected_at tag): p50 {fmt(pl['p50'])}, "
          f"p95 {fmt(pl['p95'])}, max {fmt(pl['max'])} s over {pl['count']} meetings")
    print(f"peak RSS of the daemon's process tree: {result['peak_rss_total_mib']:.0f} MiB "
          f"(largest single process {result['peak_rss_process_mib']:.0f} MiB); other processes on the machine used "
          f"{result['other_processes_cores']:.2f} cores on average meanwhile")


# --- the scale curve (bench_incremental.py, reused) -----------------------------------------------------


def scale_curve(points: list[int], code: Path, say: Callable[[str], None]) -> list[dict]:
    """`bench_incremental.py --point N` per day size: stage seconds of the first run, the re-run after one
    more meeting, an unchanged re-run, and the process's peak RSS; plus the process's wall time here."""
    figures = []
    for n in points:
        started = time.perf_counter()
        others = MemorySampler(session_id=-1)  # only for the CPU other processes used meanwhile
        others.start()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            out = subprocess.run([sys.executable, str(BENCH / "bench_incremental.py"), "--point", str(n)],
                                 check=True, capture_output=True, text=True,
                                 env={**os.environ, "PYTHONPATH": str(code)}).stdout
        finally:
            others.stop()
        point = json.loads(out.strip().splitlines()[-1])
        point["process_wall_s"] = time.perf_counter() - started
        point["other_processes_cores"] = round(others.other_cpu_s / max(others.elapsed_s, 1e-9), 2)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time is what other work on the machine changes least: compare it with the wall time.
        point["process_cpu_s"] = round(after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime, 2)
        figures.append(point)
        first, rerun = sum(point["first"].values()), sum(point["rerun"].values())
        say(f"[scale] {n} meetings: first run {first:.2f} s, re-run (+1 meeting) {rerun:.2f} s, "
            f"process {point['process_wall_s']:.1f} s wall / {point['process_cpu_s']:.1f} s CPU, peak RSS "
            f"{point['peak_rss_mib']:.0f} MiB, other processes {point['other_processes_cores']:.2f} cores")
    return figures


def print_scale(figures: list[dict]) -> None:
    print("\n== scale curve (bench/bench_incremental.py --point N, SQLite, local blobs) ==")
    print(f"{'meetings':>9}{'first s':>10}{'ms/meeting':>12}{'re-run s':>10}{'ratio':>8}{'wall s':>9}{'CPU s':>8}"
          f"{'peak MiB':>10}{'others':>8}")
    for p in figures:
        first, rerun = sum(p["first"].values()), sum(p["rerun"].values())
        print(f"{p['meetings']:>9}{first:>10.2f}{1000 * first / p['meetings']:>12.1f}{rerun:>10.2f}{rerun / first:>8.1%}"
              f"{p['process_wall_s']:>9.1f}{fmt(p.get('process_cpu_s')):>8}{p['peak_rss_mib']:>10.0f}"
              f"{fmt(p.get('other_processes_cores'), 2):>8}")
    print("(others: cores other processes on the machine used meanwhile, on average)")
    hundred = next((p for p in figures if p["meetings"] == 100), None)
    if hundred is not None:
        from bench_incremental import print_breakdown

        print()
        print_breakdown(hundred)


# --- machine, RESULTS.md and charts ---------------------------------------------------------------------------


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    from importlib.metadata import version

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kib / 2**20, 1),
        "python": platform.python_version(),
        "dagster": version("dagster"),
        "kernel": platform.release(),
        "load_before": os.getloadavg(),
    }


def draw_latency(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scenarios = results["scenarios"]
    colours = {"inbox": "tab:blue", "teams": "tab:purple", "zoom": "tab:orange"}
    markers = {"inbox": "o", "teams": "s", "zoom": "^"}
    cols = max(len(scenarios), 2)
    fig = plt.figure(figsize=(4.8 * cols, 10.5))
    grid = fig.add_gridspec(2, cols * 2)
    axes = [fig.add_subplot(grid[0, 2 * i:2 * i + 2]) for i in range(len(scenarios))]
    cdf = fig.add_subplot(grid[1, :cols])
    bars = fig.add_subplot(grid[1, cols:])
    for ax, result in zip(axes, scenarios):
        origin = result["daemon_started"]
        for source in SOURCES:
            for phase, filled in (("stream", True), ("backlog", False)):
                points = [(m["available_at"] - origin, m["exported_at"] - m["available_at"]) for m in result["meetings"]
                          if m["source"] == source and m["phase"] == phase and m["exported_at"] is not None]
                if points:
                    ax.scatter(*zip(*points), s=22, marker=markers[source], label=f"{source} ({phase})",
                               facecolors=colours[source] if filled else "none", edgecolors=colours[source])
        stats = result["summary"]["latency"]["all"]
        ax.axhline(TARGET_P95_S, color="tab:red", linestyle="--", linewidth=1, label=f"target p95 {TARGET_P95_S:g} s")
        if stats["p95"] is not None:
            ax.axhline(stats["p95"], color="black", linestyle=":", linewidth=1, label=f"measured p95 {stats['p95']:.1f} s")
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.axvline(result["stream_started"] - origin, color="grey", linewidth=0.8, linestyle="-.")
        top = max([TARGET_P95_S, *(m["exported_at"] - m["available_at"] for m in result["meetings"] if m["exported_at"])])
        ax.set_ylim(0, top * 1.1)
        ax.set_title(f"{result['name']}: {result['backlog']} waiting + {result['stream']} streamed, 1 per "
                     f"{result['rate_s']:g} s\np50 {fmt(stats['p50'])} s, p95 {fmt(stats['p95'])} s, max "
                     f"{fmt(stats['max'])} s (n={stats['count']})", fontsize=9)
        ax.set_xlabel("meeting appeared, s after the daemon started\n(grey: daemon start, dash-dot: stream start)",
                      fontsize=8)
        ax.set_ylabel("appeared -> exports written (s)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False)
    for result in scenarios:
        values = sorted(m["exported_at"] - m["available_at"] for m in result["meetings"] if m["exported_at"] is not None)
        if values:
            cdf.step(values, [(i + 1) / len(values) for i in range(len(values))], where="post",
                     label=f"{result['name']} (n={len(values)})")
    cdf.axvline(TARGET_P95_S, color="tab:red", linestyle="--", linewidth=1, label=f"target: p95 < {TARGET_P95_S:g} s")
    cdf.axhline(0.95, color="grey", linestyle=":", linewidth=1)
    cdf.set_xlim(left=0)
    cdf.set_ylim(0, 1.02)
    cdf.set_xlabel("appeared -> exports written (s)")
    cdf.set_ylabel("share of meetings")
    cdf.set_title("latency distribution (dotted: 95 %)", fontsize=9)
    cdf.grid(alpha=0.3)
    cdf.legend(fontsize=8, loc="lower right")
    ax = bars
    names = [r["name"] for r in scenarios]
    bottoms = [0.0] * len(scenarios)
    for (key, label), colour in zip(SEGMENTS, ("tab:green", "tab:gray", "tab:red", "tab:cyan", "tab:olive")):
        values = [r["summary"]["segments_mean"][key] or 0.0 for r in scenarios]
        ax.bar(names, values, bottom=bottoms, label=label, color=colour, width=0.6)
        bottoms = [b + v for b, v in zip(bottoms, values)]
    ax.axhline(TARGET_P95_S, color="tab:red", linestyle="--", linewidth=1)
    ax.set_ylim(0, max([TARGET_P95_S, *bottoms]) * 1.1)
    ax.set_title("mean latency per meeting, by segment\n(from the run event log)", fontsize=9)
    ax.set_ylabel("seconds")
    ax.legend(fontsize=7, loc="upper left", frameon=True)
    ax.set_ylim(0, max([TARGET_P95_S, *bottoms]) * 1.55)  # room for the legend above the bars
    ax.grid(axis="y", alpha=0.3)
    fig.suptitle(f"bridge_pipeline, meeting available -> exports written, real dagster-daemon "
                 f"({results['machine']['nproc']} cores, {results['machine']['cpu']}, {results['date']})", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def draw_scale(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = results["scale"]
    n = [p["meetings"] for p in points]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(n, [sum(p["first"].values()) for p in points], "o-", label="first run of the day (stages)")
    left.plot(n, [sum(p["rerun"].values()) for p in points], "s-", label="re-run after one more meeting")
    left.plot(n, [p["process_wall_s"] for p in points], "^--", label="whole process, wall (imports, 3 runs)")
    if all("process_cpu_s" in p for p in points):
        left.plot(n, [p["process_cpu_s"] for p in points], "v--", label="whole process, CPU time")
    export = [p["first"]["export"] for p in points]
    left.plot(n, export, "x:", label="first run: export stage alone")
    left.set_xlabel("meetings in the day")
    left.set_ylabel("seconds")
    left.set_title("wall time", fontsize=10)
    left.grid(alpha=0.3)
    left.legend(fontsize=8)
    right.plot(n, [p["peak_rss_mib"] for p in points], "o-", color="tab:red")
    right.set_xlabel("meetings in the day")
    right.set_ylabel("peak RSS (MiB)")
    right.set_ylim(bottom=0)
    right.set_title("peak memory of the process", fontsize=10)
    right.grid(alpha=0.3)
    fig.suptitle(f"scale curve: bench/bench_incremental.py --point N ({results['machine']['nproc']} cores, "
                 f"{results['machine']['cpu']}, {results['date']})", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


ANALYSIS_START = "<!-- analysis: written by hand, kept when --write-results regenerates this file -->"
ANALYSIS_END = "<!-- end of analysis -->"


def _kept_analysis(path: Path) -> str:
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if ANALYSIS_START in text and ANALYSIS_END in text:
            return text.split(ANALYSIS_START, 1)[1].split(ANALYSIS_END, 1)[0].strip("\n")
    return "(no analysis yet)"


def commands(results: dict) -> list[str]:
    return [
        "nproc; grep -m1 'model name' /proc/cpuinfo; free -g   # the machine",
        f"{results['command']}   # what produced the figures above (from the repository root, with .venv active)",
        "make bench LATENCY_ARGS=--write-results   # latency.py's defaults (steady and backlog), after bench_stages.py and bench_ingest.py",
        "python bench/latency.py --render-only   # redraws RESULTS.md and the charts from latency_results.json",
        "python bench/bench_incremental.py --point 100   # one scale point alone (JSON)",
    ]


def write_results_md(results: dict, path: Path) -> None:
    m = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {results['date']} by `{results['command']}` (the numbers below are what that run printed; "
        f"raw figures in `{RESULTS_JSON.name}`).",
        "",
        f"Machine: {m['nproc']} cores (`nproc`), {m['cpu']}, {m['ram_gib']} GiB RAM, Linux {m['kernel']}, "
        f"Python {m['python']}, Dagster {m['dagster']}; load average before the run "
        f"{', '.join(f'{x:.2f}' for x in m['load_before'])}. Code: a copy of `bridge_pipeline/` taken at the start "
        f"(commit {results.get('code', {}).get('git_head', '?')}, {results.get('code', {}).get('uncommitted_files', '?')} "
        "files with uncommitted changes), so edits saved in the work tree during the run do not reach it.",
        "",
        "## Latency: meeting available -> exports written, under the real daemon",
        "",
        "`python bench/latency.py` starts the Graph and Zoom loopback fakes and `dagster-daemon run` on a fresh "
        "instance (the project's `dagster.yaml`: queue checked every 1 s, one run per day partition at a time, "
        "sensors in threads), with `inbox_sensor` (every 5 s, the default), `teams_sensor` and `zoom_sensor` (every "
        f"{results['scenarios'][0]['poll_interval_s']} s here; 300 s is the production default). Meetings appear "
        "round robin across the three sources: inbox files written as `.part` and renamed into today's folder, "
        "meetings whose transcript is created at that moment on the fakes. *Available* is the rename or the add; "
        "*exported* is the newest file's modification time once the meeting's export folder holds every document in "
        "all four formats. Percentiles are nearest-rank. *own run*: meetings whose exporting run was requested after "
        "they appeared (what a meeting arriving at an idle line waits); *earlier run*: meetings picked up by a run "
        "already requested for an earlier meeting of the day (each run ingests everything present when it starts).",
        "",
        f"![latency]({LATENCY_PNG.name})",
        "",
        "| scenario | meetings | count | p50 s | p95 s | max s | target p95 < 15 s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results["scenarios"]:
        for key, row in r["summary"]["latency"].items():
            label = "all" if key == "all" else key
            verdict = ("meets" if row["p95"] is not None and row["p95"] < TARGET_P95_S else "**misses**") if key == "all" else ""
            lines.append(f"| {r['name']} | {label} | {row['count']} | {fmt(row['p50'])} | {fmt(row['p95'])} | "
                         f"{fmt(row['max'])} | {verdict} |")
    lines += ["", "Where each meeting's time went (mean / p95 seconds), from the run event log of the run whose "
              "export stage wrote its files:", "",
              "| segment | " + " | ".join(r["name"] for r in results["scenarios"]) + " |",
              "|---|" + "---|" * len(results["scenarios"])]
    for key, label in SEGMENTS:
        lines.append(f"| {label} | " + " | ".join(
            f"{fmt(r['summary']['segments_mean'][key])} / {fmt(r['summary']['segments_p95'][key])}"
            for r in results["scenarios"]) + " |")
    lines += ["", "| per scenario | " + " | ".join(r["name"] for r in results["scenarios"]) + " |",
              "|---|" + "---|" * len(results["scenarios"])]

    def row(label: str, fn: Callable[[dict], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in results["scenarios"]) + " |")

    row("runs (requested by)", lambda r: f"{r['summary']['runs']['count']} ({', '.join(f'{k} {v}' for k, v in sorted(r['summary']['runs']['by_sensor'].items()))})")
    row("runs that exported a benchmark meeting", lambda r: str(r["summary"]["runs"]["that_exported_bench_meetings"]))
    row("runs failed", lambda r: str(r["summary"]["runs"]["failed"]))
    row("runs still queued or running when the daemon was stopped", lambda r: str(r["summary"]["runs"]["left_at_stop"]))
    row("per run, median queued s", lambda r: fmt(r["summary"]["run_parts_median"]["queued_s"]))
    row("per run, median dequeued -> first step s", lambda r: fmt(r["summary"]["run_parts_median"]["startup_s"]))
    row("per run, median RUN_STARTING -> RUN_START s", lambda r: fmt(r["summary"]["run_parts_median"]["process_start_s"]))
    row("per run, median dequeued -> run end s", lambda r: fmt(r["summary"]["run_parts_median"]["run_s"]))
    row("stage medians s", lambda r: ", ".join(f"{k} {fmt(v, 2)}" for k, v in r["summary"]["stage_median_s"].items()))
    row("raw_recordings s (meetings in the day): first run, last run", lambda r: ", ".join(
        f"{sec:.1f} ({n})" for n, sec in r["summary"]["ingest_first_last"]))
    row("sensor ticks: median gap s", lambda r: ", ".join(
        f"{k} {fmt(v['median_gap_s'])}" for k, v in sorted(r["summary"]["sensor_ticks"].items())))
    row("run requested after the sensor's detected_at tag, median s", lambda r: ", ".join(
        f"{k} {fmt(v)}" for k, v in r["summary"]["requested_after_detection_median_s"].items()))
    row("Graph / Zoom fake: token requests, 401 answers", lambda r: " / ".join(
        f"{sum(v for k, v in c.items() if k.startswith('token '))}, {sum(v for k, v in c.items() if k.endswith(' 401'))}"
        for c in r["api_requests"].values()))
    row("pipeline's own transcript_to_export p50 / p95 s", lambda r: f"{fmt(r['summary']['product_latency']['p50'])} / "
        f"{fmt(r['summary']['product_latency']['p95'])}")
    row("peak RSS, daemon process tree MiB", lambda r: f"{r['peak_rss_total_mib']:.0f} (largest process {r['peak_rss_process_mib']:.0f})")
    row("other processes on the machine meanwhile, cores (mean)", lambda r: fmt(r.get('other_processes_cores'), 2))
    row("drained after the stream", lambda r: "yes" if r["drained"] else "**no**")
    failures = sorted({f for r in results["scenarios"] for f in r["summary"]["runs"]["failures"]})
    if failures:
        lines += ["", "Failed runs said:", "", *(f"- `{f}`" for f in failures)]
    lines += ["", ANALYSIS_START, _kept_analysis(path), ANALYSIS_END, ""]

    lines += ["## Scale curve: one day of N meetings, then one more meeting", "",
              "`bench/bench_incremental.py --point N` per day size, each in a fresh process (SQLite, local blobs, "
              "offline extractor): every stage once, one meeting added mid-day and the day run again, then an "
              "unchanged re-run. *Wall* is the whole process here (imports and all three runs).", ""]
    if results.get("scale_measured"):
        kept = results["scale_measured"]
        lines += [f"Measured {kept.get('date')} at {kept.get('git_head')}, by an earlier run of this benchmark "
                  "(the latency above was measured again without the curve).", ""]
    lines += [f"![scale]({SCALE_PNG.name})", "",
              "| meetings | first run s | ms / meeting | of which export s | re-run (+1) s | re-run / first | unchanged re-run s | process wall s | process CPU s | peak RSS MiB | other processes, cores |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for p in results["scale"]:
        first, rerun, same = (sum(p[k].values()) for k in ("first", "rerun", "unchanged"))
        lines.append(f"| {p['meetings']} | {first:.2f} | {1000 * first / p['meetings']:.0f} | {p['first']['export']:.2f} | "
                     f"{rerun:.2f} | {rerun / first:.1%} | {same:.2f} | {p['process_wall_s']:.1f} | {fmt(p.get('process_cpu_s'))} | {p['peak_rss_mib']:.0f} | "
                     f"{p.get('other_processes_cores', 0):.2f} |")
    lines += ["", "## Commands", "", "```", *commands(results), "```", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


# --- main ------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _signals_held():
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _raise_interrupt(signum, frame):  # SIGTERM behaves like Ctrl-C: the finally blocks stop everything
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--meetings", type=int, default=50, help="meetings streamed in the steady scenario (50)")
    parser.add_argument("--rate", type=float, default=12.0, help="seconds between two meetings of a stream (12)")
    parser.add_argument("--backlog", type=int, default=20, help="meetings waiting when the daemon starts (20; 0: no backlog scenario)")
    parser.add_argument("--backlog-stream", type=int, default=30, help="meetings streamed after the backlog (30: 50 in all)")
    parser.add_argument("--scenario", action="append", metavar="NAME:BACKLOG:STREAM:RATE",
                        help="run this scenario instead of the two above (repeatable), e.g. overload:0:24:4")
    parser.add_argument("--poll-interval", type=int, default=5,
                        help="BRIDGE_POLL_INTERVAL_SECONDS of the Teams and Zoom sensors (5; production default 300)")
    parser.add_argument("--drain-timeout", type=float, default=240.0, help="seconds to wait for the last exports (240)")
    parser.add_argument("--scale", default="50,100,200,500", help="day sizes of the scale curve ('' to skip)")
    parser.add_argument("--workdir", type=Path, help="where instances, data and logs go (default: a temporary folder, removed)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, exports, instance)")
    parser.add_argument("--write-results", action="store_true",
                        help=f"write {RESULTS_MD.name}, {LATENCY_PNG.name}, {SCALE_PNG.name} and {RESULTS_JSON.name}")
    parser.add_argument("--render-only", action="store_true", help=f"redraw RESULTS.md and charts from {RESULTS_JSON.name}")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, _raise_interrupt)  # also when started in the background, where SIGINT is ignored

    if args.render_only:
        results = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
        render(results)
        return 0

    say = lambda line: print(line, flush=True)  # noqa: E731
    results: dict = {
        "date": dt.datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python bench/latency.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "scenarios": [],
        "scale": [],
    }
    m = results["machine"]
    say(f"{m['nproc']} cores, {m['cpu']}, {m['ram_gib']} GiB, Python {m['python']}, Dagster {m['dagster']}")
    base = args.workdir.resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="bridge-latency-"))
    if args.workdir:
        if base.exists():
            shutil.rmtree(base)
        base.mkdir(parents=True)
    try:
        results["code"] = snapshot_code(base, say)
        code = Path(results["code"]["path"])
        say(f"benchmarking a copy of bridge_pipeline at {results['code']['git_head']} with "
            f"{results['code']['uncommitted_files']} uncommitted files")
        plans = [("steady", 0, args.meetings, args.rate)]
        if args.backlog:
            plans.append(("backlog", args.backlog, args.backlog_stream, args.rate))
        if args.scenario:
            plans = [_scenario(text) for text in args.scenario]
        for name, backlog, stream, rate in plans:
            result = run_scenario(name, base, backlog=backlog, stream=stream, rate_s=rate,
                                  poll_interval_s=args.poll_interval, drain_timeout_s=args.drain_timeout, code=code,
                                  say=say)
            result["summary"] = scenario_summary(result)
            print_scenario(result, result["summary"])
            results["scenarios"].append(result)
        if args.scale:
            results["scale"] = scale_curve([int(n) for n in args.scale.split(",")], code, say)
            print_scale(results["scale"])
        elif args.write_results and RESULTS_JSON.exists():
            # Latency measured again without the scale curve: keep the last curve, saying where it came from.
            previous = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
            results["scale"] = previous.get("scale", [])
            results["scale_measured"] = previous.get("scale_measured") or {
                "date": previous.get("date"), "git_head": previous.get("code", {}).get("git_head")}
    except KeyboardInterrupt:
        print("\ninterrupted: daemon and fakes stopped", file=sys.stderr)
        return 130
    finally:
        if args.keep or args.workdir:
            (base / "latency_results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
            print(f"\nwork folder kept: {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    if args.write_results:
        RESULTS_JSON.write_text(json.dumps(results, indent=1), encoding="utf-8")
        render(results)
        print(f"\nwrote {RESULTS_MD}, {LATENCY_PNG}, {SCALE_PNG} and {RESULTS_JSON}")
    return 0


def _scenario(text: str) -> tuple[str, int, int, float]:
    try:
        name, backlog, stream, rate = text.split(":")
        return name, int(backlog), int(stream), float(rate)
    except ValueError:
        raise SystemExit(f"--scenario wants NAME:BACKLOG:STREAM:RATE, e.g. overload:0:24:4; got {text!r}") from None


def render(results: dict) -> None:
    for result in results["scenarios"]:
        result["summary"] = scenario_summary(result)  # from the raw figures, so --render-only uses today's rules
    if results["scenarios"]:
        draw_latency(results, LATENCY_PNG)
    if results["scale"]:
        draw_scale(results, SCALE_PNG)
    write_results_md(results, RESULTS_MD)


if __name__ == "__main__":
    sys.exit(main())
