"""A throwaway PostgreSQL server for tests, started from the pgserver wheel (no system install needed)."""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import sqlalchemy as sa


@dataclass
class PostgresTestServer:
    """One running server; hands out a fresh database per test and stops the server by its PID."""

    data_dir: Path
    base_url: sa.URL
    pid: int
    startup_seconds: float
    _handle: object = field(repr=False)

    @classmethod
    def start(cls) -> PostgresTestServer:
        """Start a server in a new temporary folder.

        The folder must not be under pytest's basetemp: every pytest session resets
        /tmp/pytest-of-<user> to mode 0700, and when running as root pgserver runs postgres as the
        unprivileged `pgserver` user, which then loses access to its data directory and aborts.
        """
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset (containers, CI) and falls back to /tmp.
            warnings.simplefilter("ignore")
            import pgserver

        data_dir = Path(tempfile.mkdtemp(prefix="bridge-pg-")) / "pgdata"
        started = time.perf_counter()
        try:
            handle = pgserver.get_server(data_dir, cleanup_mode="delete")
        except BaseException:
            shutil.rmtree(data_dir.parent, ignore_errors=True)
            raise
        elapsed = time.perf_counter() - started
        # pgserver gives `postgresql://postgres:@/postgres?host=<socket dir>`; pin psycopg2 because
        # SQLAlchemy 2.1 would otherwise pick psycopg 3, which is not installed.
        url = sa.make_url(handle.get_uri()).set(drivername="postgresql+psycopg2")
        server = cls(data_dir=data_dir, base_url=url, pid=handle.get_pid(), startup_seconds=elapsed, _handle=handle)
        server._trade_durability_for_speed()
        return server

    def _trade_durability_for_speed(self) -> None:
        # Test data is thrown away with the server; skipping fsync makes DDL-heavy fixtures quicker.
        for setting in ("fsync = off", "synchronous_commit = off", "full_page_writes = off"):
            self._admin_execute(f"ALTER SYSTEM SET {setting}")
        self._admin_execute("SELECT pg_reload_conf()")

    def url(self, database: str) -> str:
        return self.base_url.set(database=database).render_as_string(hide_password=False)

    def _admin_execute(self, sql: str) -> None:
        engine = sa.create_engine(self.base_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(sql)
        finally:
            engine.dispose()

    def create_database(self) -> str:
        name = f"test_{uuid.uuid4().hex[:12]}"
        self._admin_execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        # FORCE ends connections a failed test may have left open.
        self._admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._stop_postmaster()
        finally:
            shutil.rmtree(self.data_dir.parent, ignore_errors=True)

    def _stop_postmaster(self) -> None:
        self._handle.cleanup()
        try:
            postmaster = psutil.Process(self.pid)
            still_ours = postmaster.name() == "postgres"
        except psutil.NoSuchProcess:
            return
        if not still_ours:
            return
        # pg_ctl stop normally leaves nothing behind; this only runs if the postmaster ignored it.
        postmaster.terminate()
        try:
            postmaster.wait(10)
        except psutil.TimeoutExpired:
            postmaster.kill()
