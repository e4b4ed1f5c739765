"""Delivery records of meeting notifications: which summary went to which chat, so none is posted twice.

One row per (meeting, chat target, kind), kind being the summary itself or the latest follow-up:
- `pending`: a post was about to be sent with `marker` in its text; if the run died before the
  answer was stored, the next run looks the marker up in the chat before posting again;
- `posted`: `message_id` shows the content whose digest is `content_sha256`;
- `failed`: the API refused the post for good (e.g. a missing permission); the next run tries again.
Every change is a compare-and-swap on (status, marker), so two runs that overlap cannot both claim
the same post. Times are stored timezone-aware in UTC (SQLite hands them back naive; read as UTC).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from bridge_pipeline.storage.audit import AuditEntry, append
from bridge_pipeline.storage.engine import write_transaction
from bridge_pipeline.storage.tables import notification_deliveries
from bridge_pipeline.storage.values import as_utc

DeliveryKind = Literal["summary", "follow_up"]
DeliveryStatus = Literal["pending", "posted", "failed"]

_table = notification_deliveries


@dataclass(frozen=True)
class DeliveryRecord:
    day: dt.date  # the meeting's day partition
    meeting_id: str
    target: str  # ChatTarget.key
    kind: DeliveryKind
    status: DeliveryStatus
    marker: str
    content_sha256: str  # digest of the summary content the message shows (or was about to show)
    attempted_at: dt.datetime
    message_id: str | None = None
    posted_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    last_error: str | None = None

    def but(self, **changes: object) -> DeliveryRecord:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


class DeliveryStore:
    """Delivery rows in the project database (the same engine as PipelineStore, after `migrate()`)."""

    def __init__(self, engine: sa.Engine):
        self._engine = engine

    def get(self, meeting_id: str, target: str, kind: DeliveryKind) -> DeliveryRecord | None:
        query = sa.select(_table).where(
            _table.c.meeting_id == meeting_id, _table.c.target == target, _table.c.kind == kind
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return _record(row) if row is not None else None

    def for_meeting(self, meeting_id: str) -> list[DeliveryRecord]:
        query = sa.select(_table).where(_table.c.meeting_id == meeting_id).order_by(_table.c.target, _table.c.kind)
        with self._engine.connect() as conn:
            return [_record(row) for row in conn.execute(query).mappings()]

    def for_day(self, day: dt.date) -> list[DeliveryRecord]:
        query = (
            sa.select(_table)
            .where(_table.c.partition_date == day)
            .order_by(_table.c.meeting_id, _table.c.target, _table.c.kind)
        )
        with self._engine.connect() as conn:
            return [_record(row) for row in conn.execute(query).mappings()]

    def insert(self, record: DeliveryRecord) -> bool:
        """Store a first record for its key; False when a row for the key exists already (another run's)."""
        try:
            with self._write() as conn:
                conn.execute(sa.insert(_table).values(**_columns(record)))
        except sa.exc.IntegrityError:
            return False
        return True

    def swap(self, expected: DeliveryRecord, new: DeliveryRecord, *, audit: Sequence[AuditEntry] = ()) -> bool:
        """Replace the row `expected` describes by `new`; False when the row's status or marker changed meanwhile.

        `audit` entries are appended in the same transaction when the swap succeeds, so the audit trail
        names a post exactly when its delivery record says it was made.
        """
        if (expected.meeting_id, expected.target, expected.kind) != (new.meeting_id, new.target, new.kind):
            raise ValueError("a swap cannot change which meeting, target or kind a record is about")
        with self._write() as conn:
            result = conn.execute(
                sa.update(_table)
                .where(
                    _table.c.meeting_id == expected.meeting_id,
                    _table.c.target == expected.target,
                    _table.c.kind == expected.kind,
                    _table.c.status == expected.status,
                    _table.c.marker == expected.marker,
                )
                .values(**_columns(new))
            )
            if result.rowcount == 1:
                append(conn, audit)
        return result.rowcount == 1

    def _write(self) -> AbstractContextManager[sa.Connection]:
        # SQLite takes its write lock up front, so two runs wait for each other instead of failing.
        return write_transaction(self._engine)


def _columns(record: DeliveryRecord) -> dict[str, object]:
    return {
        "partition_date": record.day,
        "meeting_id": record.meeting_id,
        "target": record.target,
        "kind": record.kind,
        "status": record.status,
        "marker": record.marker,
        "message_id": record.message_id,
        "content_sha256": record.content_sha256,
        "attempted_at": as_utc(record.attempted_at),
        "posted_at": as_utc(record.posted_at) if record.posted_at else None,
        "updated_at": as_utc(record.updated_at) if record.updated_at else None,
        "last_error": record.last_error,
    }


def _record(row: sa.RowMapping) -> DeliveryRecord:
    return DeliveryRecord(
        day=row["partition_date"],
        meeting_id=row["meeting_id"],
        target=row["target"],
        kind=row["kind"],
        status=row["status"],
        marker=row["marker"],
        content_sha256=row["content_sha256"],
        attempted_at=as_utc(row["attempted_at"]),
        message_id=row["message_id"],
        posted_at=as_utc(row["posted_at"]) if row["posted_at"] else None,
        updated_at=as_utc(row["updated_at"]) if row["updated_at"] else None,
        last_error=row["last_error"],
    )

