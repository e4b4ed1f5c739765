"""Migrations create exactly the tables the store uses, and running them again changes nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline.storage.tables import (
    ALL_TABLES,
    AUDIT_TABLES,
    REVIEW_TABLES,
    NOTIFICATION_TABLES,
    STAGE_INPUT_TABLES,
    TIMING_TABLES,
    TOKEN_TABLES,
    metadata,
)


def _schema(store: PipelineStore) -> dict[str, list[str]]:
    inspector = sa.inspect(store.engine)
    return {name: [c["name"] for c in inspector.get_columns(name)] for name in sorted(inspector.get_table_names())}


def test_fresh_database_has_no_revision_until_migrated(database_url: str):
    store = PipelineStore(database_url)
    try:
        assert store.current_revision() is None
        store.migrate()
        assert store.current_revision() == store.migration_head() == "0008"
    finally:
        store.dispose()


def test_migrating_twice_is_a_no_op(store: PipelineStore):
    schema_before = _schema(store)

    store.migrate()

    assert _schema(store) == schema_before
    assert store.current_revision() == store.migration_head()
    assert set(schema_before) == {
        t.name
        for t in ALL_TABLES + TIMING_TABLES + NOTIFICATION_TABLES + STAGE_INPUT_TABLES + AUDIT_TABLES + REVIEW_TABLES
        + TOKEN_TABLES
    } | {"alembic_version"}


def test_migrated_schema_matches_the_table_definitions(store: PipelineStore):
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)

    assert differences == []


def test_migrating_keeps_existing_rows(store: PipelineStore):
    from bridge_pipeline_tests.storage import sample_records as s

    store.replace_meetings(s.DAY_A, [s.meeting("m1")], [])

    store.migrate()

    assert store.load_meetings(s.DAY_A) == [s.meeting("m1")]


def test_stores_migrating_one_fresh_database_concurrently_all_succeed(database_url: str):
    stores = [PipelineStore(database_url) for _ in range(3)]
    errors: list[BaseException] = []

    def run(store: PipelineStore) -> None:
        try:
            store.migrate()
        except BaseException as exc:  # collected so the assertion shows it
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(st,)) for st in stores]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    try:
        assert not any(t.is_alive() for t in threads), "a migrate() call is still blocked"
        assert errors == []
        assert [st.current_revision() for st in stores] == ["0008"] * 3
    finally:
        for st in stores:
            st.dispose()


def test_migrations_ship_inside_the_package():
    import bridge_pipeline.storage.migrations as migrations_package

    versions = Path(migrations_package.__file__).parent / "versions"
    assert (versions / "0001_initial.py").is_file()
    assert (versions / "0002_deals.py").is_file()
    assert (versions / "0004_notification_deliveries.py").is_file()
    assert (versions / "0005_stage_inputs.py").is_file()
    assert (versions / "0006_audit_log.py").is_file()
    assert (versions.parent / "script.py.mako").is_file()
