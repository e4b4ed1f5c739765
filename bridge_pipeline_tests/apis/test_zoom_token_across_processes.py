"""Two OS processes of one deployment share one live Zoom token (bench/latency.py's token ping-pong).

Each test spawns two real processes, each with its own Zoom client, against the loopback Zoom fake, which
revokes an account's previous token whenever it issues one and answers a revoked token with 401 code 124,
as Zoom does. Both processes ask for a token at the same moment, then call the API concurrently.
"""

from __future__ import annotations

import math
import multiprocessing
import queue
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge_fakes import FakeZoomServer
from bridge_pipeline.apis.zoom import ZoomSettings
from bridge_pipeline_tests.apis.zoom_token_worker import WorkerReport, make_calls
from bridge_pipeline_tests.http.fast_settings import http_with

PROCESSES = 2
CALLS = 150
# Generous: a spawned process imports the client before its first call, on a machine shared with other tests.
PROCESS_TIMEOUT_S = 180


@pytest.fixture
def zoom() -> Iterator[FakeZoomServer]:
    with FakeZoomServer() as fake:
        fake.add_user("tokenTestUser", "token.test@sandbox.example")
        yield fake


def run_processes(settings: ZoomSettings, *, calls: int = CALLS, seconds: float = 0.0) -> list[WorkerReport]:
    """Runs `make_calls` in PROCESSES spawned processes at once; their reports."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    reports = context.Queue()
    workers = [
        context.Process(target=make_calls, args=(settings, barrier, calls, seconds, reports), daemon=True)
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    try:
        found = [reports.get(timeout=PROCESS_TIMEOUT_S) for _ in workers]
    except queue.Empty:
        pytest.fail("a worker process reported nothing in time")
    finally:
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.kill()
    assert len({report.pid for report in found}) == PROCESSES  # really separate processes
    return found


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'bridge.sqlite3'}"


def shared_settings(zoom: FakeZoomServer, database_url: str) -> ZoomSettings:
    return zoom.source_settings(http=http_with(max_attempts=3), token_store_url=database_url)


def test_processes_sharing_the_database_use_one_token_and_see_no_refusal(zoom, tmp_path):
    reports = run_processes(shared_settings(zoom, sqlite_url(tmp_path)))

    assert [r.error for r in reports] == [None, None]
    assert [r.calls for r in reports] == [CALLS, CALLS]
    assert zoom.invalid_token_answers() == 0
    assert zoom.tokens_issued == 1
    assert sorted(r.tokens_fetched for r in reports) == [0, 1]  # one process fetched, the other reused it


@pytest.mark.postgres
def test_processes_sharing_a_postgresql_database_use_one_token(zoom, postgres_database_url):
    reports = run_processes(shared_settings(zoom, postgres_database_url))

    assert [r.error for r in reports] == [None, None]
    assert zoom.invalid_token_answers() == 0
    assert zoom.tokens_issued == 1


def test_processes_with_a_token_each_revoke_each_other(zoom):
    """The defect the shared token removes, shown by the same harness: with a cache per process (the old
    behaviour, still what a client without `token_store_url` does) every process fetches a token of its
    own, which revokes the other's, so the first call after both hold one is refused."""
    settings = zoom.source_settings(http=http_with(max_attempts=3))
    assert settings.token_store_url is None

    run_processes(settings, calls=40)

    assert zoom.tokens_issued >= 3  # one each, then at least one refetch after a refusal
    assert zoom.invalid_token_answers() >= 1


def test_a_shared_token_is_fetched_once_per_lifetime(tmp_path):
    # Two-second tokens are refreshed at half their lifetime, so every second one process fetches a new
    # token (revoking the old one) and the other adopts it from the database.
    lifetime_s, seconds = 2.0, 4.0
    with FakeZoomServer(token_lifetime_s=lifetime_s) as zoom:
        zoom.add_user("tokenTestUser", "token.test@sandbox.example")
        reports = run_processes(shared_settings(zoom, sqlite_url(tmp_path)), calls=0, seconds=seconds)

        assert [r.error for r in reports] == [None, None]
        refreshes = math.ceil(seconds / (lifetime_s / 2)) + 1
        assert 2 <= zoom.tokens_issued <= refreshes + 1  # + the first
        assert sum(r.tokens_fetched for r in reports) == zoom.tokens_issued
        # A request already on its way when the other process refreshes can be refused once; then the
        # client adopts the stored token without fetching.
        assert zoom.invalid_token_answers() <= zoom.tokens_issued

