"""The database-backed token cache, one process playing several: each `DatabaseTokenCache` below stands for
another process's (its own memory, the same database)."""

from __future__ import annotations

import logging
import threading
import time

import pytest
import sqlalchemy as sa

from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.tokens import IssuedToken
from bridge_pipeline.storage.access_tokens import (
    DatabaseTokenCache,
    TokenCredential,
    credential_key,
    token_store_engine,
)
from bridge_pipeline.storage.tables import api_access_tokens


class Clock:
    """Wall-clock seconds a test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


class TokenEndpoint:
    """Issues numbered tokens, like the account's token endpoint."""

    def __init__(self, lifetime_s: float = 3600.0, delay_s: float = 0.0):
        self.lifetime_s, self.delay_s = lifetime_s, delay_s
        self.issued: list[str] = []
        self._lock = threading.Lock()

    def __call__(self) -> IssuedToken:
        time.sleep(self.delay_s)
        with self._lock:
            self.issued.append(f"zoom-access-token-{len(self.issued) + 1}-f00dcafe")
            return IssuedToken(Secret(self.issued[-1]), self.lifetime_s)


SECRET = Secret("client-secret-for-the-token-tests")
CREDENTIAL = TokenCredential(
    source="zoom",
    account="acct-1",
    key=credential_key("zoom", "http://127.0.0.1:1/oauth/token", "acct-1", "client-1", SECRET),
    client_secret=SECRET,
)


@pytest.fixture
def engine(tmp_path) -> sa.Engine:
    return token_store_engine(f"sqlite:///{tmp_path / 'bridge.sqlite3'}")


def process_cache(engine: sa.Engine, clock: Clock | None = None, credential: TokenCredential = CREDENTIAL) -> DatabaseTokenCache:
    return DatabaseTokenCache(engine, credential, refresh_margin_s=300, clock=clock or Clock())


def stored_rows(engine: sa.Engine) -> list[sa.Row]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(api_access_tokens)))


def test_a_second_process_reuses_the_stored_token(engine):
    fetch = TokenEndpoint()
    first, second = process_cache(engine), process_cache(engine)

    token = first.get(fetch)

    assert second.get(fetch).value == token.value
    assert second.get(fetch).serial == token.serial == 1
    assert fetch.issued == ["zoom-access-token-1-f00dcafe"]


def test_processes_asking_at_once_cause_one_fetch(engine):
    assert_one_fetch_for_concurrent_callers(engine)


@pytest.mark.postgres
def test_processes_asking_at_once_cause_one_fetch_on_postgresql(postgres_database_url):
    # PostgreSQL locks the row (SELECT ... FOR UPDATE), created by whichever caller comes first.
    engine = token_store_engine(postgres_database_url)
    try:
        assert_one_fetch_for_concurrent_callers(engine)
    finally:
        engine.dispose()


def assert_one_fetch_for_concurrent_callers(engine: sa.Engine) -> None:
    fetch = TokenEndpoint(delay_s=0.2)  # the others queue on the row lock meanwhile
    caches = [process_cache(engine) for _ in range(4)]
    tokens = []
    threads = [threading.Thread(target=lambda c=cache: tokens.append(c.get(fetch))) for cache in caches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(fetch.issued) == 1
    assert {token.value.reveal() for token in tokens} == {fetch.issued[0]}


def test_a_refused_token_is_fetched_again_once(engine):
    fetch = TokenEndpoint()
    first, second = process_cache(engine), process_cache(engine)
    refused = first.get(fetch)
    assert second.get(fetch).serial == refused.serial

    # Both processes saw the same token refused; only the first invalidation clears it.
    first.invalidate(refused)
    second.invalidate(refused)
    renewed = first.get(fetch)
    second.invalidate(refused)  # late: the row already holds the newer token

    assert second.get(fetch).value == renewed.value
    assert renewed.serial == 2
    assert len(fetch.issued) == 2


def test_a_process_holding_an_older_token_adopts_the_stored_one_without_fetching(engine):
    fetch = TokenEndpoint()
    first, second = process_cache(engine), process_cache(engine)
    old = second.get(fetch)
    newer = first.renew(fetch)  # e.g. `doctor --check-tokens`: Zoom revoked `old`

    second.invalidate(old)  # the API refused `old` to the second process

    assert second.get(fetch).value == newer.value
    assert len(fetch.issued) == 2


def test_the_token_is_refreshed_once_close_to_expiry(engine):
    clock = Clock()
    fetch = TokenEndpoint(lifetime_s=3600)
    first, second = process_cache(engine, clock), process_cache(engine, clock)
    first_token = first.get(fetch)
    second.get(fetch)

    clock.now += 3600 - 300 - 1
    assert first.get(fetch) is first_token
    clock.now += 2  # inside the five-minute margin, for both processes alike
    refreshed = second.get(fetch)

    assert first.get(fetch).value == refreshed.value
    assert len(fetch.issued) == 2


def test_the_stored_token_is_sealed_and_never_logged(engine, caplog):
    caplog.set_level(logging.DEBUG)
    fetch = TokenEndpoint()
    token = process_cache(engine).get(fetch)

    (row,) = stored_rows(engine)
    assert token.value.reveal() not in repr(tuple(row))
    assert row.sealed_token.startswith("v1:") and row.serial == 1 and row.source == "zoom"
    assert SECRET.reveal() not in repr(tuple(row)) and SECRET.reveal() not in repr(CREDENTIAL)
    assert token.value.reveal() not in caplog.text


def test_a_damaged_row_is_replaced_by_a_new_token(engine):
    fetch = TokenEndpoint()
    process_cache(engine).get(fetch)
    with engine.begin() as conn:
        conn.execute(sa.update(api_access_tokens).values(sealed_token="v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAA"))

    token = process_cache(engine).get(fetch)

    assert token.value.reveal() == fetch.issued[-1] and len(fetch.issued) == 2


def test_a_rotated_secret_gets_a_row_of_its_own(engine):
    rotated = Secret("the-rotated-client-secret")
    key = credential_key("zoom", "http://127.0.0.1:1/oauth/token", "acct-1", "client-1", rotated)
    assert key != CREDENTIAL.key
    fetch = TokenEndpoint()
    process_cache(engine).get(fetch)

    process_cache(engine, credential=TokenCredential("zoom", "acct-1", key, rotated)).get(fetch)

    assert len(stored_rows(engine)) == 2 and len(fetch.issued) == 2
