"""Builds the SQLAlchemy engine for a database URL: driver choice and reconnects for PostgreSQL, pragmas for SQLite."""

from __future__ import annotations

import json
import math
import os
import sqlite3
import time
from pathlib import Path
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
import tenacity
from sqlalchemy.engine import URL, Engine, make_url

from bridge_pipeline.errors import ConfigurationError

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 30_000

# PostgreSQL: once an engine has connected, a connection that cannot be opened (server restarting, failing
# over, briefly unreachable) is tried again for this many seconds before the error is raised. Read at each
# reconnect. An engine that never connected fails at once: a wrong URL is not an outage.
RECONNECT_BUDGET_S = 30.0
_RECONNECT_WAIT = tenacity.wait_exponential(multiplier=0.25, max=2.0)  # 0.25, 0.5, 1, 2, 2, ... s

# Set on a connection to make SQLite take the write lock when the transaction begins, so two writers
# wait for each other (busy timeout) instead of failing when a read lock cannot be upgraded.
WRITE_INTENT_OPTION = "bridge_write_intent"

# How often a write transaction cut off by a lost database connection is run again from the start.
REPLAYS_AFTER_LOST_CONNECTION = 2


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
    # pre-ping: a pooled connection the server dropped (restart, idle timeout) is replaced at checkout.
    engine = sa.create_engine(url, json_serializer=_json_dumps, pool_pre_ping=True)
    _configure_postgresql(engine)
    return engine


def _configure_postgresql(engine: Engine) -> None:
    """Reconnects within RECONNECT_BUDGET_S, and errors that name the database.

    Only opening a connection is retried (pre-ping included): a statement cut off mid-transaction is raised,
    with a note naming the database, since replaying a transaction is the caller's business.
    """
    shown = engine.url.render_as_string(hide_password=True)
    connected = [False]

    @sa.event.listens_for(engine, "do_connect")
    def _do_connect(dialect: Any, _record: Any, cargs: list, cparams: dict) -> Any:
        if not connected[0]:
            connection = dialect.connect(*cargs, **cparams)
            connected[0] = True
            return connection
        return _reconnect(dialect, cargs, cparams, shown)

    @sa.event.listens_for(engine, "handle_error")
    def _name_the_database(context: sa.engine.ExceptionContext) -> None:
        error = context.sqlalchemy_exception
        # Only a statement cut off on an open connection; a failed connect already names the database.
        if context.is_disconnect and not context.is_pre_ping and context.connection is not None and error is not None:
            error.add_note(
                f"project database {shown}: the connection to PostgreSQL was lost mid-statement; "
                "each stage rewrites its rows in one transaction, so re-run the day once the database is back"
            )


def _reconnect(dialect: Any, cargs: list, cparams: dict, shown: str) -> Any:
    budget = RECONNECT_BUDGET_S
    started = time.monotonic()
    operational_error = dialect.loaded_dbapi.OperationalError
    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(operational_error),
        wait=_RECONNECT_WAIT,
        stop=tenacity.stop_before_delay(budget),
        reraise=True,
    )
    try:
        for attempt in retrying:
            with attempt:
                params = dict(cparams)
                if "connect_timeout" not in params and "PGCONNECT_TIMEOUT" not in os.environ:
                    # An unanswered host must not hold one attempt past the budget (libpq's minimum is 2 s).
                    remaining = budget - (time.monotonic() - started)
                    params["connect_timeout"] = max(2, math.ceil(remaining))
                return dialect.connect(*cargs, **params)
    except operational_error as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        attempts = retrying.statistics.get("attempt_number", 1)
        raise operational_error(
            f"project database {shown} unreachable: no connection for {time.monotonic() - started:.1f} s "
            f"({attempts} attempts, reconnect budget {budget:g} s); last error: {reason}"
        ) from exc
    raise AssertionError("unreachable")  # pragma: no cover - Retrying either returns or raises


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


@contextmanager
def write_transaction(engine: Engine) -> Iterator[sa.Connection]:
    """One write transaction. SQLite takes its write lock up front, so a concurrent writer waits (busy
    timeout) instead of failing when a read lock cannot be upgraded."""
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_INTENT_OPTION: True})
        with conn.begin():
            yield conn


def in_write_transaction(engine: Engine, write: Callable[[sa.Connection], T]) -> T:
    """`write` in one write transaction, run again from the start when the connection was lost mid-way.

    A lost connection rolls the whole transaction back, and every write of the project's stores replaces
    rows or is keyed so that doing it twice leaves what doing it once does; the replay therefore writes
    exactly what one run would have. The reconnect itself waits for the database (RECONNECT_BUDGET_S);
    a loss that keeps happening is raised.
    """
    for attempt in range(1, REPLAYS_AFTER_LOST_CONNECTION + 2):
        try:
            with write_transaction(engine) as conn:
                return write(conn)
        except sa.exc.DBAPIError as error:
            if not error.connection_invalidated or attempt > REPLAYS_AFTER_LOST_CONNECTION:
                raise
    raise AssertionError("unreachable")
