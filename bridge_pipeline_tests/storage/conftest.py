"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline.storage.tables import ALL_TABLES, NOTIFICATION_TABLES, STAGE_INPUT_TABLES
from bridge_pipeline_tests.postgres_server import PostgresTestServer

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of its own (not migrated), for tests about migrating."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bridge.sqlite3'}"
    # Looked up lazily so `-m "not postgres"` never starts the server.
    return request.getfixturevalue("postgres_database_url")


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_server: PostgresTestServer) -> str:
    """One migrated PostgreSQL database shared by store tests; each test empties it first.

    Creating and migrating a database costs about half a second on PostgreSQL, emptying ten small
    tables a few milliseconds.
    """
    url = postgres_server.url(postgres_server.create_database())
    store = PipelineStore(url)
    store.migrate()
    store.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PipelineStore]:
    """A migrated, empty store."""
    if request.param == "sqlite":
        pipeline_store = PipelineStore(f"sqlite:///{tmp_path / 'bridge.sqlite3'}")
        pipeline_store.migrate()
    else:
        pipeline_store = PipelineStore(request.getfixturevalue("migrated_postgres_url"))
        with pipeline_store.engine.begin() as conn:
            for table in ALL_TABLES + NOTIFICATION_TABLES + STAGE_INPUT_TABLES:
                conn.execute(sa.delete(table))
    try:
        yield pipeline_store
    finally:
        pipeline_store.dispose()
