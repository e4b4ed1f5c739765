"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge_pipeline.storage.store import PipelineStore


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bridge.sqlite3'}"
    # Looked up lazily so `-m "not postgres"` never starts the server.
    return request.getfixturevalue("postgres_database_url")


@pytest.fixture
def store(database_url: str) -> Iterator[PipelineStore]:
    pipeline_store = PipelineStore(database_url)
    pipeline_store.migrate()
    try:
        yield pipeline_store
    finally:
        pipeline_store.dispose()
