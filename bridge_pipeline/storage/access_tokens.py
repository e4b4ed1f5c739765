"""Access tokens shared by every process of one deployment, kept in the project database.

Zoom revokes an account's previous Server-to-Server token whenever it issues a new one. The daemon's
sensor and every run worker are separate processes (on Kubernetes, separate pods), so caches of their
own would revoke each other's tokens. One row per credential (table `api_access_tokens`) holds the
live token instead:
- a process reuses the stored token until it is close to expiry, keeping it in memory meanwhile, so
  most requests touch no database;
- when the row holds no usable token, the process locks the row (`SELECT ... FOR UPDATE` on PostgreSQL;
  on SQLite the write transaction, `BEGIN IMMEDIATE`, serialises) and fetches only if the row is still
  unusable; the others wait for the lock and then reuse the token it stored. A process that dies while
  fetching releases the lock with its connection;
- a token the API refused is cleared only while it is still the stored one (same `serial`), so
  processes that saw the same refusal cause one fetch, and a process that held an older token adopts
  the stored one without fetching.

Why storing the token is acceptable: it lives at most an hour, grants no more than the client secret every
process reading the row already holds, and sits in the database that holds the transcripts it would read,
so it crosses no new trust boundary. It is sealed all the same (`token_sealing`), so a dump, backup or
statement log shows no usable token, and it travels only as a `Secret`: it is never logged.

On SQLite the lock is the database's write lock, held while the token endpoint answers (usually well under
a second, once an hour); other writers wait for it up to the busy timeout. PostgreSQL locks the row only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.tokens import AccessToken, IssuedToken, SharedByKey, needs_refresh
from bridge_pipeline.storage import schema_migrations
from bridge_pipeline.storage.engine import create_store_engine, write_transaction
from bridge_pipeline.storage.tables import api_access_tokens
from bridge_pipeline.storage.token_sealing import TokenSeal
from bridge_pipeline.storage.values import as_utc

_table = api_access_tokens
# How long a PostgreSQL process waits for another one's fetch: longer than a token request may retry
# (the default retry budget is 120 s), so a waiter gives up only on a fetcher that is stuck.
LOCK_WAIT_S = 180


@dataclass(frozen=True)
class TokenCredential:
    """Whose token a row holds. `key` tells credentials apart; `client_secret` seals the token."""

    source: str
    account: str
    key: str
    client_secret: Secret  # prints as asterisks


def credential_key(source: str, token_url: str, account: str, client_id: str, client_secret: Secret) -> str:
    """The row key of one credential: a rotated secret or another endpoint gets a row of its own."""
    parts = (source, token_url, account, client_id, client_secret.reveal())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class DatabaseTokenCache:
    """A `TokenSource` whose token every process using the same database shares; see the module docstring."""

    def __init__(
        self,
        engine: sa.Engine,
        credential: TokenCredential,
        *,
        refresh_margin_s: float,
        clock: Callable[[], float] = time.time,
    ):
        self._engine = engine
        self._credential = credential
        self._seal = TokenSeal(credential.client_secret, credential.key)
        self.refresh_margin_s = refresh_margin_s
        self._clock = clock  # wall-clock seconds: processes (and machines) compare expiry times
        self._lock = threading.Lock()
        self._token: AccessToken | None = None
        self.fetch_count = 0  # tokens this process fetched

    def __repr__(self) -> str:
        return f"DatabaseTokenCache({self._credential!r})"

    def get(self, fetch: Callable[[], IssuedToken]) -> AccessToken:
        with self._lock:
            # This process's copy, else the stored token, else (under the row lock) a new one.
            token = self._fresh(self._token) or self._fresh(self._read()) or self._stored_or_fetched(fetch)
            self._token = token
            return token

    def renew(self, fetch: Callable[[], IssuedToken]) -> AccessToken:
        with self._lock, self._locked_row() as (conn, row):
            token = self._store(conn, row.serial, fetch())
            self._token = token
            return token

    def invalidate(self, token: AccessToken) -> None:
        with self._lock:
            if self._token is not None and self._token.serial == token.serial:
                self._token = None
            # Compare-and-clear: a row that already holds a newer token keeps it.
            cleared = (
                sa.update(_table)
                .where(_table.c.credential_key == self._credential.key, _table.c.serial == token.serial)
                .values(sealed_token=None, expires_at=None)
            )
            with self._write_transaction() as conn:
                conn.execute(cleared)

    def _stored_or_fetched(self, fetch: Callable[[], IssuedToken]) -> AccessToken:
        """Under the row lock: the token another process stored while this one waited, else a new one."""
        with self._locked_row() as (conn, row):
            return self._fresh(self._opened(row)) or self._store(conn, row.serial, fetch())

    # --- rows ------------------------------------------------------------------------------------

    def _row_query(self) -> sa.Select:
        return sa.select(_table.c.serial, _table.c.sealed_token, _table.c.fetched_at, _table.c.expires_at).where(
            _table.c.credential_key == self._credential.key
        )

    def _read(self) -> AccessToken | None:
        with self._engine.connect() as conn:
            row = conn.execute(self._row_query()).first()
        return None if row is None else self._opened(row)

    @contextmanager
    def _locked_row(self) -> Iterator[tuple[sa.Connection, sa.Row]]:
        """The credential's row (created when missing), locked until the block ends; its changes commit then."""
        with self._write_transaction() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT_S}s'")
            conn.execute(self._insert_missing_row())
            yield conn, conn.execute(self._row_query().with_for_update()).one()

    def _insert_missing_row(self) -> sa.Insert:
        dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
        values = {"credential_key": self._credential.key, "source": self._credential.source,
                  "account": self._credential.account, "serial": 0}
        return dialect.insert(_table).values(**values).on_conflict_do_nothing(index_elements=["credential_key"])

    def _store(self, conn: sa.Connection, serial: int, issued: IssuedToken) -> AccessToken:
        now = self._clock()
        token = AccessToken(issued.value, now + issued.expires_in_s, issued.expires_in_s, serial + 1)
        conn.execute(
            sa.update(_table)
            .where(_table.c.credential_key == self._credential.key)
            .values(
                serial=token.serial,
                sealed_token=self._seal.seal(token.value, token.serial),
                fetched_at=_as_time(now),
                expires_at=_as_time(token.expires_at),
            )
        )
        self.fetch_count += 1
        return token

    def _opened(self, row: sa.Row) -> AccessToken | None:
        if row.sealed_token is None or row.fetched_at is None or row.expires_at is None:
            return None
        value = self._seal.open(row.sealed_token, row.serial)
        if value is None:
            return None  # not openable with this secret: treated as no token, so a new one replaces it
        fetched_at, expires_at = as_utc(row.fetched_at).timestamp(), as_utc(row.expires_at).timestamp()
        return AccessToken(value, expires_at, max(expires_at - fetched_at, 0.0), row.serial)

    def _fresh(self, token: AccessToken | None) -> AccessToken | None:
        """`token` while it is not close to expiry, else None."""
        if token is None or needs_refresh(token, self._clock(), self.refresh_margin_s):
            return None
        return token

    def _write_transaction(self) -> AbstractContextManager[sa.Connection]:
        return write_transaction(self._engine)


def _as_time(epoch_s: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch_s, dt.timezone.utc)


# --- one engine and one cache per database and credential in each process -------------------------

_ENGINES: SharedByKey[sa.Engine] = SharedByKey()
_CACHES: SharedByKey[DatabaseTokenCache] = SharedByKey()


def database_token_cache(database_url: str, credential: TokenCredential, *, refresh_margin_s: float) -> DatabaseTokenCache:
    """The process's cache of `credential`'s shared token in the database at `database_url`."""
    return _CACHES.get(
        (database_url, credential.key),
        lambda: DatabaseTokenCache(token_store_engine(database_url), credential, refresh_margin_s=refresh_margin_s),
    )


def token_store_engine(database_url: str) -> sa.Engine:
    """An engine for the database, migrated to the newest revision once per process (the sensor's
    process may be the first to use a fresh database)."""
    return _ENGINES.get(database_url, lambda: _migrated_engine(database_url))


def _migrated_engine(database_url: str) -> sa.Engine:
    engine = create_store_engine(database_url)
    with write_transaction(engine) as conn:
        schema_migrations.upgrade_to_head(conn)
    return engine
