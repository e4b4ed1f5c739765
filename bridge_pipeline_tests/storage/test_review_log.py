"""Counsel's review actions: stored with their id and time, read back in order, never changed or removed."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from bridge_pipeline.models import ReviewAction
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline.storage.tables import review_actions

DAY = dt.date(2026, 5, 14)


@pytest.fixture
def review_store(database_url: str):
    """A freshly migrated database of its own (review rows cannot be emptied between tests)."""
    store = PipelineStore(database_url)
    store.migrate()
    try:
        yield store
    finally:
        store.dispose()


def _action(meeting: str, action: str = "set_value", version: int = 1, **extra) -> ReviewAction:
    return ReviewAction(
        recorded_at=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc),  # replaced by the time it is stored
        reviewer="counsel@example.com",
        action=action,
        draft_id=f"{meeting}-sow",
        draft_version=version,
        meeting_id=meeting,
        partition_date=DAY,
        **extra,
    )


def test_actions_get_an_increasing_id_and_the_time_they_were_stored(review_store: PipelineStore):
    before = dt.datetime.now(dt.timezone.utc)
    first = review_store.reviews.append(_action("m1", field_name="fee_total", before_value=None, after_value="EUR 1.00"))
    second = review_store.reviews.append(_action("m2", "approve", after_value="f" * 64, note="ok"))
    third = review_store.reviews.append(_action("m1", "request_changes", version=2, note="scope"))

    assert first.action_id < second.action_id < third.action_id
    assert before <= first.recorded_at <= third.recorded_at <= dt.datetime.now(dt.timezone.utc)
    assert review_store.reviews.for_meetings(["m1"]) == [first, third]
    assert review_store.reviews.for_draft("m1-sow") == [first, third]
    assert review_store.reviews.after(first.action_id) == [second, third]
    assert review_store.reviews.after(third.action_id) == []
    assert review_store.reviews.latest(limit=2) == [third, second]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE review_actions SET after_value = 'forged'",
        "UPDATE review_actions SET reviewer = 'someone else' WHERE id = 1",
        "DELETE FROM review_actions",
    ],
)
def test_the_database_refuses_to_change_or_remove_review_actions(review_store: PipelineStore, statement: str):
    review_store.reviews.append(_action("m1", field_name="fee_total", after_value="EUR 1.00"))

    with pytest.raises(sa.exc.DBAPIError, match="review_actions is append-only"):
        with review_store.engine.begin() as conn:
            conn.exec_driver_sql(statement)

    with review_store.engine.connect() as conn:
        rows = conn.execute(sa.select(review_actions.c.reviewer, review_actions.c.after_value)).all()
    assert rows == [("counsel@example.com", "EUR 1.00")]


@pytest.mark.postgres
def test_postgresql_refuses_truncating_review_actions(postgres_database_url: str):
    store = PipelineStore(postgres_database_url)
    try:
        store.migrate()
        store.reviews.append(_action("m1", "approve", after_value="f" * 64))
        with pytest.raises(sa.exc.DBAPIError, match="review_actions is append-only: TRUNCATE refused"):
            with store.engine.begin() as conn:
                conn.exec_driver_sql("TRUNCATE review_actions")
        assert len(store.reviews.for_meetings(["m1"])) == 1
    finally:
        store.dispose()
