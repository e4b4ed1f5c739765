"""The retention setting, job and schedule: off unless BRIDGE_RETENTION_DAYS is set, then purging daily."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dagster import DefaultScheduleStatus

from bridge_pipeline.definitions import build_definitions
from bridge_pipeline.defs.retention.jobs import RETENTION_SCHEDULE, retention_job
from bridge_pipeline.defs.retention.resources import RetentionResource
from bridge_pipeline.defs.storage.resources import LocalBlobStorageResource, ProjectStoreResource
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.settings import load_settings, parse_retention_days
from bridge_pipeline.storage.audit import AuditLog
from bridge_pipeline_tests.incremental.line import Line


def test_the_setting_is_off_unless_given_a_positive_number_of_days():
    assert load_settings({}).retention_days is None
    assert parse_retention_days("") is None and parse_retention_days("  ") is None
    assert parse_retention_days(" 30 ") == 30
    for wrong in ("0", "-3", "thirty", "1.5"):
        with pytest.raises(ConfigurationError, match="BRIDGE_RETENTION_DAYS"):
            parse_retention_days(wrong)


@pytest.mark.parametrize(
    ("env", "status", "days"),
    [({}, DefaultScheduleStatus.STOPPED, 0), ({"BRIDGE_RETENTION_DAYS": "90"}, DefaultScheduleStatus.RUNNING, 90)],
)
def test_the_schedule_runs_by_default_only_when_the_setting_is_given(tmp_path: Path, env, status, days):
    defs = build_definitions({"BRIDGE_DATA_DIR": str(tmp_path), "BRIDGE_TIMEZONE": "Europe/Berlin", **env})

    schedule = defs.resolve_schedule_def(RETENTION_SCHEDULE)
    assert schedule.job_name == "retention_job" and schedule.default_status == status
    assert schedule.execution_timezone == "Europe/Berlin"
    resource = defs.resources["retention"]
    assert isinstance(resource, RetentionResource) and (resource.days, resource.timezone) == (days, "Europe/Berlin")


def _run_job(line: Line, days: int):
    return retention_job.execute_in_process(
        resources={
            "store": ProjectStoreResource(database_url=line.store.engine.url.render_as_string(hide_password=False)),
            "blob_storage": LocalBlobStorageResource(base_dir=str(line.blobs.root)),
            "retention": RetentionResource(days=days),
        }
    )


def test_the_job_does_nothing_when_off_and_purges_old_days_with_its_run_id_when_on(tmp_path: Path):
    today = dt.datetime.now(dt.timezone.utc).date()
    old, recent = today - dt.timedelta(days=40), today - dt.timedelta(days=2)
    line = Line(tmp_path / "line")
    try:
        for day in (old, recent):
            line.build_day(day, 2)
            line.run(day)

        off = _run_job(line, days=0)
        assert off.success and len(line.blobs.list(f"raw/{old.isoformat()}")) == 2
        assert AuditLog(line.store.engine).entries(actions=["purged"]) == []

        on = _run_job(line, days=30)
        assert on.success
        assert line.blobs.list(f"raw/{old.isoformat()}") == []
        assert len(line.blobs.list(f"raw/{recent.isoformat()}")) == 2
        trail = AuditLog(line.store.engine).entries(actions=["purged"])
        assert trail and {(e.day, e.run_id) for e in trail} == {(old, on.run_id)}
    finally:
        line.store.dispose()


def test_a_wrong_setting_is_named_by_the_doctor_not_a_traceback(monkeypatch, tmp_path: Path, capsys):
    from bridge_pipeline import cli

    monkeypatch.delenv("BRIDGE_SECRETS_ID", raising=False)
    monkeypatch.setenv("BRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BRIDGE_RETENTION_DAYS", "thirty")

    assert cli.main(["doctor"]) == 1
    assert "BRIDGE_RETENTION_DAYS='thirty' must be a whole number of days" in capsys.readouterr().out
