"""Records when each stage ran for a day and when each meeting went from available to exported.

The latency SLO checks and the metrics exporter read these rows; the stages never do. Times are
stored timezone-aware in UTC (SQLite hands them back naive; they are read as UTC).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from bridge_pipeline.storage.engine import in_write_transaction
from bridge_pipeline.storage.tables import meeting_timings, stage_timings
from bridge_pipeline.storage.values import as_utc


@dataclass(frozen=True)
class StageTiming:
    day: dt.date
    run_id: str
    stage: str
    started_at: dt.datetime
    finished_at: dt.datetime
    meetings: int

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def seconds_per_meeting(self) -> float:
        return self.seconds / max(self.meetings, 1)


@dataclass(frozen=True)
class MeetingLatency:
    day: dt.date
    meeting_id: str
    available_at: dt.datetime
    exported_at: dt.datetime | None

    @property
    def seconds(self) -> float | None:
        if self.exported_at is None:
            return None
        return (self.exported_at - self.available_at).total_seconds()



class TimingStore:
    """Timing rows in the project database (the same engine as PipelineStore, after `migrate()`)."""

    def __init__(self, engine: sa.Engine):
        self._engine = engine

    def record_stage(
        self, day: dt.date, run_id: str, stage: str, started_at: dt.datetime, finished_at: dt.datetime, meetings: int
    ) -> None:
        """Store one stage run for a day; running the same stage again in the same run replaces it."""

        def write(conn: sa.Connection) -> None:
            conn.execute(
                sa.delete(stage_timings).where(
                    stage_timings.c.partition_date == day,
                    stage_timings.c.stage == stage,
                    stage_timings.c.run_id == run_id,
                )
            )
            conn.execute(
                sa.insert(stage_timings).values(
                    partition_date=day,
                    run_id=run_id,
                    stage=stage,
                    started_at=as_utc(started_at),
                    finished_at=as_utc(finished_at),
                    meetings=meetings,
                )
            )

        in_write_transaction(self._engine, write)

    def record_available(self, day: dt.date, meetings: Iterable[tuple[str, str]], at: dt.datetime) -> int:
        """Note (meeting id, content sha256) pairs the day now holds; return how many started a new clock.

        An unchanged transcript keeps its first availability (and export) time, so re-running a day does
        not reset the latency; a changed one starts again. Meetings no longer in the day are dropped.
        """
        current = dict(meetings)

        def write(conn: sa.Connection) -> int:
            started = 0
            known = {
                row.meeting_id: row
                for row in conn.execute(
                    sa.select(meeting_timings).where(
                        sa.or_(
                            meeting_timings.c.partition_date == day,
                            meeting_timings.c.meeting_id.in_(list(current)),
                        )
                    )
                )
            }
            gone = [m for m, row in known.items() if row.partition_date == day and m not in current]
            if gone:
                conn.execute(sa.delete(meeting_timings).where(meeting_timings.c.meeting_id.in_(gone)))
            for meeting_id, sha in sorted(current.items()):
                row = known.get(meeting_id)
                if row is not None and row.content_sha256 == sha and row.partition_date == day:
                    continue
                if row is not None:
                    conn.execute(sa.delete(meeting_timings).where(meeting_timings.c.meeting_id == meeting_id))
                conn.execute(
                    sa.insert(meeting_timings).values(
                        partition_date=day,
                        meeting_id=meeting_id,
                        content_sha256=sha,
                        available_at=as_utc(at),
                        exported_at=None,
                    )
                )
                started += 1
            return started

        return in_write_transaction(self._engine, write)

    def record_exported(self, day: dt.date, at: dt.datetime) -> list[str]:
        """Stop the clock of every meeting of the day still waiting for its export; return their ids."""

        def write(conn: sa.Connection) -> list[str]:
            waiting = list(
                conn.execute(
                    sa.select(meeting_timings.c.meeting_id).where(
                        meeting_timings.c.partition_date == day, meeting_timings.c.exported_at.is_(None)
                    )
                ).scalars()
            )
            if waiting:
                conn.execute(
                    sa.update(meeting_timings)
                    .where(meeting_timings.c.meeting_id.in_(waiting))
                    .values(exported_at=as_utc(at))
                )
            return sorted(waiting)

        return in_write_transaction(self._engine, write)

    def meeting_latencies(self, day: dt.date) -> list[MeetingLatency]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                sa.select(meeting_timings)
                .where(meeting_timings.c.partition_date == day)
                .order_by(meeting_timings.c.meeting_id)
            ).all()
        return [
            MeetingLatency(
                day=row.partition_date,
                meeting_id=row.meeting_id,
                available_at=as_utc(row.available_at),
                exported_at=as_utc(row.exported_at) if row.exported_at is not None else None,
            )
            for row in rows
        ]

    def stage_timings(self, day: dt.date, stage: str | None = None, *, latest: int = 20) -> list[StageTiming]:
        """The day's most recent stage runs (newest first), at most `latest` per stage."""
        query = sa.select(stage_timings).where(stage_timings.c.partition_date == day)
        if stage is not None:
            query = query.where(stage_timings.c.stage == stage)
        with self._engine.connect() as conn:
            rows = conn.execute(query.order_by(stage_timings.c.finished_at.desc(), stage_timings.c.id.desc())).all()
        kept: list[StageTiming] = []
        per_stage: dict[str, int] = {}
        for row in rows:
            if per_stage.get(row.stage, 0) >= latest:
                continue
            per_stage[row.stage] = per_stage.get(row.stage, 0) + 1
            kept.append(
                StageTiming(
                    day=row.partition_date,
                    run_id=row.run_id,
                    stage=row.stage,
                    started_at=as_utc(row.started_at),
                    finished_at=as_utc(row.finished_at),
                    meetings=row.meetings,
                )
            )
        return kept


def p95(values: Sequence[float]) -> float | None:
    """95th percentile by the nearest-rank method (an observed value, never interpolated); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-95 * len(ordered) // 100))  # ceil(0.95 * n)
    return ordered[rank - 1]
