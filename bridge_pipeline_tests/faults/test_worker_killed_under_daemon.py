"""The run worker is killed under the real `dagster-daemon run` (issue 16's two daemon scenarios).

Each test starts `dagster-daemon run -m bridge_pipeline.definitions` (as bench/latency.py does) on a fresh
DAGSTER_HOME holding the project's dagster.yaml, whose run launcher is `PrewarmedRunLauncher`
(bridge_pipeline/defs/run_launcher.py): the daemon itself starts each run's worker process, a cold
`python -m dagster api execute_run` or a standby `python -m bridge_pipeline.defs.run_worker` that receives
the run on stdin, tags the run `bridge/run_worker` = "host:pid:start time", and keeps a thread waiting on
the worker. The test submits one run of `meeting_line_job` for a day of 30 synthetic meetings
(bench/synthetic_day.py) with `dagster job launch` (the run is queued and launched by the daemon), finds the
run's worker by that tag (checked against the engine event "Started process for run (pid: N)" the worker
itself writes) and SIGKILLs it mid-partition:

1. `test_killed_worker_is_failed_by_its_daemon_and_retried_to_a_clean_day`: only the run worker, while it
   writes the exports. The daemon that launched the worker is its parent: the launcher's thread waiting on
   it sees it exit and fails the run at once (`report_run_failed`, failure reason UNEXPECTED_TERMINATION).
   Run monitoring keeps the shipped 30 s poll here (the dagster.yaml copy is the shipped file), so nothing
   but that thread can account for a failure within seconds, and the failure message says which did it.
2. `test_killed_daemon_and_worker_are_failed_by_run_monitoring_after_restart_and_retried`: the daemon (with
   its code server and standby worker: one process group) and the run worker together, while the run
   ingests. Nothing is left watching the worker: the run stays STARTED while no daemon runs. A fresh
   `dagster-daemon run` is then started on the same DAGSTER_HOME; its run monitoring (polled every second in
   this test's copy of dagster.yaml, 30 s as shipped) asks the launcher's `check_run_worker_health`, which
   finds the tagged pid gone, and marks the run failed, long before `max_runtime_seconds` could.

Neither failure is a step failure (`dagster/failure_reason` is UNEXPECTED_TERMINATION in 1, absent in 2), so
`retry_on_asset_or_op_failure: false` does not stop the retry; run retries (max_retries 1) re-execute the
run from failure. What must hold, on the data:
- right after the kill: no duplicate rows, every visible export file whole (the bytes a clean run writes);
- after the retry: exactly the rows (every project table's row count, and the day's content) and export
  bytes of a clean `dagster asset materialize` run of the same day, no temporary file left under exports/,
  and one materialization record per asset for the day across the failed run and its retry, made by the
  run that executed that asset's step;
- the runs: the killed run FAILURE, exactly one retry, SUCCESS, nothing else requested.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from dagster import AssetKey, DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

from bridge_pipeline.defs.run_launcher import WORKER_MODULE, WORKER_TAG
from bridge_pipeline.settings import load_settings
from bridge_pipeline_tests.faults.harness import DAY, Snapshot, assert_same_as_clean, snapshot, snapshot_code, visible_partial_files
from bridge_pipeline_tests.line_fixtures import REPO

pytestmark = pytest.mark.fault

_spec = importlib.util.spec_from_file_location("synthetic_day", REPO / "bench" / "synthetic_day.py")
assert _spec is not None and _spec.loader is not None
synthetic_day = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic_day)

MEETINGS = 30
JOB = "meeting_line_job"
BIN = Path(sys.executable).parent
DAGSTER, DAEMON = BIN / "dagster", BIN / "dagster-daemon"
LAUNCHER = "PrewarmedRunLauncher"
# Run monitoring looks at in-progress runs this often in scenario 2 (30 s in the shipped file), so the
# restarted daemon's health check of the dead worker shows within a second of its first monitoring pass.
MONITOR_POLL_S = 1
# Scenario 2: how long the run must stay STARTED with no daemon running, after the dead worker has been
# reaped (its pid gone): nothing else may fail it meanwhile.
DOWN_S = 3.0
TEST_BUDGET_S = 175.0
ACTIVE = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
          DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
STARTED_PID = re.compile(r"Started process for run \(pid: (\d+)\)")
HANDED = re.compile(r"Run handed to (a standby worker|a new worker)\b.*, pid (\d+)\.")
# The launcher's waiting thread: "The run worker (pid N) exited with code -9 before the run finished."
WATCHER_FAILED = r"\bpid {pid}\b.* exited with code -9\b"  # a pattern, for str.format
# Run monitoring (dagster/_daemon/monitoring/run_monitoring.py) quoting check_run_worker_health:
# "Detected run worker status FAILED: 'The run worker <tag> is no longer running.'. Marking run <id> as failed."
MONITOR_FAILED = "Detected run worker status FAILED: "
# Project tables written once per run rather than once per day's content: a killed run plus its retry
# legitimately adds rows there that a single clean run does not.
PER_RUN_TABLES = {"stage_timings"}


# --- the clean day ------------------------------------------------------------------------------------


@dataclass
class CleanDay:
    code: Path
    inbox: Path
    snapshot: Snapshot
    files: dict[str, bytes]  # export path under exports/<day>/ -> bytes
    table_rows: dict[str, int]
    assets: set[str]  # assets a run of the job materializes for the day
    seconds: float


def _base_env(code: Path, inbox: Path, data: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIDGE_", "DAGSTER_"))}
    env.update({
        "DAGSTER_HOME": str(home),
        "BRIDGE_DATA_DIR": str(data),
        "BRIDGE_INBOX_DIR": str(inbox),
        "NO_PROXY": "127.0.0.1,localhost",
        "PYTHONPATH": str(code),
    })
    return env


def _settings(inbox: Path, data: Path):
    return load_settings({"BRIDGE_INBOX_DIR": str(inbox), "BRIDGE_DATA_DIR": str(data)})


def _export_files(data: Path) -> dict[str, bytes]:
    root = data / "exports" / DAY.isoformat()
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _database(data: Path) -> Path:
    return data / "bridge.sqlite3"


def _table_rows(data: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{_database(data)}?mode=ro", uri=True, timeout=5) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in sorted(tables)}


def _meeting_ids(data: Path) -> list[str]:
    if not _database(data).exists():
        return []
    try:
        with sqlite3.connect(f"file:{_database(data)}?mode=ro", uri=True, timeout=0.05) as conn:
            return [row[0] for row in conn.execute("SELECT meeting_id FROM meetings")]
    except sqlite3.Error:  # not created yet, or locked by the writer this instant
        return []


def _materializations(instance: DagsterInstance, asset: str) -> list[tuple[str, str | None]]:
    """(run id, partition) of every materialization record of `asset`, oldest first."""
    records = instance.fetch_materializations(AssetKey(asset), limit=1000, ascending=True).records
    return [(r.event_log_entry.run_id, r.event_log_entry.dagster_event.partition) for r in records]


@pytest.fixture(scope="module")
def clean_day(tmp_path_factory) -> CleanDay:
    """The day of 30 meetings, run once to the end by `dagster asset materialize` (no daemon, no fault)."""
    base = tmp_path_factory.mktemp("clean_day")
    code = snapshot_code(base)
    inbox = base / "inbox"
    stems = synthetic_day.build_day(inbox, DAY, MEETINGS)
    assert len(stems) == MEETINGS
    data, home = base / "data", base / "dagster_home"
    home.mkdir()
    started = time.monotonic()
    done = subprocess.run(
        [str(DAGSTER), "asset", "materialize", "-m", "bridge_pipeline.definitions",
         "--select", "group:meeting_line", "--partition", DAY.isoformat()],
        env=_base_env(code, inbox, data, home), cwd=base, capture_output=True, text=True, timeout=600,
    )
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-3000:]
    clean = snapshot(_settings(inbox, data))
    assert len(clean.meetings) == MEETINGS and clean.exports
    with DagsterInstance.from_config(str(home)) as instance:
        assets = {key.to_user_string() for key in instance.get_asset_keys()
                  if any(partition == DAY.isoformat() for _, partition in _materializations(instance, key.to_user_string()))}
    assert {"raw_recordings", "contract_exports"} <= assets, assets
    return CleanDay(code, inbox, clean, _export_files(data), _table_rows(data), assets, seconds)


# --- the daemon ---------------------------------------------------------------------------------------


@dataclass
class DaemonLine:
    """`dagster-daemon run` on its own DAGSTER_HOME and data folder, reading the clean day's inbox.

    Each start is a new session and process group: the daemon, its code server and the run workers and
    standby worker `PrewarmedRunLauncher` starts (children of the daemon) are all in it."""

    workdir: Path
    env: dict[str, str]
    deadline: float
    process: subprocess.Popen | None = None  # the daemon expected to be running (None while it is down)
    groups: list[int] = field(default_factory=list)  # every daemon started, by pid (= its process group)
    timeline: list[str] = field(default_factory=list)
    started_at: float = field(default_factory=time.monotonic)

    @property
    def home(self) -> Path:
        return Path(self.env["DAGSTER_HOME"])

    @property
    def data(self) -> Path:
        return Path(self.env["BRIDGE_DATA_DIR"])

    @property
    def logs(self) -> list[Path]:
        return [self.workdir / f"daemon{n}.{stream}.log" for n in range(len(self.groups)) for stream in ("out", "err")]

    def note(self, what: str) -> None:
        self.timeline.append(f"{time.monotonic() - self.started_at:6.1f} s  {what}")

    def start(self) -> None:
        n = len(self.groups)
        with (self.workdir / f"daemon{n}.out.log").open("wb") as out, (self.workdir / f"daemon{n}.err.log").open("wb") as err:
            self.process = subprocess.Popen(
                [str(DAEMON), "run", "-m", "bridge_pipeline.definitions"],
                cwd=self.workdir, env=self.env, stdout=out, stderr=err, start_new_session=True,
            )
        self.groups.append(self.process.pid)
        self.note(f"daemon started (pid {self.process.pid})")

    def crash(self) -> None:
        """SIGKILL to the daemon first (so its thread waiting on the run worker dies with it, before it can see
        the worker die), then to the rest of its process group: code server, standby and run worker."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    def stop(self) -> None:
        """The running daemon (SIGTERM, then SIGKILL to its group); stragglers of earlier groups too."""
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                pass
        for group in self.groups:
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process is not None and self.process.poll() is None:
            self.process.wait(timeout=10)

    def check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"dagster-daemon exited with code {self.process.returncode}\n{self.tail()}")

    def tail(self, chars: int = 5000) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())[-chars:]

    def wait(self, what: str, ready: Callable[[], object], timeout_s: float, poll_s: float = 0.2):
        until = min(time.monotonic() + timeout_s, self.deadline)
        while time.monotonic() < until:
            self.check_alive()
            value = ready()
            if value:
                return value
            time.sleep(poll_s)
        raise AssertionError(f"timed out waiting for {what}\n" + "\n".join(self.timeline) + f"\n{self.tail()}")

    def launch(self, run_id: str) -> None:
        """Submits a run of the job for the day to the instance's queue, as `dagster job launch` does."""
        done = subprocess.run(
            [str(DAGSTER), "job", "launch", "-m", "bridge_pipeline.definitions", "-j", JOB,
             "--tags", json.dumps({"dagster/partition": DAY.isoformat()}), "--run-id", run_id],
            env=self.env, cwd=self.workdir, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        self.note(f"run {run_id[:8]} submitted")


def _instance_file(home: Path, **run_monitoring: int) -> dict:
    """The project's dagster.yaml with the given run_monitoring values changed; everything else as shipped."""
    shipped = yaml.safe_load((REPO / "dagster.yaml").read_text(encoding="utf-8"))
    # The launcher under test, and what the retry of a crashed worker relies on, as shipped.
    assert shipped["run_launcher"]["class"] == LAUNCHER, shipped["run_launcher"]
    assert shipped["run_retries"] == {"enabled": True, "max_retries": 1, "retry_on_asset_or_op_failure": False}
    assert shipped["run_monitoring"]["enabled"] is True
    # A dead worker is failed, not resumed (the launcher cannot resume a run).
    assert shipped["run_monitoring"]["max_resume_run_attempts"] == 0
    config = json.loads(json.dumps(shipped))
    config["run_monitoring"].update(run_monitoring)
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config


def _proc(pid: int) -> tuple[int, int, str, str]:
    """(parent pid, session id, state, command line) of a process."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return int(fields[1]), int(fields[3]), fields[0], cmdline


def _group_members(pgid: int) -> list[tuple[int, str]]:
    """(pid, state) of every process still in process group `pgid` (zombies included)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid:
            found.append((int(name), fields[0]))
    return found


def _started_pid(instance: DagsterInstance, run_id: str) -> int | None:
    """The pid the run's worker reported itself ("Started process for run (pid: N)")."""
    for entry in instance.all_logs(run_id, of_type=DagsterEventType.ENGINE_EVENT):
        found = STARTED_PID.search(entry.dagster_event.message or "")
        if found:
            return int(found.group(1))
    return None


def _handed(instance: DagsterInstance, run_id: str) -> tuple[str, int] | None:
    """How the launcher handed the run ("a standby worker" / "a new worker") and to which pid."""
    for message in _engine_messages(instance, run_id):
        found = HANDED.search(message)
        if found:
            return found.group(1), int(found.group(2))
    return None


def _tag_pid(tag: str) -> int:
    host, pid, ticks = tag.split(":")
    assert host and ticks.isdigit(), tag
    return int(pid)


def _engine_messages(instance: DagsterInstance, run_id: str) -> list[str]:
    return [e.dagster_event.message or "" for e in instance.all_logs(run_id, of_type=DagsterEventType.ENGINE_EVENT)]


def _event_time(instance: DagsterInstance, run_id: str, event_type: DagsterEventType) -> float | None:
    entries = instance.all_logs(run_id, of_type=event_type)
    return entries[-1].timestamp if entries else None


def _steps(instance: DagsterInstance, run_id: str, event_type: DagsterEventType) -> set[str]:
    return {e.dagster_event.step_key for e in instance.all_logs(run_id, of_type=event_type)}


def _check_after_kill(data: Path, clean: CleanDay) -> int:
    """No duplicate rows, no visible export file that is not whole; returns the hidden temp files left."""
    meetings = _meeting_ids(data)
    assert len(meetings) == len(set(meetings)), "duplicate meeting rows after the kill"
    assert len(meetings) <= MEETINGS
    hidden = 0
    for name, content in _export_files(data).items():
        if Path(name).name.startswith("."):
            hidden += 1  # a write in flight keeps a hidden temporary name: not visible as an export
            continue
        assert name in clean.files, f"{name} is not an export a clean run writes"
        assert content == clean.files[name], f"{name} is visible half-written or different from a clean run's"
    return hidden


@dataclass
class Outcome:
    run_id: str
    retry_id: str
    worker_tag: str
    worker_pid: int
    worker_kind: str  # how the killed run was handed: "a new worker" (cold) or "a standby worker"
    retry_kind: str
    kill_at: float  # epoch seconds
    restart_at: float | None  # scenario 2: when the fresh daemon was started
    failed_at: float
    retry_created_at: float
    retry_started_at: float
    retry_done_at: float
    hidden_temps_after_kill: int
    rows_after_kill: int
    failed_tags: dict[str, str]
    failed_messages: list[str]
    failure_message: str  # the RUN_FAILURE event's
    succeeded_before_kill: set[str]
    retried_steps: set[str]
    materialized: dict[str, list[tuple[str, str | None]]]
    statuses: dict[str, str]


def _run_scenario(line: DaemonLine, clean: CleanDay, *, crash_daemon: bool, kill_point: Callable[[], bool]) -> Outcome:
    """Daemon up, one run submitted, SIGKILL at `kill_point` (the run worker; with `crash_daemon` the daemon's
    whole process group first, then a fresh daemon), then wait for the failure and the retry."""
    run_id = str(uuid.uuid4())
    line.start()
    instance = DagsterInstance.from_config(str(line.home))
    try:
        assert type(instance.run_launcher).__name__ == LAUNCHER
        line.launch(run_id)

        def worker() -> tuple[str, int, tuple[str, int]] | None:
            run = instance.get_run_by_id(run_id)
            assert run is None or run.status not in (DagsterRunStatus.FAILURE, DagsterRunStatus.SUCCESS), \
                f"run ended before the kill point: {run.status}"
            tag = run.tags.get(WORKER_TAG) if run is not None else None
            started, handed = _started_pid(instance, run_id), _handed(instance, run_id)
            return (tag, started, handed) if tag and started and handed else None

        tag, started_pid, (kind, handed_pid) = line.wait("the run worker to start", worker, timeout_s=120)
        pid = _tag_pid(tag)
        # The tag, the launcher's engine event and the worker's own "Started process" event name one process.
        assert pid == started_pid == handed_pid, (tag, started_pid, handed_pid)
        parent, session, _, cmdline = _proc(pid)
        daemon_pid = line.process.pid
        # The daemon launched it: its parent and its session (no code server in between).
        assert parent == daemon_pid, f"the run worker's parent is not the daemon: {_proc(parent)[3]}"
        assert session == daemon_pid, "the run worker is not in the daemon's session"
        assert ("api execute_run" in cmdline) if kind == "a new worker" else (WORKER_MODULE in cmdline), (kind, cmdline)
        line.note(f"run worker {tag} ({kind}), its parent the daemon {daemon_pid}")

        def at_kill_point() -> bool:
            run = instance.get_run_by_id(run_id)
            assert run is not None and run.status in (DagsterRunStatus.STARTING, DagsterRunStatus.STARTED), \
                f"run ended before the kill point: {run and run.status}"
            return run.status == DagsterRunStatus.STARTED and kill_point()

        line.wait("the kill point", at_kill_point, timeout_s=120, poll_s=0.01)
        if crash_daemon:
            line.crash()  # the daemon first, then its group (code server, standby, this run's worker)
        else:
            os.kill(pid, signal.SIGKILL)
        kill_at = time.time()
        line.note("SIGKILL " + ("daemon, its process group and the run worker" if crash_daemon else "run worker"))
        hidden = _check_after_kill(line.data, clean)
        rows_after_kill = len(_meeting_ids(line.data))
        succeeded_before_kill = _steps(instance, run_id, DagsterEventType.STEP_SUCCESS)
        line.note(f"after the kill: {rows_after_kill} meeting rows, {len(_export_files(line.data))} export files "
                  f"({hidden} hidden temp), steps done {sorted(succeeded_before_kill)}")

        restart_at = None
        if crash_daemon:
            # Nobody watches the worker now: the run stays STARTED while the worker is reaped (by init, its
            # new parent) and for DOWN_S after that.
            gone_at = None
            until = time.monotonic() + 30
            while gone_at is None or time.monotonic() < gone_at + DOWN_S:
                assert time.monotonic() < until, f"the killed worker {pid} was not reaped: {_proc(pid)}"
                status = instance.get_run_by_id(run_id).status
                assert status == DagsterRunStatus.STARTED, \
                    f"run left STARTED with no daemon running: {status} {_engine_messages(instance, run_id)}"
                if gone_at is None and not Path(f"/proc/{pid}").exists():
                    gone_at = time.monotonic()
                    line.note(f"worker {pid} gone (reaped) {time.time() - kill_at:.1f} s after the kill")
                time.sleep(0.1)
            left = [(p, state) for p, state in _group_members(line.groups[-1]) if state != "Z"]
            assert not left, f"processes of the killed daemon's group still running: {left}"
            line.note(f"run still STARTED {time.time() - kill_at:.1f} s after the kill; starting a fresh daemon")
            restart_at = time.time()
            line.start()

        def failed() -> bool:
            return instance.get_run_by_id(run_id).status == DagsterRunStatus.FAILURE

        line.wait("the killed run to be marked failed", failed, timeout_s=120, poll_s=0.1)
        failed_at = _event_time(instance, run_id, DagsterEventType.RUN_FAILURE)
        line.note(f"run marked FAILURE {failed_at - kill_at:.1f} s after the kill"
                  + (f", {failed_at - restart_at:.1f} s after the restart" if restart_at else ""))

        def retry():
            messages = _engine_messages(instance, run_id)
            assert "Failed to retry run" not in messages, f"the retry daemon could not retry: {messages}"
            run = instance.get_run_by_id(run_id)
            retry_id = run.tags.get("dagster/auto_retry_run_id")
            if retry_id is None:
                return None
            retry_run = instance.get_run_by_id(retry_id)
            if retry_run is None:
                return None
            assert retry_run.status != DagsterRunStatus.FAILURE, \
                f"the retry failed: {_engine_messages(instance, retry_id)}\n{line.tail()}"
            return retry_id if retry_run.status == DagsterRunStatus.SUCCESS else None

        retry_id = line.wait("the retry to succeed", retry, timeout_s=150, poll_s=0.2)
        retry_kind, retry_pid = _handed(instance, retry_id)
        retry_tag = instance.get_run_by_id(retry_id).tags.get(WORKER_TAG)
        assert retry_tag and _tag_pid(retry_tag) == retry_pid == _started_pid(instance, retry_id), retry_tag
        line.note(f"retry {retry_id[:8]} SUCCESS ({retry_kind}, pid {retry_pid})")
        line.wait("no run in progress", lambda: instance.get_runs_count(RunsFilter(statuses=ACTIVE)) == 0, timeout_s=30)

        failed_record = instance.get_run_record_by_id(run_id)
        retry_record = instance.get_run_record_by_id(retry_id)
        return Outcome(
            run_id=run_id,
            retry_id=retry_id,
            worker_tag=tag,
            worker_pid=pid,
            worker_kind=kind,
            retry_kind=retry_kind,
            kill_at=kill_at,
            restart_at=restart_at,
            failed_at=failed_at,
            retry_created_at=retry_record.create_timestamp.timestamp(),
            retry_started_at=_event_time(instance, retry_id, DagsterEventType.RUN_START),
            retry_done_at=_event_time(instance, retry_id, DagsterEventType.RUN_SUCCESS),
            hidden_temps_after_kill=hidden,
            rows_after_kill=rows_after_kill,
            failed_tags=dict(failed_record.dagster_run.tags),
            failed_messages=[e.dagster_event.message or "" for e in instance.all_logs(
                run_id, of_type={DagsterEventType.ENGINE_EVENT, DagsterEventType.RUN_CANCELING, DagsterEventType.RUN_FAILURE})],
            failure_message=instance.all_logs(run_id, of_type=DagsterEventType.RUN_FAILURE)[-1].dagster_event.message or "",
            succeeded_before_kill=succeeded_before_kill,
            retried_steps=_steps(instance, retry_id, DagsterEventType.STEP_START),
            materialized={asset: _materializations(instance, asset) for asset in clean.assets},
            statuses={r.dagster_run.run_id: r.dagster_run.status.value for r in instance.get_run_records()},
        )
    finally:
        line.stop()
        instance.dispose()
        for entry in line.timeline:
            print(entry)


def _assert_clean_outcome(line: DaemonLine, clean: CleanDay, outcome: Outcome, *, failure_reason: str | None) -> None:
    # The runs: the killed one failed, exactly one retry (max_retries 1), which succeeded; nothing else ran.
    assert outcome.statuses == {outcome.run_id: "FAILURE", outcome.retry_id: "SUCCESS"}, outcome.statuses
    # A killed worker is not a step failure (no STEP_FAILURE reason), so retry_on_asset_or_op_failure: false
    # does not apply and the run is retried.
    assert outcome.failed_tags.get("dagster/failure_reason") == failure_reason, outcome.failed_tags
    assert outcome.failed_tags.get("dagster/will_retry") == "true", outcome.failed_tags
    # Re-executed from failure: the retry ran the steps the killed run had not finished, and only those
    # (asset steps, and the separate steps of the latency checks).
    assert not outcome.retried_steps & outcome.succeeded_before_kill
    assert outcome.retried_steps & clean.assets == clean.assets - outcome.succeeded_before_kill
    # One materialization per asset for the day across both runs, by the run that executed its step.
    for asset, records in outcome.materialized.items():
        expected_run = outcome.run_id if asset in outcome.succeeded_before_kill else outcome.retry_id
        assert records == [(expected_run, DAY.isoformat())], f"{asset}: {records}"

    # The data: exactly a clean run's rows and export bytes, nothing half-written or temporary left.
    settings = _settings(clean.inbox, line.data)
    assert_same_as_clean(snapshot(settings), clean.snapshot)
    assert _export_files(line.data) == clean.files, "export bytes (or leftover files) differ from a clean run's"
    assert visible_partial_files(line.data / "exports") == []
    rows = _table_rows(line.data)
    assert {t: n for t, n in rows.items() if t not in PER_RUN_TABLES} == \
        {t: n for t, n in clean.table_rows.items() if t not in PER_RUN_TABLES}, "row counts differ from a clean run's"
    with sqlite3.connect(f"file:{_database(line.data)}?mode=ro", uri=True) as conn:
        assert not conn.execute("SELECT meeting_id FROM meetings GROUP BY meeting_id HAVING COUNT(*) > 1").fetchall()


def _daemon_line(tmp_path: Path, clean: CleanDay, **run_monitoring: int) -> DaemonLine:
    home = tmp_path / "dagster_home"
    config = _instance_file(home, **run_monitoring)
    env = _base_env(clean.code, clean.inbox, tmp_path / "data", home)
    line = DaemonLine(tmp_path, env, deadline=time.monotonic() + TEST_BUDGET_S)
    line.note(f"run_launcher {config['run_launcher']}, run_monitoring {config['run_monitoring']}, "
              f"run_retries {config['run_retries']}")
    return line


def _figures(outcome: Outcome) -> str:
    restart = ("" if outcome.restart_at is None else
               f" (fresh daemon started {outcome.restart_at - outcome.kill_at:.1f} s after the kill, the run failed "
               f"{outcome.failed_at - outcome.restart_at:.1f} s after that)")
    return (f"dead worker marked failed {outcome.failed_at - outcome.kill_at:.1f} s after the kill{restart}; retry created "
            f"{outcome.retry_created_at - outcome.failed_at:.1f} s after that, started (RUN_START) "
            f"{outcome.retry_started_at - outcome.kill_at:.1f} s and succeeded {outcome.retry_done_at - outcome.kill_at:.1f} s "
            f"after the kill; killed run on {outcome.worker_kind}, retry on {outcome.retry_kind}; "
            f"retried steps {sorted(outcome.retried_steps)}")


def test_killed_worker_is_failed_by_its_daemon_and_retried_to_a_clean_day(clean_day, tmp_path):
    started = time.monotonic()
    # The shipped dagster.yaml as is: run monitoring every 30 s, which a failure within seconds cannot be.
    line = _daemon_line(tmp_path, clean_day)
    export_root = line.data / "exports" / DAY.isoformat()

    def exporting() -> bool:  # the export stage has written its first file
        return export_root.exists() and any(p.is_file() for p in export_root.rglob("*"))

    outcome = _run_scenario(line, clean_day, crash_daemon=False, kill_point=exporting)
    print(f"clean CLI run {clean_day.seconds:.1f} s; " + _figures(outcome) + f"; test {time.monotonic() - started:.0f} s")

    assert "contract_exports" not in outcome.succeeded_before_kill, "the kill did not land in the export stage"
    # Who noticed: the launcher's thread waiting on the worker, in the daemon that launched it (the worker's
    # parent), as soon as the worker exited; not run monitoring, nor max_runtime.
    assert re.search(WATCHER_FAILED.format(pid=outcome.worker_pid), outcome.failure_message), \
        outcome.failed_messages
    assert not any("Detected run worker status" in m or "maximum runtime" in m for m in outcome.failed_messages), \
        outcome.failed_messages
    assert outcome.failed_at - outcome.kill_at < 5, _figures(outcome)
    # The first run after the daemon's start had no standby (cold); the retry got the standby the launcher
    # started meanwhile.
    assert (outcome.worker_kind, outcome.retry_kind) == ("a new worker", "a standby worker"), _figures(outcome)
    _assert_clean_outcome(line, clean_day, outcome, failure_reason="UNEXPECTED_TERMINATION")


def test_killed_daemon_and_worker_are_failed_by_run_monitoring_after_restart_and_retried(clean_day, tmp_path):
    started = time.monotonic()
    line = _daemon_line(tmp_path, clean_day, poll_interval_seconds=MONITOR_POLL_S)

    def ingesting() -> bool:  # raw_recordings has committed the first meeting rows
        return bool(_meeting_ids(line.data))

    outcome = _run_scenario(line, clean_day, crash_daemon=True, kill_point=ingesting)
    print(f"clean CLI run {clean_day.seconds:.1f} s; " + _figures(outcome) + f"; test {time.monotonic() - started:.0f} s")

    # Killed mid-partition: the first rows of the day were committed, the exports not yet written (the
    # ingest stage may or may not have recorded its success in the few ms between its commit and the kill).
    assert outcome.rows_after_kill and "contract_exports" not in outcome.succeeded_before_kill
    # Who noticed: the fresh daemon's run monitoring, through the launcher's check_run_worker_health (the
    # tagged pid is gone), naming the dead worker; not the killed daemon's waiting thread, nor max_runtime.
    assert outcome.failure_message.startswith(MONITOR_FAILED) and outcome.worker_tag in outcome.failure_message, \
        outcome.failed_messages
    assert not any("exited with code" in m or "maximum runtime" in m for m in outcome.failed_messages), \
        outcome.failed_messages
    # Within a few monitoring passes of the fresh daemon's start (its code server loads first).
    assert outcome.restart_at is not None and outcome.failed_at - outcome.restart_at < 30, _figures(outcome)
    _assert_clean_outcome(line, clean_day, outcome, failure_reason=None)
