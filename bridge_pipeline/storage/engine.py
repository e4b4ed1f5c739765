"""Builds the SQLAlchemy engine for a database URL: driver choice for PostgreSQL, pragmas for SQLite."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from bridge_pipeline.errors import ConfigurationError

SQLITE_BUSY_TIMEOUT_MS = 30_000

# Set on a connection to make SQLite take the write lock when the transaction begins, so two writers
# wait for each other (busy timeout) instead of failing when a read lock cannot be upgraded.
WRITE_INTENT_OPTION = "bridge_write_intent"


def normalize_database_url(database_url: str) -> URL:
    """Parse the URL and pin PostgreSQL to psycopg2.

    SQLAlchemy 2.1 maps a bare `postgresql://` to psycopg 3, which this project does not install;
    psycopg2 is what dagster-postgres uses too, so both share one driver.
    """
    try:
        url = make_url(database_url)
    except sa.exc.ArgumentError as exc:
        raise ConfigurationError(f"database URL {database_url!r} cannot be parsed: {exc}") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg2")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigurationError(
            f"database URL {url.render_as_string(hide_password=True)!r}: only sqlite and postgresql are supported"
        )
    return url


def _json_dumps(value: Any) -> str:
    # Keep names like "Łukasz" readable in the stored JSON instead of \u escapes.
    return json.dumps(value, ensure_ascii=False)


def create_store_engine(database_url: str) -> Engine:
    url = normalize_database_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database not in (None, "", ":memory:"):
            # A fresh data folder has no parent directory yet; SQLite would only say "unable to open".
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, json_serializer=_json_dumps)
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(url, json_serializer=_json_dumps, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy: the driver's own implicit BEGIN would otherwise
        # start transactions late and commit DDL on its own.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            if engine.url.database not in (None, "", ":memory:"):
                _switch_to_wal(cursor)
        finally:
            cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        if connection.get_execution_options().get(WRITE_INTENT_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def _switch_to_wal(cursor: Any) -> None:
    """Put the database in WAL mode, waiting out other connections doing the same.

    Connections that open a fresh database at the same moment all try to switch it; SQLite refuses
    all but one at once with "database is locked" (its busy timeout does not cover this case), so
    the refused ones try again until the first has finished.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
