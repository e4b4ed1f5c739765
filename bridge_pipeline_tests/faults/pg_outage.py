"""A PostgreSQL of its own (pgserver) that a fault test can stop and start again on the same data directory.

The session's `postgres_server` fixture is shared by every PostgreSQL test, so a test that takes the server
down starts this one instead. `stop()` is `pg_ctl stop -m fast` (every open session is terminated, as when
a database host restarts); `start()` brings the same data directory back on the same socket, so the URLs
handed out before the outage work again afterwards.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import sqlalchemy as sa

from bridge_pipeline_tests.postgres_server import PostgresTestServer


def _commands():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset
        from pgserver import _commands, utils
    return _commands, utils


@dataclass
class RestartablePostgres:
    server: PostgresTestServer
    outages: list[tuple[float, float]] = field(default_factory=list)  # (seconds down, seconds pg_ctl took)
    _down_since: float | None = None

    @classmethod
    def start_new(cls) -> RestartablePostgres:
        return cls(PostgresTestServer.start())

    @property
    def socket_dir(self) -> str:
        return str(self.server.base_url.query["host"])

    @property
    def is_down(self) -> bool:
        return self._down_since is not None

    def create_database(self) -> str:
        return self.server.url(self.server.create_database())

    def stop(self) -> float:
        """Stops the server (open sessions are terminated); returns how long pg_ctl took."""
        commands, _ = _commands()
        handle = self.server._handle
        started = time.monotonic()
        commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=handle.pgdata, user=handle.system_user, timeout=60)
        self._down_since = time.monotonic()
        return self._down_since - started

    def start(self) -> float:
        """Starts the same data directory on the same socket; returns the seconds it was down."""
        commands, utils = _commands()
        handle = self.server._handle
        started = time.monotonic()
        commands.pg_ctl(
            ["-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(handle.log), "start"],
            pgdata=handle.pgdata, user=handle.system_user, timeout=60,
        )
        # The postmaster has a new PID: the handle (and the server's stop) must stop this one.
        info = utils.PostmasterInfo.read_from_pgdata(handle.pgdata)
        assert info is not None and info.is_running(), "PostgreSQL did not come back"
        handle._postmaster_info = info
        self.server.pid = info.pid
        down = time.monotonic() - (self._down_since or started)
        self.outages.append((down, time.monotonic() - started))
        self._down_since = None
        return down

    def close(self) -> None:
        if self.is_down:
            self.start()
        self.server.stop()


def count_rows(url: str, sql: str) -> int | None:
    """One short-lived query; None while the server is down or the table does not exist yet."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql(sql).scalar() or 0)
    except sa.exc.SQLAlchemyError:
        return None
    finally:
        engine.dispose()
