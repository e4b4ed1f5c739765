"""`bridge-pipeline doctor`: readable table, exit code, no secrets, token probes against the loopback fakes."""

from __future__ import annotations

import io
import json

import pytest

from bridge_pipeline import cli
from bridge_pipeline.doctor import (
    CheckResult,
    TokenProbe,
    exit_code,
    graph_token_probe,
    render_table,
    run_doctor,
    zoom_token_probe,
)
from bridge_pipeline.settings import load_settings
from bridge_pipeline.storage.store import PipelineStore

CLEAN_ENV_PREFIXES = ("BRIDGE_", "DAGSTER_HOME", "OPENAI_API_KEY")


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    import os

    for name in list(os.environ):
        if name.startswith(CLEAN_ENV_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BRIDGE_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


def _status(results: list[CheckResult]) -> dict[str, str]:
    return {r.check: r.status for r in results}


def test_a_fresh_local_setup_passes_with_warnings_only(clean_env):
    results = run_doctor(load_settings())
    status = _status(results)
    assert status["database"] == "OK" and status["blob storage"] == "OK"
    assert status["migrations"] == "WARN"  # nothing migrated yet: the first run does it
    assert exit_code(results) == 0


def test_a_migrated_database_is_reported_at_head(clean_env):
    settings = load_settings()
    store = PipelineStore(settings.database_url)
    store.migrate()
    store.dispose()
    (migrations,) = [r for r in run_doctor(settings) if r.check == "migrations"]
    assert migrations.status == "OK" and migrations.detail.startswith("at head 00")


def test_an_unreachable_database_fails_without_showing_its_password(clean_env):
    clean_env.setenv("PGCONNECT_TIMEOUT", "2")
    clean_env.setenv("BRIDGE_DATABASE_URL", "postgresql://app:Hunter2-secret@127.0.0.1:9/bridge")
    results = run_doctor(load_settings())
    assert _status(results)["database"] == "FAIL"
    assert "Hunter2-secret" not in render_table(results)
    assert exit_code(results) == 1


def test_partly_configured_source_credentials_fail_naming_what_is_missing(clean_env):
    clean_env.setenv("BRIDGE_ZOOM_ACCOUNT_ID", "acc")
    (zoom,) = [r for r in run_doctor(load_settings()) if r.check == "zoom credentials"]
    assert zoom.status == "FAIL"
    assert zoom.detail == "missing BRIDGE_ZOOM_CLIENT_ID, BRIDGE_ZOOM_CLIENT_SECRET"


def test_s3_blob_storage_is_probed_and_left_clean(clean_env, moto_server, bucket):
    for name, value in moto_server.env().items():
        clean_env.setenv(name, value)
    clean_env.setenv("BRIDGE_BLOB_STORE", "s3")
    clean_env.setenv("BRIDGE_S3_BUCKET", bucket)
    results = run_doctor(load_settings())
    status = _status(results)
    assert status["blob storage"] == "OK" and status["aws credentials"] == "OK"
    assert moto_server.client("s3").list_objects_v2(Bucket=bucket).get("KeyCount") == 0


def test_token_probes_fetch_a_token_from_each_fake_source(clean_env):
    from bridge_fakes.teams_fake import FakeGraphServer
    from bridge_fakes.zoom_fake import FakeZoomServer

    with FakeGraphServer() as graph, FakeZoomServer() as zoom:
        graph.add_organizer("org-1", "ceo@example.test")
        probes = [graph_token_probe(graph.source_settings()), zoom_token_probe(zoom.source_settings())]
        results = run_doctor(load_settings(), token_probes=probes)
    assert _status(results)["teams token"] == "OK" and _status(results)["zoom token"] == "OK"


def test_a_refused_token_fails_the_check_and_the_exit_code(clean_env):
    def refuse():
        raise PermissionError("invalid_client: the secret s3cr3t-value-xyz is wrong")

    clean_env.setenv("BRIDGE_ZOOM_CLIENT_SECRET", "s3cr3t-value-xyz")
    results = run_doctor(load_settings(), token_probes=[TokenProbe("zoom", refuse)])
    (token,) = [r for r in results if r.check == "zoom token"]
    assert token.status == "FAIL" and "s3cr3t-value-xyz" not in token.detail
    assert exit_code(results) == 1


def test_cli_prints_a_table_and_returns_the_exit_code(clean_env, capsys):
    code = cli.main(["doctor"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0].split() == ["CHECK", "STATUS", "DETAIL"]
    assert any(line.startswith("blob storage") and " OK " in line for line in out.splitlines())


def test_cli_json_output_lists_every_check(clean_env, capsys):
    cli.main(["doctor", "--json"])
    checks = json.loads(capsys.readouterr().out)
    assert {"database", "migrations", "blob storage", "dagster instance"} <= {c["check"] for c in checks}


def test_render_table_aligns_columns():
    table = render_table([CheckResult("database", "OK", "x"), CheckResult("blob storage", "FAIL", "y")])
    lines = table.splitlines()
    assert lines[1].index("OK") == lines[2].index("FAIL") == lines[0].index("STATUS")
    assert io.StringIO(table).read().endswith("y")


def test_token_probes_are_built_only_for_fully_configured_sources():
    from bridge_pipeline.doctor import token_probes_from_env

    env = {
        "BRIDGE_GRAPH_TENANT_ID": "tenant", "BRIDGE_GRAPH_CLIENT_ID": "client", "BRIDGE_GRAPH_CLIENT_SECRET": "secret-123456",
        "BRIDGE_ZOOM_ACCOUNT_ID": "acc",
    }
    assert [p.source for p in token_probes_from_env(env)] == ["teams"]


def test_chat_summaries_are_skipped_until_opted_in_and_fail_without_the_posting_account(clean_env):
    assert _status(run_doctor(load_settings()))["teams summaries"] == "SKIP"
    clean_env.setenv("BRIDGE_NOTIFY_TEAMS_ORGANIZERS", "*")
    for name in ("BRIDGE_GRAPH_TENANT_ID", "BRIDGE_GRAPH_CLIENT_ID", "BRIDGE_GRAPH_CLIENT_SECRET"):
        clean_env.setenv(name, "value-of-" + name.lower())
    (teams,) = [r for r in run_doctor(load_settings()) if r.check == "teams summaries"]
    assert teams.status == "FAIL" and "BRIDGE_GRAPH_CHAT_REFRESH_TOKEN" in teams.detail
    clean_env.setenv("BRIDGE_GRAPH_CHAT_REFRESH_TOKEN", "refresh-token-value-123")
    results = run_doctor(load_settings())
    assert _status(results)["teams summaries"] == "OK"
    assert "refresh-token-value-123" not in render_table(results)


def test_a_malformed_zoom_channel_map_is_named(clean_env):
    clean_env.setenv("BRIDGE_NOTIFY_ZOOM_CHANNELS", "elena@northwind.example")
    (summaries,) = [r for r in run_doctor(load_settings()) if r.check == "chat summaries"]
    assert summaries.status == "FAIL" and "BRIDGE_NOTIFY_ZOOM_CHANNELS" in summaries.detail
