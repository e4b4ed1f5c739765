"""The audit trail is append-only in the database itself, and records a path only when something changed."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command

from bridge_pipeline.storage.audit import AuditEntry, AuditLog
from bridge_pipeline.storage.schema_migrations import alembic_config
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline.storage.tables import audit_log

DAY = dt.date(2026, 5, 14)
KEY = "exports/2026-05-14/m1/m1-nda-v1.pdf"


@pytest.fixture
def audit_store(database_url: str):
    """A freshly migrated database of its own (audit rows cannot be emptied between tests)."""
    store = PipelineStore(database_url)
    store.migrate()
    try:
        yield store
    finally:
        store.dispose()


def _written(sha: str, path: str = KEY, action: str = "written") -> AuditEntry:
    return AuditEntry(DAY, "export", action, path, run_id="run-1", meeting_id="m1",  # type: ignore[arg-type]
                      content_sha256=sha, draft_id="m1-nda", draft_version=1, detail={"format": "pdf"})


def _rows(store: PipelineStore) -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings()]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET content_sha256 = 'forged'",
        "UPDATE audit_log SET action = 'removed' WHERE id = 1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
    ],
)
def test_the_database_refuses_to_update_or_delete_audit_rows(audit_store: PipelineStore, statement: str):
    AuditLog(audit_store.engine).record([_written("a" * 64)])
    before = _rows(audit_store)

    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with audit_store.engine.begin() as conn:
            conn.exec_driver_sql(statement)

    assert _rows(audit_store) == before


@pytest.mark.postgres
def test_postgresql_refuses_truncate_too_and_the_table_owner_is_no_exception(postgres_database_url: str):
    store = PipelineStore(postgres_database_url)  # connects as the superuser that owns the table
    try:
        store.migrate()
        AuditLog(store.engine).record([_written("a" * 64)])
        with pytest.raises(sa.exc.DBAPIError, match="append-only: TRUNCATE refused"):
            with store.engine.begin() as conn:
                conn.exec_driver_sql("TRUNCATE audit_log")
        with pytest.raises(sa.exc.DBAPIError, match="append-only: UPDATE refused"):
            with store.engine.begin() as conn:
                conn.exec_driver_sql("UPDATE audit_log SET run_id = 'other'")
        assert [r["run_id"] for r in _rows(store)] == ["run-1"]
    finally:
        store.dispose()


def test_downgrading_drops_the_trail_and_upgrading_brings_it_back_with_its_triggers(audit_store: PipelineStore):
    url = audit_store.engine.url.render_as_string(hide_password=False)
    command.downgrade(alembic_config(url), "0005")
    assert "audit_log" not in sa.inspect(audit_store.engine).get_table_names()

    audit_store.migrate()
    AuditLog(audit_store.engine).record([_written("a" * 64)])
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with audit_store.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM audit_log")


def test_only_changes_are_recorded(audit_store: PipelineStore):
    log = AuditLog(audit_store.engine)
    removed = AuditEntry(DAY, "export", "removed", KEY, run_id="run-4", meeting_id="m1")

    assert log.record([_written("a" * 64)]) == 1
    assert log.record([_written("a" * 64)]) == 0  # the same bytes again: nothing happened
    assert log.record([_written("b" * 64)]) == 1  # new content under the same name
    assert log.record([removed]) == 1
    assert log.record([removed]) == 0  # already gone
    assert log.record([_written("b" * 64)]) == 1  # back again, with content the trail saw before
    # A file the trail never saw is not reported as removed.
    assert log.record([AuditEntry(DAY, "export", "removed", "exports/2026-05-14/m1/other.md")]) == 0

    entries = log.entries(DAY)
    assert [(e.action, e.content_sha256) for e in entries] == [
        ("written", "a" * 64),
        ("rewritten", "b" * 64),
        ("removed", None),
        ("written", "b" * 64),
    ]
    first = entries[0]
    assert (first.run_id, first.meeting_id, first.draft_id, first.draft_version) == ("run-1", "m1", "m1-nda", 1)
    assert first.detail == {"format": "pdf"} and first.recorded_at.tzinfo == dt.timezone.utc
    assert log.present_paths(DAY, ["export"]) == {KEY: "export"}


def test_a_purge_is_recorded_once_and_marks_its_day(audit_store: PipelineStore):
    log = AuditLog(audit_store.engine)
    purge = AuditEntry(DAY, "raw_recording", "purged", "raw/2026-05-14/m1/m1.vtt", content_sha256="c" * 64)

    assert not log.purged(DAY)
    assert log.record([purge]) == 1
    assert log.record([purge]) == 0
    assert log.purged(DAY) and not log.purged(DAY + dt.timedelta(days=1))


def test_chat_posts_are_recorded_every_time_they_are_given(audit_store: PipelineStore):
    post = AuditEntry(DAY, "chat_summary", "posted", "teams:meeting_chat:19:abc", content_sha256="d" * 64)
    log = AuditLog(audit_store.engine)

    assert log.record([post], only_changes=False) == 1
    assert log.record([post], only_changes=False) == 1  # the delivery records, not the trail, make a post happen once
    assert len(log.entries(DAY, kinds=["chat_summary"])) == 2
