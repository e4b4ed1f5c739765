"""The project's tables behind one class: each stage rewrites its day's rows as a unit and reads them back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import get_args

import sqlalchemy as sa

from bridge_pipeline.errors import BridgeError
from bridge_pipeline.models import (
    ExportedFile,
    IngestProblem,
    MeetingDecisions,
    MeetingDrafts,
    MeetingInfo,
    QAFinding,
    Transcript,
    WithheldExport,
)
from bridge_pipeline.storage import rows, schema_migrations
from bridge_pipeline.storage.engine import WRITE_INTENT_OPTION, create_store_engine
from bridge_pipeline.storage import tables
from bridge_pipeline.storage.tables import ALL_TABLES

# Pipeline order, used to list a day's problems stage by stage.
_STAGES: tuple[str, ...] = get_args(IngestProblem.model_fields["stage"].annotation)


class StorageConflictError(BridgeError):
    """A partition's new rows break a table constraint (e.g. an id already stored); nothing was changed."""


class PipelineStore:
    """Project tables in SQLite or PostgreSQL, rewritten one (day, stage) partition at a time.

    Every `replace_*` deletes the day's rows of that stage (and the stage's ingest problems) and inserts
    the new ones in a single transaction: re-running a day never duplicates, and a failed write leaves
    the previous rows in place. Loads order meeting-keyed results by meeting id and keep the order the
    records were given in everywhere else.
    """

    def __init__(self, database_url: str):
        self._engine = create_store_engine(database_url)

    @property
    def engine(self) -> sa.Engine:
        return self._engine

    def dispose(self) -> None:
        """Close pooled connections (tests dropping a database, processes about to fork)."""
        self._engine.dispose()

    # --- schema ---------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to the newest revision; cheap and safe to call at the start of every run."""
        with self._write_transaction() as conn:
            schema_migrations.upgrade_to_head(conn)

    def migration_head(self) -> str:
        return schema_migrations.head_revision()

    def current_revision(self) -> str | None:
        with self._engine.connect() as conn:
            return schema_migrations.current_revision(conn)

    # --- meetings -------------------------------------------------------------------------------

    def replace_meetings(
        self, day: dt.date, meetings: Sequence[MeetingInfo], problems: Sequence[IngestProblem] = ()
    ) -> None:
        for m in meetings:
            _check_day(day, m.partition_date, f"meeting {m.meeting_id}")
        self._replace(day, "raw_recordings", problems, {tables.meetings: rows.meeting_rows(day, meetings)})

    def load_meetings(self, day: dt.date) -> list[MeetingInfo]:
        with self._engine.connect() as conn:
            found = _day_rows(conn, tables.meetings, day, "meeting_id")
        return [MeetingInfo.model_validate(r["payload"]) for r in found]

    # --- transcripts ----------------------------------------------------------------------------

    def replace_transcripts(
        self, day: dt.date, transcripts: Sequence[Transcript], problems: Sequence[IngestProblem] = ()
    ) -> None:
        headers, lines = rows.transcript_rows(day, transcripts)
        self._replace(day, "transcripts", problems, {tables.transcripts: headers, tables.utterances: lines})

    def load_transcripts(self, day: dt.date) -> dict[str, Transcript]:
        with self._engine.connect() as conn:
            headers = _day_rows(conn, tables.transcripts, day, "meeting_id")
            lines = _day_rows(conn, tables.utterances, day, "meeting_id", "utterance_index")
        return rows.transcripts_from_rows(headers, lines)

    # --- decisions ------------------------------------------------------------------------------

    def replace_decisions(
        self, day: dt.date, items: Sequence[MeetingDecisions], problems: Sequence[IngestProblem] = ()
    ) -> None:
        headers, lines = rows.decision_rows(day, items)
        self._replace(day, "decisions", problems, {tables.meeting_decisions: headers, tables.decisions: lines})

    def load_decisions(self, day: dt.date) -> dict[str, MeetingDecisions]:
        with self._engine.connect() as conn:
            headers = _day_rows(conn, tables.meeting_decisions, day, "meeting_id")
            lines = _day_rows(conn, tables.decisions, day, "meeting_id", "position")
        return rows.decisions_from_rows(headers, lines)

    # --- drafts ---------------------------------------------------------------------------------

    def replace_drafts(
        self, day: dt.date, items: Sequence[MeetingDrafts], problems: Sequence[IngestProblem] = ()
    ) -> None:
        for md in items:
            for draft in md.drafts:
                _check_day(day, draft.partition_date, f"draft {draft.draft_id} v{draft.version}")
            if md.no_draft is not None:
                _check_day(day, md.no_draft.partition_date, f"no-draft record of meeting {md.meeting_id}")
        headers, lines = rows.draft_rows(day, items)
        self._replace(day, "contract_drafts", problems, {tables.meeting_drafts: headers, tables.drafts: lines})

    def load_drafts(self, day: dt.date) -> dict[str, MeetingDrafts]:
        with self._engine.connect() as conn:
            headers = _day_rows(conn, tables.meeting_drafts, day, "meeting_id")
            lines = _day_rows(conn, tables.drafts, day, "meeting_id", "position")
        return rows.drafts_from_rows(headers, lines)

    # --- QA -------------------------------------------------------------------------------------

    def replace_qa_findings(self, day: dt.date, findings: Sequence[QAFinding]) -> None:
        self._replace(day, None, (), {tables.qa_findings: rows.finding_rows(day, findings)})

    def load_qa_findings(self, day: dt.date) -> list[QAFinding]:
        with self._engine.connect() as conn:
            found = _day_rows(conn, tables.qa_findings, day, "position")
        return [QAFinding.model_validate(r["payload"]) for r in found]

    # --- exports --------------------------------------------------------------------------------

    def replace_exports(
        self,
        day: dt.date,
        exported: Sequence[ExportedFile],
        withheld: Sequence[WithheldExport],
        problems: Sequence[IngestProblem] = (),
    ) -> None:
        self._replace(day, "contract_exports", problems, {tables.exports: rows.export_rows(day, exported, withheld)})

    def load_exports(self, day: dt.date) -> tuple[list[ExportedFile], list[WithheldExport]]:
        with self._engine.connect() as conn:
            found = _day_rows(conn, tables.exports, day, "status", "position")
        exported = [ExportedFile.model_validate(r["payload"]) for r in found if r["status"] == "exported"]
        withheld = [WithheldExport.model_validate(r["payload"]) for r in found if r["status"] == "withheld"]
        return exported, withheld

    # --- problems and counts --------------------------------------------------------------------

    def load_problems(self, day: dt.date, stage: str | None = None) -> list[IngestProblem]:
        if stage is not None and stage not in _STAGES:
            raise ValueError(f"unknown stage {stage!r}; expected one of {', '.join(_STAGES)}")
        with self._engine.connect() as conn:
            found = [rows.problem_from_row(r) for r in _day_rows(conn, tables.ingest_problems, day, "position")]
        if stage is not None:
            found = [p for p in found if p.stage == stage]
        # Stable sort keeps each stage's own order while listing stages in pipeline order.
        return sorted(found, key=lambda p: _STAGES.index(p.stage))

    def row_counts(self, day: dt.date) -> dict[str, int]:
        """Rows stored for `day`, per table, every table listed (zero included)."""
        counts = sa.union_all(
            *(
                sa.select(sa.literal(t.name).label("table_name"), sa.func.count().label("n")).where(
                    t.c.partition_date == day
                )
                for t in ALL_TABLES
            )
        )
        with self._engine.connect() as conn:
            found = {name: n for name, n in conn.execute(counts)}
        return {t.name: found.get(t.name, 0) for t in ALL_TABLES}

    # --- internals ------------------------------------------------------------------------------

    @contextmanager
    def _write_transaction(self) -> Iterator[sa.Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(**{WRITE_INTENT_OPTION: True})
            with conn.begin():
                yield conn

    def _replace(
        self,
        day: dt.date,
        problem_stage: str | None,
        problems: Sequence[IngestProblem],
        new_rows: dict[sa.Table, list[rows.Row]],
    ) -> None:
        for p in problems:
            if p.stage != problem_stage:
                raise ValueError(
                    f"problem about {p.location!r} is from stage {p.stage!r}; only {problem_stage!r} problems "
                    "can be stored with this stage's rows"
                )
            _check_day(day, p.partition_date, f"problem about {p.location!r}")
        tables_named = ", ".join(t.name for t in new_rows)
        try:
            with self._write_transaction() as conn:
                for table in new_rows:
                    conn.execute(sa.delete(table).where(table.c.partition_date == day))
                if problem_stage is not None:
                    problems_table = tables.ingest_problems
                    conn.execute(
                        sa.delete(problems_table).where(
                            problems_table.c.partition_date == day, problems_table.c.stage == problem_stage
                        )
                    )
                    new_rows = {**new_rows, tables.ingest_problems: rows.problem_rows(day, problems)}
                for table, table_rows in new_rows.items():
                    if table_rows:
                        conn.execute(sa.insert(table), table_rows)
        except sa.exc.IntegrityError as exc:
            raise StorageConflictError(
                f"rows for {day.isoformat()} in {tables_named} were not replaced: {exc.orig}"
            ) from exc


def _day_rows(conn: sa.Connection, table: sa.Table, day: dt.date, *order_by: str) -> list[sa.RowMapping]:
    query = sa.select(table).where(table.c.partition_date == day).order_by(*(table.c[name] for name in order_by))
    return list(conn.execute(query).mappings())


def _check_day(day: dt.date, record_day: dt.date, what: str) -> None:
    if record_day != day:
        raise ValueError(f"{what} belongs to partition {record_day.isoformat()}, not {day.isoformat()}")
