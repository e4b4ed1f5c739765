"""The run worker is killed under the real `dagster-daemon run` (issue 16's two daemon scenarios).

Each test starts `dagster-daemon run -m bridge_pipeline.definitions` (as bench/latency.py does) on a fresh
DAGSTER_HOME holding the project's dagster.yaml, with run monitoring polled every second instead of every
30 s (the only value changed for scenario 1), submits one run of `meeting_line_job` for a day of 30
synthetic meetings (bench/synthetic_day.py) with `dagster job launch` (the run is queued and launched by the
daemon, on the daemon's code server), and SIGKILLs the run's worker process mid-partition:

1. `test_killed_worker_is_failed_and_retried_to_a_clean_day`: only the run worker, while it writes the
   exports. With the DefaultRunLauncher the run is marked failed by the *code server* (its cleanup thread
   polls its run subprocesses every 0.5 s and reports a dead one as failed), not by run monitoring:
   DefaultRunLauncher does not implement `check_run_worker_health` (`supports_check_run_worker_health` is
   False), so the monitoring daemon only applies start_timeout / cancel_timeout / max_runtime to it.
2. `test_killed_worker_and_code_server_are_reaped_by_max_runtime_and_retried`: the code server that launched
   the run and the run worker together, while the run ingests. Nothing is left to notice the dead worker,
   so the run stays STARTED until run monitoring finds it over `max_runtime_seconds` (90 s in this test's
   copy of dagster.yaml, see MAX_RUNTIME_S for why not less) and marks it failed.

Both failures carry no step failure (no `dagster/failure_reason` tag), so `retry_on_asset_or_op_failure:
false` does not stop the retry; run retries (max_retries 1) re-execute the run from failure. What must hold,
on the data:
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
# Run monitoring looks at in-progress runs this often in the tests (30 s in the shipped file), so a
# detection by run monitoring shows within a second of becoming due.
MONITOR_POLL_S = 1
# How long the test's instance lets a run stay STARTED. Not 20 s: it must outlast the daemon replacing the
# code server the test kills. `dagster-daemon run -m ...` starts its code server itself and starts a new one
# only when it reloads its workspace, every 60 s from its start (RELOAD_WORKSPACE_INTERVAL in
# dagster/_daemon/controller.py), plus the new server's import. A run reaped before that is never retried:
# the retry daemon plans the re-execution over gRPC (create_reexecuted_run -> get_execution_plan), gets
# DagsterUserCodeUnreachableError, logs "Failed to retry run" and sets dagster/will_retry=false for good
# (run_queue.max_user_code_failure_retries covers launching a queued run, not creating the retry). Measured
# with 20 s: the run was reaped 19.8 s after the kill, 33 s after the daemon started, and never retried.
# 90 s puts the reaping past the reload (the run starts ~10 to 20 s after the daemon).
MAX_RUNTIME_S = 90
TEST_BUDGET_S = 175.0
ACTIVE = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
          DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
STARTED_PID = re.compile(r"Started process for run \(pid: (\d+)\)")
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
    """`dagster-daemon run` on its own DAGSTER_HOME and data folder, reading the clean day's inbox."""

    workdir: Path
    env: dict[str, str]
    deadline: float
    process: subprocess.Popen | None = None
    timeline: list[str] = field(default_factory=list)
    started_at: float = field(default_factory=time.monotonic)

    @property
    def home(self) -> Path:
        return Path(self.env["DAGSTER_HOME"])

    @property
    def data(self) -> Path:
        return Path(self.env["BRIDGE_DATA_DIR"])

    def note(self, what: str) -> None:
        self.timeline.append(f"{time.monotonic() - self.started_at:6.1f} s  {what}")

    def start(self) -> None:
        with (self.workdir / "daemon.out.log").open("wb") as out, (self.workdir / "daemon.err.log").open("wb") as err:
            self.process = subprocess.Popen(
                [str(DAEMON), "run", "-m", "bridge_pipeline.definitions"],
                cwd=self.workdir, env=self.env, stdout=out, stderr=err, start_new_session=True,
            )
        self.note(f"daemon started (pid {self.process.pid})")

    def stop(self) -> None:
        """The daemon, its code servers and run workers share one session and process group."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
            except ProcessLookupError:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # stragglers of the group
        except ProcessLookupError:
            pass
        if self.process.poll() is None:
            self.process.wait(timeout=10)

    def check_alive(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"dagster-daemon exited with code {self.process.returncode}\n{self.tail()}")

    def tail(self, chars: int = 5000) -> str:
        logs = [self.workdir / "daemon.out.log", self.workdir / "daemon.err.log"]
        return "\n".join(p.read_text(errors="replace") for p in logs if p.exists())[-chars:]

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
    # What the retry of a crashed worker relies on, as shipped.
    assert shipped["run_retries"] == {"enabled": True, "max_retries": 1, "retry_on_asset_or_op_failure": False}
    assert shipped["run_monitoring"]["enabled"] is True
    # The shipped cap must outlast the daemon replacing a dead code server, or the reaped run is never
    # retried (see MAX_RUNTIME_S).
    assert shipped["run_monitoring"]["max_runtime_seconds"] >= MAX_RUNTIME_S
    config = json.loads(json.dumps(shipped))
    config["run_monitoring"].update(run_monitoring)
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config


def _proc(pid: int) -> tuple[int, int, str]:
    """(parent pid, session id, command line) of a live process."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return int(fields[1]), int(fields[3]), cmdline


def _code_servers(daemon_pid: int) -> list[int]:
    """The daemon's live code servers (`dagster api grpc` children), by pid."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            parent, _, cmdline = _proc(int(name))
        except (OSError, ValueError, IndexError):
            continue
        if parent == daemon_pid and "api grpc" in cmdline:
            found.append(int(name))
    return sorted(found)


def _worker_pid(instance: DagsterInstance, run_id: str) -> int | None:
    for entry in instance.all_logs(run_id, of_type=DagsterEventType.ENGINE_EVENT):
        found = STARTED_PID.search(entry.dagster_event.message or "")
        if found:
            return int(found.group(1))
    return None


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
    kill_at: float  # epoch seconds
    failed_at: float
    retry_created_at: float
    retry_started_at: float
    retry_done_at: float
    run_start_at: float
    hidden_temps_after_kill: int
    rows_after_kill: int
    failed_tags: dict[str, str]
    failed_messages: list[str]
    code_servers_at_failure: list[int]
    killed_code_server: int | None
    succeeded_before_kill: set[str]
    retried_steps: set[str]
    materialized: dict[str, list[tuple[str, str | None]]]
    statuses: dict[str, str]


def _run_scenario(line: DaemonLine, clean: CleanDay, *, kill_code_server: bool,
                  kill_point: Callable[[], bool], stays_started_s: float | None = None) -> Outcome:
    """Daemon up, one run submitted, SIGKILL at `kill_point`, then wait for the failure and the retry.

    `stays_started_s`: the killed run must still be STARTED until that many seconds after its start."""
    run_id = str(uuid.uuid4())
    line.start()
    instance = DagsterInstance.from_config(str(line.home))
    try:
        line.launch(run_id)

        def worker() -> int | None:
            run = instance.get_run_by_id(run_id)
            assert run is None or run.status not in (DagsterRunStatus.FAILURE, DagsterRunStatus.SUCCESS), \
                f"run ended before the kill point: {run.status}"
            return _worker_pid(instance, run_id)

        pid = line.wait("the run worker to start", worker, timeout_s=120)
        parent, session, cmdline = _proc(pid)
        code_server = parent
        assert session == line.process.pid, "the run worker is not in the daemon's session"
        assert "multiprocessing" in cmdline, cmdline
        assert "grpc" in _proc(code_server)[2], f"the worker's parent is not a code server: {_proc(code_server)[2]}"
        line.note(f"run worker pid {pid}, its code server pid {code_server}")

        def at_kill_point() -> bool:
            run = instance.get_run_by_id(run_id)
            assert run is not None and run.status in (DagsterRunStatus.STARTING, DagsterRunStatus.STARTED), \
                f"run ended before the kill point: {run and run.status}"
            return kill_point()

        line.wait("the kill point", at_kill_point, timeout_s=120, poll_s=0.01)
        if kill_code_server:
            os.kill(code_server, signal.SIGKILL)  # first, so it cannot see its worker die
        os.kill(pid, signal.SIGKILL)
        kill_at = time.time()
        line.note("SIGKILL " + ("code server and run worker" if kill_code_server else "run worker"))
        hidden = _check_after_kill(line.data, clean)
        rows_after_kill = len(_meeting_ids(line.data))
        succeeded_before_kill = _steps(instance, run_id, DagsterEventType.STEP_SUCCESS)
        line.note(f"after the kill: {rows_after_kill} meeting rows, {len(_export_files(line.data))} export files "
                  f"({hidden} hidden temp), steps done {sorted(succeeded_before_kill)}")

        def failed() -> bool:
            record = instance.get_run_record_by_id(run_id)
            if stays_started_s is not None and time.time() < record.start_time + stays_started_s - 0.5:
                assert record.dagster_run.status == DagsterRunStatus.STARTED, (
                    f"run left STARTED {time.time() - kill_at:.1f} s after the kill, before max_runtime: "
                    f"{record.dagster_run.status} {_engine_messages(instance, run_id)}")
            return record.dagster_run.status == DagsterRunStatus.FAILURE

        line.wait("the killed run to be marked failed", failed, timeout_s=150, poll_s=0.1)
        code_servers_at_failure = _code_servers(line.process.pid)
        failed_at = _event_time(instance, run_id, DagsterEventType.RUN_FAILURE)
        line.note(f"run marked FAILURE {failed_at - kill_at:.1f} s after the kill; the daemon's code servers then: "
                  f"{code_servers_at_failure}")

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
        line.note(f"retry {retry_id[:8]} SUCCESS")
        line.wait("no run in progress", lambda: instance.get_runs_count(RunsFilter(statuses=ACTIVE)) == 0, timeout_s=30)

        failed_record = instance.get_run_record_by_id(run_id)
        retry_record = instance.get_run_record_by_id(retry_id)
        return Outcome(
            run_id=run_id,
            retry_id=retry_id,
            kill_at=kill_at,
            failed_at=failed_at,
            retry_created_at=retry_record.create_timestamp.timestamp(),
            retry_started_at=_event_time(instance, retry_id, DagsterEventType.RUN_START),
            retry_done_at=_event_time(instance, retry_id, DagsterEventType.RUN_SUCCESS),
            run_start_at=failed_record.start_time,
            hidden_temps_after_kill=hidden,
            rows_after_kill=rows_after_kill,
            failed_tags=dict(failed_record.dagster_run.tags),
            failed_messages=[e.dagster_event.message or "" for e in instance.all_logs(
                run_id, of_type={DagsterEventType.ENGINE_EVENT, DagsterEventType.RUN_CANCELING, DagsterEventType.RUN_FAILURE})],
            code_servers_at_failure=code_servers_at_failure,
            killed_code_server=code_server if kill_code_server else None,
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


def _assert_clean_outcome(line: DaemonLine, clean: CleanDay, outcome: Outcome) -> None:
    # The runs: the killed one failed, exactly one retry (max_retries 1), which succeeded; nothing else ran.
    assert outcome.statuses == {outcome.run_id: "FAILURE", outcome.retry_id: "SUCCESS"}, outcome.statuses
    # A killed worker is not a step failure: no failure reason tag, so retry_on_asset_or_op_failure: false
    # does not apply and the run is retried.
    assert "dagster/failure_reason" not in outcome.failed_tags, outcome.failed_tags
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
    config = _instance_file(home, poll_interval_seconds=MONITOR_POLL_S, **run_monitoring)
    env = _base_env(clean.code, clean.inbox, tmp_path / "data", home)
    line = DaemonLine(tmp_path, env, deadline=time.monotonic() + TEST_BUDGET_S)
    line.note(f"run_monitoring {config['run_monitoring']}, run_retries {config['run_retries']}")
    return line


def _figures(outcome: Outcome) -> str:
    return (f"dead worker marked failed {outcome.failed_at - outcome.kill_at:.1f} s after the kill; retry created "
            f"{outcome.retry_created_at - outcome.failed_at:.1f} s after that, started (RUN_START) "
            f"{outcome.retry_started_at - outcome.kill_at:.1f} s and succeeded {outcome.retry_done_at - outcome.kill_at:.1f} s "
            f"after the kill; retried steps {sorted(outcome.retried_steps)}")


def test_killed_worker_is_failed_and_retried_to_a_clean_day(clean_day, tmp_path):
    started = time.monotonic()
    line = _daemon_line(tmp_path, clean_day)
    export_root = line.data / "exports" / DAY.isoformat()

    def exporting() -> bool:  # the export stage has written its first file
        return export_root.exists() and any(p.is_file() for p in export_root.rglob("*"))

    outcome = _run_scenario(line, clean_day, kill_code_server=False, kill_point=exporting)
    print(f"clean CLI run {clean_day.seconds:.1f} s; " + _figures(outcome) + f"; test {time.monotonic() - started:.0f} s")

    assert "contract_exports" not in outcome.succeeded_before_kill, "the kill did not land in the export stage"
    # Who noticed: the code server that launched the run (its subprocess died with SIGKILL), within a
    # couple of its 0.5 s cleanup ticks; not run monitoring, which has no worker health check here.
    assert any(f"Run execution process for {outcome.run_id} was terminated by signal 9 (SIGKILL)" in m
               for m in outcome.failed_messages), outcome.failed_messages
    assert outcome.failed_at - outcome.kill_at < 10, _figures(outcome)
    _assert_clean_outcome(line, clean_day, outcome)


def test_killed_worker_and_code_server_are_reaped_by_max_runtime_and_retried(clean_day, tmp_path):
    started = time.monotonic()
    line = _daemon_line(tmp_path, clean_day, max_runtime_seconds=MAX_RUNTIME_S)

    def ingesting() -> bool:  # raw_recordings has committed the first meeting rows
        return bool(_meeting_ids(line.data))

    # The run must stay STARTED until max_runtime: nothing else notices a worker whose code server died.
    outcome = _run_scenario(line, clean_day, kill_code_server=True, kill_point=ingesting, stays_started_s=MAX_RUNTIME_S)
    print(f"clean CLI run {clean_day.seconds:.1f} s; " + _figures(outcome) + f"; test {time.monotonic() - started:.0f} s")

    # Killed mid-partition: the first rows of the day were committed, the exports not yet written (the
    # ingest stage may or may not have recorded its success in the few ms between its commit and the kill).
    assert outcome.rows_after_kill and "contract_exports" not in outcome.succeeded_before_kill
    # Who noticed: run monitoring, once the run had been STARTED for max_runtime_seconds. It asks the launcher
    # to terminate the run (through the dead code server's socket: an exception, logged), then forces FAILURE.
    assert any(f"Canceling due to exceeding maximum runtime of {MAX_RUNTIME_S} seconds" in m
               for m in outcome.failed_messages), outcome.failed_messages
    assert not any("Run execution process for" in m for m in outcome.failed_messages), outcome.failed_messages
    assert MAX_RUNTIME_S <= outcome.failed_at - outcome.run_start_at < MAX_RUNTIME_S + MONITOR_POLL_S + 10, _figures(outcome)
    # The retry could be planned because the daemon had replaced the killed code server by then.
    assert outcome.code_servers_at_failure and outcome.killed_code_server not in outcome.code_servers_at_failure
    _assert_clean_outcome(line, clean_day, outcome)
