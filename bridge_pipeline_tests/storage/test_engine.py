"""Database URLs pick the psycopg2 driver for PostgreSQL; SQLite connections get WAL and a busy timeout."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.storage.engine import SQLITE_BUSY_TIMEOUT_MS, create_store_engine, normalize_database_url
from bridge_pipeline.storage.store import PipelineStore


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg2"])
def test_postgres_urls_use_psycopg2(scheme: str):
    url = normalize_database_url(f"{scheme}://bridge:s3cr%40t@db.internal:5432/bridge")

    assert url.drivername == "postgresql+psycopg2"
    assert url.password == "s3cr@t"
    assert url.database == "bridge"


def test_unsupported_or_garbled_urls_are_configuration_errors():
    with pytest.raises(ConfigurationError, match="only sqlite and postgresql"):
        normalize_database_url("mysql://u@h/db")
    with pytest.raises(ConfigurationError, match="cannot be parsed"):
        normalize_database_url("not a url")


def test_sqlite_connections_use_wal_and_a_busy_timeout(tmp_path: Path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_plain_postgresql_url_connects_without_psycopg3(postgres_database_url: str):
    plain = postgres_database_url.replace("postgresql+psycopg2://", "postgresql://")
    store = PipelineStore(plain)
    try:
        store.migrate()
        assert store.engine.dialect.driver == "psycopg2"
        assert store.current_revision() == store.migration_head()
    finally:
        store.dispose()


def test_sqlite_store_creates_its_missing_data_folder(tmp_path: Path):
    store = PipelineStore(f"sqlite:///{tmp_path / 'not' / 'yet' / 'bridge.sqlite3'}")
    try:
        store.migrate()
        assert (tmp_path / "not" / "yet" / "bridge.sqlite3").is_file()
    finally:
        store.dispose()


def test_connections_opening_a_fresh_sqlite_database_at_once_all_get_wal(tmp_path: Path):
    # Without waiting each other out, about one round in five failed with "database is locked".
    errors: list[BaseException] = []
    for round_number in range(30):
        engines = [create_store_engine(f"sqlite:///{tmp_path / f'fresh-{round_number}.sqlite3'}") for _ in range(3)]
        start = threading.Barrier(len(engines))

        def connect(engine: sa.Engine) -> None:
            start.wait()
            try:
                with engine.connect() as conn:
                    assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            except BaseException as exc:  # collected so the assertion shows it
                errors.append(exc)

        threads = [threading.Thread(target=connect, args=(engine,)) for engine in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        for engine in engines:
            engine.dispose()
    assert errors == []
