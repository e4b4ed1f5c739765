"""The project store's PostgreSQL goes down in the middle of a day's run (30 synthetic meetings), and comes back.

The run materializes the day in-process, in a thread, against a PostgreSQL of its own (pgserver). The test
stops that server with `pg_ctl stop -m fast` (every session is terminated, as when the database host
restarts) and starts the same data directory again on the same socket. The outage starts either inside the
run just before a stage writes its rows (no statement in flight: the write meets it when it checks out a
connection) or from outside as soon as the day's meeting rows are committed (the run is then often in the
middle of a statement, which the shutdown cuts off). What must hold, on the stored rows, the export files,
the audit trail and the materialization records:
(a) down for 3 s: the run either completes after the outage (the store reconnects; required when no
    statement was cut off) or fails with an error naming the database; a re-run then leaves exactly the
    rows, export bytes and audit entries of a clean run of the same day into another database and folder;
(b) down for 12 s, longer than the store's reconnect budget (cut to 4 s here): the run fails after the
    budget with an error naming the database and saying it was unreachable; nothing half-written is
    visible (each stage's rows of the day are all there or none; every visible export file is byte for
    byte a clean run's, no temporary file); and a re-run once it is back is clean.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from dagster import AssetKey, DagsterInstance

from bridge_pipeline.settings import load_settings
from bridge_pipeline.storage import engine as store_engine
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline_tests.faults.harness import DAY, LINE_ASSET_NAMES, Snapshot, snapshot, visible_partial_files
from bridge_pipeline_tests.faults.pg_outage import RestartablePostgres, count_rows
from bridge_pipeline_tests.line_fixtures import REPO, LineSandbox

pytestmark = [pytest.mark.fault, pytest.mark.postgres]

MEETINGS = 30
SHORT_OUTAGE_S = 3.0
# (b): the store's reconnect budget is cut to this for the test, and the server stays down this long.
SHORT_BUDGET_S = 4.0
LONG_OUTAGE_S = 12.0

_spec = importlib.util.spec_from_file_location("synthetic_day", REPO / "bench" / "synthetic_day.py")
assert _spec is not None and _spec.loader is not None
synthetic_day = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic_day)


@dataclass
class Day:
    line: LineSandbox
    url: str

    @property
    def database(self) -> str:
        return sa.make_url(self.url).database or ""

    def snapshot(self) -> Snapshot:
        return snapshot(self.line.settings)

    def audit_trail(self) -> list[tuple]:
        """The day's audit entries without run ids and times: what was recorded, once each."""
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                rows = conn.exec_driver_sql(
                    "SELECT artifact_kind, action, path, content_sha256, meeting_id, draft_id, draft_version "
                    "FROM audit_log WHERE partition_date = %(day)s", {"day": DAY}
                ).all()
        finally:
            engine.dispose()
        return sorted(tuple("" if v is None else str(v) for v in row) for row in rows)

    def export_files(self) -> dict[str, str]:
        root = self.line.exports(DAY.isoformat())
        if not root.exists():
            return {}
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def pg() -> Iterator[RestartablePostgres]:
    """A server of this module's own: the session's is shared with every other PostgreSQL test."""
    server = RestartablePostgres.start_new()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pg-inbox") / "inbox"
    synthetic_day.build_day(root, DAY, MEETINGS)
    return root


def _day(pg: RestartablePostgres, inbox: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> Day:
    url = pg.create_database()
    env = {"BRIDGE_INBOX_DIR": str(inbox), "BRIDGE_DATA_DIR": str(data), "BRIDGE_DATABASE_URL": url}
    for name, value in env.items():
        monkeypatch.setenv(name, value)  # code that reads the environment itself sees the same store
    return Day(LineSandbox(load_settings(env)), url)


@pytest.fixture(scope="module")
def clean(pg, inbox, tmp_path_factory) -> tuple[Snapshot, dict[str, str], list[tuple]]:
    """The day as an undisturbed run leaves it, in a database and data folder of its own."""
    monkeypatch = pytest.MonkeyPatch()
    try:
        day = _day(pg, inbox, tmp_path_factory.mktemp("pg-clean") / "data", monkeypatch)
        with DagsterInstance.ephemeral() as instance:
            assert day.line.materialize(DAY.isoformat(), instance=instance).success
        got, files, audit = day.snapshot(), day.export_files(), day.audit_trail()
    finally:
        monkeypatch.undo()
    assert len(got.meetings) == MEETINGS and files and audit
    return got, files, audit


@dataclass
class Outcome:
    success: bool
    failures: list[str]  # per failed step: the message of the error the step raised, then its causes
    seconds: float  # from the start of the run to its end
    stopped_at_s: float  # when PostgreSQL was stopped, seconds into the run
    down_s: float
    write_s: float | None  # before_<stage>_write: how long the write that met the outage took (ok or not)


def _failures(result) -> list[str]:
    found = []
    for event in result.all_events:
        if not event.is_step_failure:
            continue
        error = event.event_specific_data.error
        chain = []
        while error is not None:
            if error.cls_name != "DagsterExecutionStepExecutionError":
                chain.append(f"{error.cls_name}: {error.message.strip()}")
            error = error.cause or error.context
        found.append("\n  caused by ".join(chain))
    return found


# Where the outage starts:
# - "before_<stage>_write": in the run, just before that stage writes its rows, with no statement in flight:
#   the write's connection checkout finds the server gone (pre-ping, then reconnect). Before the exports'
#   rows, the export files are already on disk;
# - "meetings_committed": from outside, as soon as the day's meeting rows are visible; the run is then
#   usually in the middle of a statement (its stage timings), which the server's shutdown cuts off.
BEFORE_WRITE = {"before_transcripts_write": "replace_transcripts", "before_exports_write": "replace_exports"}


def _run_with_outage(pg: RestartablePostgres, day: Day, down_for_s: float, trigger: str,
                     monkeypatch: pytest.MonkeyPatch) -> Outcome:
    """Materializes the day in a thread; PostgreSQL is stopped at `trigger` and started `down_for_s` later."""
    result: dict = {}
    outage: dict = {}
    started = time.monotonic()

    def begin_outage() -> None:
        pg.stop()
        outage["stopped_at"] = time.monotonic() - started

        def end_outage() -> None:
            outage["down"] = pg.start()

        outage["timer"] = threading.Timer(down_for_s, end_outage)
        outage["timer"].start()

    if trigger in BEFORE_WRITE:
        method = BEFORE_WRITE[trigger]
        original = getattr(PipelineStore, method)

        def write(store, *args, **kwargs):
            if "stopped_at" in outage:
                return original(store, *args, **kwargs)
            begin_outage()
            try:
                return original(store, *args, **kwargs)
            finally:
                outage["write_s"] = time.monotonic() - started - outage["stopped_at"]

        monkeypatch.setattr(PipelineStore, method, write)

    def run() -> None:
        try:
            with DagsterInstance.ephemeral() as instance:
                run_result = day.line.materialize(DAY.isoformat(), instance=instance, raise_on_error=False)
                result["seconds"] = time.monotonic() - started
                result["success"] = run_result.success
                result["failures"] = _failures(run_result)
                result["materialized"] = {
                    name: instance.get_latest_materialization_event(AssetKey(name)) for name in LINE_ASSET_NAMES
                }
        except BaseException as exc:  # shown by the assertion below
            result["error"] = exc

    worker = threading.Thread(target=run, name="day-run")
    worker.start()
    if trigger == "meetings_committed":
        while worker.is_alive() and time.monotonic() - started < 120:
            if (count_rows(day.url, "SELECT count(*) FROM meetings") or 0) > 0:
                begin_outage()
                break
            time.sleep(0.02)
    worker.join(300)
    assert not worker.is_alive(), "the run did not end within 5 minutes"
    assert "timer" in outage, "the run ended (or never wrote its meetings) before the outage could start"
    outage["timer"].join(down_for_s + 60)
    assert "down" in outage, "PostgreSQL did not come back"
    assert "error" not in result, f"the run raised outside its steps: {result['error']!r}"
    materialized = result.pop("materialized")
    if result["success"]:
        assert all(m is not None and m.dagster_event.partition == DAY.isoformat() for m in materialized.values())
    return Outcome(result["success"], result["failures"], result["seconds"], outage["stopped_at"], outage["down"],
                   outage.get("write_s"))


def _report(outcome: Outcome, what: str) -> None:
    print(f"\n{what}: PostgreSQL stopped {outcome.stopped_at_s:.2f} s into the run, down {outcome.down_s:.2f} s; "
          f"run {'completed' if outcome.success else 'failed'} {outcome.seconds:.1f} s after it started"
          + ("" if outcome.write_s is None else f"; the write that met the outage ended after {outcome.write_s:.2f} s"))
    for failure in outcome.failures:
        print(f"  step failure: {failure[:900]}")


def _rerun_is_clean(day: Day, clean: tuple[Snapshot, dict[str, str], list[tuple]]) -> None:
    clean_rows, clean_files, clean_audit = clean
    with DagsterInstance.ephemeral() as instance:
        assert day.line.materialize(DAY.isoformat(), instance=instance).success
        for name in LINE_ASSET_NAMES:
            latest = instance.get_latest_materialization_event(AssetKey(name))
            assert latest is not None and latest.dagster_event.partition == DAY.isoformat(), name
    got = day.snapshot()
    assert got.meetings == clean_rows.meetings
    assert got.transcripts == clean_rows.transcripts
    assert got.decisions == clean_rows.decisions
    assert got.drafts == clean_rows.drafts
    assert got.export_rows == clean_rows.export_rows
    assert day.export_files() == clean_files, "export bytes (or leftover files) differ from a clean run's"
    assert not visible_partial_files(day.line.settings.exports_dir)
    # Every file written is in the audit trail once, as after a clean run (none lost with a failed write).
    assert day.audit_trail() == clean_audit, "the audit trail differs from a clean run's"


def _names_the_database(failure: str, day: Day) -> bool:
    return day.database in failure and re.search(r"database|postgres", failure, re.I) is not None


@pytest.mark.parametrize("trigger", ["before_transcripts_write", "meetings_committed"])
def test_postgres_down_a_few_seconds_mid_run_then_the_day_matches_a_clean_run(
    trigger, pg, inbox, clean, tmp_path, monkeypatch
):
    day = _day(pg, inbox, tmp_path / "data", monkeypatch)
    outcome = _run_with_outage(pg, day, SHORT_OUTAGE_S, trigger, monkeypatch)
    _report(outcome, f"{trigger}, reconnect budget {store_engine.RECONNECT_BUDGET_S:g} s")
    if trigger in BEFORE_WRITE:
        # No statement was cut off: the write waits for the server and the day completes.
        assert outcome.success, "the run failed although only a connection checkout met the outage"
        assert outcome.write_s is not None and outcome.write_s >= SHORT_OUTAGE_S, "the write did not wait for the server"
    if not outcome.success:
        assert outcome.failures, "the run failed without a step failure"
        for failure in outcome.failures:
            assert _names_the_database(failure, day), f"the error does not name the database:\n{failure}"
    _rerun_is_clean(day, clean)


@pytest.mark.parametrize("trigger", list(BEFORE_WRITE))
def test_postgres_down_longer_than_the_retry_budget_fails_clearly_and_leaves_nothing_half_written(
    trigger, pg, inbox, clean, tmp_path, monkeypatch
):
    clean_rows, clean_files, _ = clean
    monkeypatch.setattr(store_engine, "RECONNECT_BUDGET_S", SHORT_BUDGET_S)
    day = _day(pg, inbox, tmp_path / "data", monkeypatch)
    outcome = _run_with_outage(pg, day, LONG_OUTAGE_S, trigger, monkeypatch)
    _report(outcome, f"{trigger}, reconnect budget cut to {SHORT_BUDGET_S:g} s")
    assert not outcome.success, "the run completed although PostgreSQL was down longer than the retry budget"
    assert outcome.failures
    for failure in outcome.failures:
        assert _names_the_database(failure, day), f"the error does not name the database:\n{failure}"
        assert "unreachable" in failure and f"budget {SHORT_BUDGET_S:g} s" in failure, failure
    # It gave up after the budget, not after the outage.
    assert outcome.write_s is not None and SHORT_BUDGET_S - 1 <= outcome.write_s < SHORT_BUDGET_S + 2, outcome.write_s

    # Nothing half-written: each stage's rows of the day are all of a clean run's or none of them.
    got = day.snapshot()
    assert got.meetings == clean_rows.meetings, "the meeting rows committed before the outage are gone or partial"
    for name, value, whole in (("transcripts", got.transcripts, clean_rows.transcripts),
                               ("decisions", got.decisions, clean_rows.decisions),
                               ("drafts", got.drafts, clean_rows.drafts),
                               ("export rows", got.export_rows, clean_rows.export_rows)):
        assert value == whole or not value, f"{name}: partly written"
    if trigger == "before_transcripts_write":
        assert not got.transcripts and not day.export_files(), "the write that met the outage left rows or files"
    else:
        assert got.drafts == clean_rows.drafts and not got.export_rows, "the exports' rows are partly there"
    # Export files written before the outage are whole: each is byte for byte a clean run's.
    for name, digest in day.export_files().items():
        assert clean_files.get(name) == digest, f"{name} is visible half-written or not a clean run's"
    assert not visible_partial_files(day.line.settings.exports_dir)
    print(f"  left by the failed run: {len(got.meetings)} meetings, {len(got.transcripts)} transcripts, "
          f"{len(got.export_rows)} export rows, {len(day.export_files())} export files (clean: {len(clean_files)})")

    _rerun_is_clean(day, clean)
