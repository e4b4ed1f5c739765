"""Operators manage the schema with `bridge-pipeline db upgrade|current|history`, or `alembic` and the repo's alembic.ini."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from bridge_pipeline import cli
from bridge_pipeline.storage.store import PipelineStore

REPO = Path(__file__).resolve().parents[2]
HEAD = "0008"
PREVIOUS = "0007"


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """The app's database settings cleared; data (and so the SQLite database) under a temp folder."""
    for name in list(os.environ):
        if name.startswith("BRIDGE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BRIDGE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data" / "bridge.sqlite3"


def _db(capsys, action: str) -> tuple[int, str]:
    code = cli.main(["db", action])
    return code, capsys.readouterr().out


def test_current_upgrade_and_history_on_a_fresh_sqlite_database(clean_env: Path, capsys):
    code, out = _db(capsys, "current")
    assert code == 1 and "none (empty database)" in out and f"head is {HEAD}" in out
    assert f"sqlite:///{clean_env}" in out

    code, out = _db(capsys, "upgrade")
    assert code == 0 and f"upgraded empty database -> {HEAD} (head)" in out
    assert "audit_log" in sa.inspect(sa.create_engine(f"sqlite:///{clean_env}")).get_table_names()

    code, out = _db(capsys, "upgrade")
    assert code == 0 and f"already at head {HEAD}" in out

    code, out = _db(capsys, "current")
    assert code == 0 and out.splitlines()[-1] == f"{HEAD} (head)"

    code, out = _db(capsys, "history")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith(f"{PREVIOUS} -> {HEAD} (head), ") and lines[-1].startswith("<base> -> 0001, ")


def test_an_older_database_is_reported_behind_and_upgraded(clean_env: Path, capsys):
    from alembic import command

    from bridge_pipeline.storage.schema_migrations import alembic_config

    command.upgrade(alembic_config(f"sqlite:///{clean_env}"), "0005")

    code, out = _db(capsys, "current")
    assert code == 1 and f"0005; head is {HEAD}" in out
    code, out = _db(capsys, "upgrade")
    assert code == 0 and f"upgraded 0005 -> {HEAD} (head)" in out


def test_an_unreachable_database_is_named_without_its_password(clean_env: Path, monkeypatch, capsys):
    monkeypatch.setenv("PGCONNECT_TIMEOUT", "2")
    monkeypatch.setenv("BRIDGE_DATABASE_URL", "postgresql://app:Hunter2-secret@127.0.0.1:9/bridge")

    code, out = _db(capsys, "current")

    assert code == 1 and out.startswith("error: database postgresql+psycopg2://app:***@127.0.0.1:9/bridge")
    assert "Hunter2" not in out


@pytest.mark.postgres
def test_upgrade_on_postgresql(clean_env: Path, monkeypatch, capsys, postgres_database_url: str):
    monkeypatch.setenv("BRIDGE_DATABASE_URL", postgres_database_url)

    code, out = _db(capsys, "upgrade")

    assert code == 0 and f"-> {HEAD} (head)" in out
    store = PipelineStore(postgres_database_url)
    try:
        with store.engine.connect() as conn:
            triggers = set(conn.exec_driver_sql(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal"
            ).scalars())
        assert triggers == {"audit_log_append_only", "audit_log_no_truncate"}
    finally:
        store.dispose()


def test_alembic_ini_reads_the_database_the_way_the_app_does(clean_env: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIDGE_")}
    env["BRIDGE_DATA_DIR"] = str(clean_env.parent)

    def alembic(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "alembic", "-c", str(REPO / "alembic.ini"), *args],
            env=env, cwd=clean_env.parent.parent, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert alembic("current").strip() == ""
    alembic("upgrade", "head")
    assert alembic("current").strip() == f"{HEAD} (head)"
    assert PipelineStore(f"sqlite:///{clean_env}").current_revision() == HEAD
    assert alembic("history").splitlines()[0].startswith(f"{PREVIOUS} -> {HEAD} (head)")
