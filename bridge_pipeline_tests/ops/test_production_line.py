"""The production setup end to end: deploy/dagster.prod.yaml on a real PostgreSQL, blobs and compute logs on S3.

PostgreSQL comes from the shared pgserver fixture, S3 and Secrets Manager from a moto server on
127.0.0.1. The instance file is used exactly as shipped; only environment variables point it at the
local servers. The project's database URL (with its password) is read from Secrets Manager.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from dagster import DagsterInstance, DagsterRunStatus, materialize

from bridge_pipeline.defs.meeting_line.partitions import build_daily_partitions
from bridge_pipeline.defs.meeting_line.slo import build_slo_checks
from bridge_pipeline.defs.pools import POOL_LIMITS
from bridge_pipeline.defs.pools.apply import apply_pool_limits
from bridge_pipeline.defs.resources_for_environment import build_resources
from bridge_pipeline.models import WATERMARK
from bridge_pipeline.observability.json_logs import configure_json_logging
from bridge_pipeline.secret_env import load_secrets_into_environment
from bridge_pipeline.settings import load_settings
from bridge_pipeline.storage import schema_migrations
from bridge_pipeline_tests.line_fixtures import REPO, SAMPLE_INBOX, line_assets
from bridge_pipeline_tests.ops.s3_server import SECRET_ACCESS_KEY, MotoServer
from bridge_pipeline_tests.postgres_server import PostgresTestServer

pytestmark = pytest.mark.postgres

DAY = "2026-05-14"
LINE_ASSETS = line_assets()
SLO_CHECKS = build_slo_checks(build_daily_partitions(load_settings({})))
S3_PREFIX = "prod"
COMPUTE_LOG_PREFIX = "dagster-compute-logs"


@dataclass
class ProductionRun:
    instance_home: Path
    project_url: str
    dagster_url: str
    bucket: str
    log_bucket: str
    secrets: tuple[str, ...]
    json_logs: io.StringIO
    seconds: float
    result: object
    second_result: object
    exports_before_rerun: dict[str, object]


def _sample_files(day: str) -> list[Path]:
    return [p for p in (SAMPLE_INBOX / day).iterdir() if p.suffix in (".vtt", ".txt", ".json") and ".meta." not in p.name]


@pytest.fixture(scope="module")
def production_run(postgres_server: PostgresTestServer, moto_server: MotoServer, tmp_path_factory) -> ProductionRun:
    tmp = tmp_path_factory.mktemp("prod")
    monkeypatch = pytest.MonkeyPatch()
    project_db, dagster_db = postgres_server.create_database(), postgres_server.create_database()
    # pgserver trusts local connections, so these passwords are never checked; they are here so the
    # test can prove neither reaches a log, an event or run config.
    project_password, dagster_password = f"pj-{uuid.uuid4().hex}", f"dg-{uuid.uuid4().hex}"
    project_url = sa.make_url(postgres_server.url(project_db)).set(password=project_password)
    socket_dir = postgres_server.base_url.query["host"]

    s3 = moto_server.client("s3")
    bucket, log_bucket = f"bridge-data-{uuid.uuid4().hex[:8]}", f"bridge-logs-{uuid.uuid4().hex[:8]}"
    for name in (bucket, log_bucket):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    secret_id = f"bridge/prod/{uuid.uuid4().hex[:6]}"
    moto_server.client("secretsmanager").create_secret(
        Name=secret_id,
        SecretString=json.dumps({"BRIDGE_DATABASE_URL": project_url.render_as_string(hide_password=False)}),
    )

    home = tmp / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.prod.yaml", home / "dagster.yaml")
    inbox = tmp / "inbox"
    shutil.copytree(SAMPLE_INBOX / DAY, inbox / DAY)
    env = {
        **moto_server.env(),
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_USERNAME": "postgres",
        "DAGSTER_PG_PASSWORD": dagster_password,
        # An empty host makes libpq use PGHOST: pgserver listens on a unix socket only.
        "DAGSTER_PG_HOST": "",
        "PGHOST": socket_dir,
        "DAGSTER_PG_DB": dagster_db,
        "DAGSTER_PG_PORT": "5432",
        "DAGSTER_COMPUTE_LOG_BUCKET": log_bucket,
        "BRIDGE_SECRETS_ID": secret_id,
        "BRIDGE_BLOB_STORE": "s3",
        "BRIDGE_S3_BUCKET": bucket,
        "BRIDGE_S3_PREFIX": S3_PREFIX,
        "BRIDGE_INBOX_DIR": str(inbox),
        "BRIDGE_DATA_DIR": str(tmp / "data"),
        # Set (to empty) so the monkeypatch removes what the secret loader adds.
        "BRIDGE_DATABASE_URL": "",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    json_logs = io.StringIO()
    handler = configure_json_logging(json_logs)
    try:
        started = time.perf_counter()
        loaded = load_secrets_into_environment()
        assert loaded == ["BRIDGE_DATABASE_URL"]
        resources = build_resources(os.environ)
        with DagsterInstance.get() as instance:
            apply_pool_limits(instance)
            result = materialize(LINE_ASSETS + SLO_CHECKS, resources=resources, partition_key=DAY, instance=instance)
            seconds = time.perf_counter() - started
            exports_before = {
                o["Key"]: o["LastModified"]
                for o in s3.list_objects_v2(Bucket=bucket, Prefix=f"{S3_PREFIX}/exports/").get("Contents", [])
            }
            second = materialize(LINE_ASSETS + SLO_CHECKS, resources=resources, partition_key=DAY, instance=instance)
        yield ProductionRun(
            instance_home=home,
            project_url=project_url.render_as_string(hide_password=False),
            dagster_url=postgres_server.url(dagster_db),
            bucket=bucket,
            log_bucket=log_bucket,
            secrets=(project_password, dagster_password, SECRET_ACCESS_KEY),
            json_logs=json_logs,
            seconds=seconds,
            result=result,
            second_result=second,
            exports_before_rerun=exports_before,
        )
    finally:
        import logging

        logging.getLogger("bridge_pipeline").removeHandler(handler)
        monkeypatch.undo()
        postgres_server.drop_database(project_db)
        postgres_server.drop_database(dagster_db)


def _rows(url: str, sql: str, **params) -> list[sa.Row]:
    engine = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg2"))
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(sql), params))
    finally:
        engine.dispose()


def _objects(moto_server: MotoServer, bucket: str, prefix: str) -> dict[str, dict]:
    s3 = moto_server.client("s3")
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            found[item["Key"]] = item
    return found


def test_the_day_runs_end_to_end_on_the_production_instance(production_run):
    assert production_run.result.success and production_run.second_result.success
    print(f"\nfirst production-instance run of {DAY}, secrets to exports: {production_run.seconds:.1f} s")


def test_dagster_runs_and_events_are_stored_in_postgresql(production_run):
    run_id = production_run.result.run_id
    (status,) = _rows(production_run.dagster_url, "SELECT status FROM runs WHERE run_id = :r", r=run_id)[0]
    assert status == DagsterRunStatus.SUCCESS.value
    (materializations,) = _rows(
        production_run.dagster_url,
        "SELECT count(*) FROM event_logs WHERE run_id = :r AND dagster_event_type = 'ASSET_MATERIALIZATION'",
        r=run_id,
    )[0]
    assert materializations == len(LINE_ASSETS)


def test_instance_loaded_the_production_settings(production_run, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(production_run.instance_home))
    with DagsterInstance.from_config(str(production_run.instance_home)) as instance:
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        assert type(instance.compute_log_manager).__name__ == "S3ComputeLogManager"
        assert instance.run_retries_enabled and instance.run_monitoring_enabled
        assert instance.run_monitoring_max_runtime_seconds > 0
        assert {p: instance.event_log_storage.get_concurrency_info(p).slot_count for p in POOL_LIMITS} == dict(POOL_LIMITS)


def test_project_tables_on_postgresql_hold_the_day(production_run):
    url = production_run.project_url
    meetings = _rows(url, "SELECT meeting_id, source FROM meetings WHERE partition_date = :d ORDER BY 1", d=DAY)
    assert len(meetings) == len(_sample_files(DAY)) and {m.source for m in meetings} == {"inbox"}
    exported = _rows(url, "SELECT count(*) FROM exports WHERE partition_date = :d AND status = 'exported'", d=DAY)[0][0]
    assert exported >= 4 * len(meetings)  # docx, pdf, md and json per meeting at least
    assert _rows(url, "SELECT version_num FROM alembic_version")[0][0] == schema_migrations.head_revision()
    stages = _rows(url, "SELECT DISTINCT stage FROM stage_timings WHERE partition_date = :d", d=DAY)
    assert {s.stage for s in stages} == {a.key.path[-1] for a in LINE_ASSETS}
    waiting = _rows(url, "SELECT count(*) FROM meeting_timings WHERE partition_date = :d AND exported_at IS NULL", d=DAY)
    assert waiting[0][0] == 0


def test_blobs_and_exports_are_objects_in_the_bucket_matching_the_recorded_hashes(production_run, moto_server):
    raw = _objects(moto_server, production_run.bucket, f"{S3_PREFIX}/raw/{DAY}/")
    assert len(raw) == len(_sample_files(DAY))
    recorded = _rows(
        production_run.project_url,
        "SELECT blob_key, payload FROM exports WHERE partition_date = :d AND status = 'exported'",
        d=DAY,
    )
    exports = _objects(moto_server, production_run.bucket, f"{S3_PREFIX}/exports/{DAY}/")
    assert set(exports) == {f"{S3_PREFIX}/{row.blob_key}" for row in recorded} | {
        k for k in exports if k.endswith(".WITHHELD.txt")
    }
    s3 = moto_server.client("s3")
    for row in recorded:
        body = s3.get_object(Bucket=production_run.bucket, Key=f"{S3_PREFIX}/{row.blob_key}")["Body"].read()
        assert hashlib.sha256(body).hexdigest() == row.payload["sha256"]
        if row.blob_key.endswith(".md"):
            assert WATERMARK in body.decode("utf-8")


def test_rerunning_the_day_leaves_unchanged_exports_untouched(production_run, moto_server):
    after = {k: o["LastModified"] for k, o in _objects(moto_server, production_run.bucket, f"{S3_PREFIX}/exports/").items()}
    assert after == production_run.exports_before_rerun


def test_compute_logs_are_uploaded_to_s3(production_run, moto_server):
    logs = _objects(moto_server, production_run.log_bucket, f"{COMPUTE_LOG_PREFIX}/")
    assert logs, "no compute log objects were uploaded"


def test_latency_checks_were_evaluated_on_the_run(production_run):
    checks = {e.check_name: e for e in production_run.result.get_asset_check_evaluations()}
    latency = checks["transcript_to_export_p95"]
    assert latency.passed
    assert 0 < latency.metadata["worst_day_p95_s"].value < 30


def test_no_secret_reaches_logs_events_run_config_or_compute_logs(production_run, moto_server, capfd):
    run_id = production_run.result.run_id
    with DagsterInstance.from_config(str(production_run.instance_home)) as instance:
        run = instance.get_run_by_id(run_id)
        events = instance.all_logs(run_id)
    texts = {
        "run config": json.dumps(run.run_config, default=str),
        "run tags": json.dumps(run.tags),
        "event log": "\n".join(f"{e.user_message}\n{e.dagster_event!r}" for e in events),
        "json logs": production_run.json_logs.getvalue(),
        "captured output": "".join(capfd.readouterr()),
    }
    s3 = moto_server.client("s3")
    for key in _objects(moto_server, production_run.log_bucket, f"{COMPUTE_LOG_PREFIX}/"):
        texts[f"compute log {key}"] = s3.get_object(Bucket=production_run.log_bucket, Key=key)["Body"].read().decode(
            "utf-8", "replace"
        )
    assert '"event": "meeting_exported"' in texts["json logs"]
    # The instance file's JSON handler writes to stderr, which the compute log manager captured.
    run_lines = [
        json.loads(line) for key, text in texts.items() if key.startswith("compute log")
        for line in text.splitlines() if line.startswith("{")
    ]
    assert any(line.get("run_id") == run_id and line.get("event") == "meeting_exported" for line in run_lines)
    for secret in production_run.secrets:
        leaked = [where for where, text in texts.items() if secret in text]
        assert leaked == [], f"a secret appeared in {leaked}"


def test_the_metrics_exporter_reads_both_runs_from_postgresql(production_run, monkeypatch):
    """The exporter's registry over the production instance's event log and the project tables, both on PostgreSQL."""
    import httpx
    from prometheus_client.parser import text_string_to_metric_families

    from bridge_pipeline.defs.observability.event_log_metrics import EventLogMetrics
    from bridge_pipeline.observability.exporter import exporter_registry, serve_metrics
    from bridge_pipeline.storage.store import PipelineStore

    monkeypatch.setenv("DAGSTER_HOME", str(production_run.instance_home))
    store = PipelineStore(production_run.project_url)
    event_log = EventLogMetrics.from_environment()
    server = serve_metrics(exporter_registry(lambda: store.engine, event_log.collect), port=0)
    try:
        text = httpx.get(server.url, timeout=30).text
    finally:
        server.stop()
        event_log.close()
        store.dispose()
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(text) for s in family.samples}
    meetings = len(_sample_files(DAY))
    assert samples[("bridge_exporter_up", (("part", "event_log"),))] == 1
    assert samples[("bridge_exporter_up", (("part", "store"),))] == 1
    assert samples[("bridge_meetings_processed_total", (("source", "inbox"), ("stage", "raw_recordings")))] == 2 * meetings
    assert samples[("bridge_store_meetings", (("source", "inbox"), ("stage", "contract_exports")))] == meetings
    finished = sum(v for (name, labels), v in samples.items()
                   if name == "bridge_runs_finished_total" and ("status", "success") in labels)
    assert finished == 2
