"""The audit trail: what the line wrote, posted or deleted, by which run, with which content and when.

Rows are only inserted; the database refuses UPDATE and DELETE on `audit_log` (revision 0006). An entry
is recorded only when it changes what the trail says about its path, so re-running a day that writes
the same bytes adds nothing:
- `written` / `withheld`: skipped when the path's latest entry shows it present with the same sha256;
  a `written` over other content is recorded as `rewritten`;
- `removed`: recorded only when the trail shows the path present (a file it never recorded stays silent);
- `purged`: skipped when the path's latest entry already is that purge;
- chat actions (`posted`, `edited`, `follow_up`) are always recorded: the delivery records make each happen once.
Times are stored timezone-aware in UTC (SQLite hands them back naive; read as UTC).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import sqlalchemy as sa

from bridge_pipeline.storage.engine import write_transaction
from bridge_pipeline.storage.tables import audit_log
from bridge_pipeline.storage.values import as_utc, in_chunks

AuditAction = Literal["written", "rewritten", "withheld", "removed", "posted", "edited", "follow_up", "purged"]

# Actions after which the path holds content; `removed` and `purged` leave nothing there.
_PRESENT = frozenset({"written", "rewritten", "withheld"})
_table = audit_log


@dataclass(frozen=True)
class AuditEntry:
    day: dt.date  # the partition the artifact belongs to
    artifact_kind: str  # "export", "withheld_notice", "chat_summary", "raw_recording", "transcript", ...
    action: AuditAction
    path: str
    run_id: str | None = None
    meeting_id: str | None = None
    content_sha256: str | None = None
    draft_id: str | None = None
    draft_version: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    recorded_at: dt.datetime | None = None  # set when stored


def append(conn: sa.Connection, entries: Sequence[AuditEntry], *, at: dt.datetime | None = None) -> int:
    """Insert every entry inside the caller's transaction; returns how many."""
    if not entries:
        return 0
    when = as_utc(at or dt.datetime.now(dt.timezone.utc))
    conn.execute(sa.insert(_table), [_columns(e, when) for e in entries])
    return len(entries)


def append_changes(conn: sa.Connection, entries: Sequence[AuditEntry], *, at: dt.datetime | None = None) -> int:
    """Insert the entries that change what the trail says (module docstring); returns how many were inserted."""
    latest = _latest(conn, entries)
    kept = [e for e in (_as_change(e, latest.get((e.day, e.path))) for e in entries) if e is not None]
    return append(conn, kept, at=at)


def _as_change(entry: AuditEntry, latest: AuditEntry | None) -> AuditEntry | None:
    present = latest is not None and latest.action in _PRESENT
    if entry.action in ("written", "withheld"):
        if present and latest.content_sha256 == entry.content_sha256:
            return None
        return replace(entry, action="rewritten") if present and entry.action == "written" else entry
    if entry.action == "removed":
        return entry if present else None
    if entry.action == "purged" and latest is not None and latest.action == "purged":
        return None if latest.content_sha256 == entry.content_sha256 else entry
    return entry


def _latest(conn: sa.Connection, entries: Sequence[AuditEntry]) -> dict[tuple[dt.date, str], AuditEntry]:
    """The latest stored entry per (day, path) of the given entries."""
    found: dict[tuple[dt.date, str], AuditEntry] = {}
    by_day: dict[dt.date, set[str]] = {}
    for e in entries:
        by_day.setdefault(e.day, set()).add(e.path)
    for day, paths in sorted(by_day.items()):
        for chunk in in_chunks(sorted(paths)):
            query = (
                sa.select(_table)
                .where(_table.c.partition_date == day, _table.c.path.in_(chunk))
                .order_by(_table.c.id)
            )
            for row in conn.execute(query).mappings():
                found[(day, row["path"])] = _entry(row)  # ordered by id: the last one wins
    return found


class AuditLog:
    """Reads and appends audit rows in the project database (the engine of PipelineStore, after `migrate()`)."""

    def __init__(self, engine: sa.Engine):
        self._engine = engine

    def record(self, entries: Sequence[AuditEntry], *, only_changes: bool = True) -> int:
        with write_transaction(self._engine) as conn:
            return append_changes(conn, entries) if only_changes else append(conn, entries)

    def entries(
        self, day: dt.date | None = None, *, kinds: Iterable[str] | None = None, actions: Iterable[str] | None = None
    ) -> list[AuditEntry]:
        """Entries in the order they were recorded, optionally of one day, some kinds or some actions."""
        query = sa.select(_table).order_by(_table.c.id)
        if day is not None:
            query = query.where(_table.c.partition_date == day)
        if kinds is not None:
            query = query.where(_table.c.artifact_kind.in_(sorted(set(kinds))))
        if actions is not None:
            query = query.where(_table.c.action.in_(sorted(set(actions))))
        with self._engine.connect() as conn:
            return [_entry(row) for row in conn.execute(query).mappings()]

    def present_paths(self, day: dt.date, kinds: Iterable[str]) -> dict[str, str]:
        """Paths of the day whose latest entry of these kinds says the content is there, with that entry's kind."""
        latest: dict[str, AuditEntry] = {}
        for entry in self.entries(day, kinds=kinds):
            latest[entry.path] = entry
        return {path: e.artifact_kind for path, e in latest.items() if e.action in _PRESENT}

    def purged(self, day: dt.date) -> bool:
        """True once retention purged anything of the day (its raw recordings and transcripts are gone)."""
        query = sa.select(_table.c.id).where(_table.c.partition_date == day, _table.c.action == "purged").limit(1)
        with self._engine.connect() as conn:
            return conn.execute(query).first() is not None


def _columns(entry: AuditEntry, at: dt.datetime) -> dict[str, object]:
    return {
        "partition_date": entry.day,
        "recorded_at": at,
        "run_id": entry.run_id,
        "meeting_id": entry.meeting_id,
        "artifact_kind": entry.artifact_kind,
        "action": entry.action,
        "path": entry.path,
        "content_sha256": entry.content_sha256,
        "draft_id": entry.draft_id,
        "draft_version": entry.draft_version,
        "detail": dict(entry.detail),
    }


def _entry(row: sa.RowMapping) -> AuditEntry:
    return AuditEntry(
        day=row["partition_date"],
        artifact_kind=row["artifact_kind"],
        action=row["action"],
        path=row["path"],
        run_id=row["run_id"],
        meeting_id=row["meeting_id"],
        content_sha256=row["content_sha256"],
        draft_id=row["draft_id"],
        draft_version=row["draft_version"],
        detail=row["detail"],
        recorded_at=as_utc(row["recorded_at"]),
    )


