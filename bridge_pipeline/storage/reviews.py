"""Counsel's review actions in the project database: appended, never changed (revision 0007's triggers).

The review desk appends; drafting reads the actions of the meetings it drafts; the review sensor reads
what was appended after its cursor. Times are stored timezone-aware in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa

from bridge_pipeline.models import ReviewAction
from bridge_pipeline.storage.engine import write_transaction
from bridge_pipeline.storage.tables import review_actions
from bridge_pipeline.storage.values import as_utc, in_chunks

_table = review_actions


class ReviewLog:
    """Appends and reads review actions (the engine of PipelineStore, after `migrate()`)."""

    def __init__(self, engine: sa.Engine):
        self._engine = engine

    def append(self, action: ReviewAction) -> ReviewAction:
        """Store one action; returns it with its id and the time it was stored."""
        at = as_utc(dt.datetime.now(dt.timezone.utc))
        values = action.model_dump(exclude={"action_id", "recorded_at"})
        with write_transaction(self._engine) as conn:
            action_id = conn.execute(sa.insert(_table).values(recorded_at=at, **values)).inserted_primary_key[0]
        return action.model_copy(update={"action_id": int(action_id), "recorded_at": at})

    def for_meetings(self, meeting_ids: Iterable[str]) -> list[ReviewAction]:
        """Every action on drafts of these meetings, in the order they were taken."""
        found: list[ReviewAction] = []
        with self._engine.connect() as conn:
            for chunk in in_chunks(sorted(set(meeting_ids))):
                query = sa.select(_table).where(_table.c.meeting_id.in_(chunk))
                found += [_action(row) for row in conn.execute(query).mappings()]
        return sorted(found, key=lambda a: a.action_id)

    def for_draft(self, draft_id: str) -> list[ReviewAction]:
        """Every action on any version of one draft, in the order they were taken."""
        query = sa.select(_table).where(_table.c.draft_id == draft_id).order_by(_table.c.id)
        with self._engine.connect() as conn:
            return [_action(row) for row in conn.execute(query).mappings()]

    def after(self, action_id: int, *, limit: int = 1000) -> list[ReviewAction]:
        """Actions stored after `action_id`, oldest first (the review sensor's cursor)."""
        query = sa.select(_table).where(_table.c.id > action_id).order_by(_table.c.id).limit(limit)
        with self._engine.connect() as conn:
            return [_action(row) for row in conn.execute(query).mappings()]

    def latest(self, *, limit: int = 200) -> list[ReviewAction]:
        """The most recent actions, newest first."""
        query = sa.select(_table).order_by(_table.c.id.desc()).limit(limit)
        with self._engine.connect() as conn:
            return [_action(row) for row in conn.execute(query).mappings()]


def _action(row: sa.RowMapping) -> ReviewAction:
    return ReviewAction(
        action_id=row["id"],
        recorded_at=as_utc(row["recorded_at"]),
        reviewer=row["reviewer"],
        action=row["action"],
        draft_id=row["draft_id"],
        draft_version=row["draft_version"],
        meeting_id=row["meeting_id"],
        partition_date=row["partition_date"],
        field_name=row["field_name"],
        before_value=row["before_value"],
        after_value=row["after_value"],
        note=row["note"],
    )
