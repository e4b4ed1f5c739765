"""Fixtures shared by every test area."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bridge_pipeline_tests.postgres_server import PostgresTestServer


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresTestServer]:
    """A real PostgreSQL for the whole session; a failure to start is an error, never a skip."""
    server = PostgresTestServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_database_url(postgres_server: PostgresTestServer) -> Iterator[str]:
    """A SQLAlchemy URL (psycopg2) to an empty database of its own, dropped after the test."""
    name = postgres_server.create_database()
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)
