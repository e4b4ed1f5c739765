"""The project's tables behind one class: each stage rewrites its day's rows in one transaction and reads them back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Callable, get_args

import sqlalchemy as sa

from bridge_pipeline.errors import BridgeError
from bridge_pipeline.models import (
    ContractDraft,
    DealLink,
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
from bridge_pipeline.storage.audit import AuditEntry, append_changes
from bridge_pipeline.storage.engine import create_store_engine, in_write_transaction, write_transaction
from bridge_pipeline.storage import tables
from bridge_pipeline.storage.reviews import ReviewLog
from bridge_pipeline.storage.rows import StageInput
from bridge_pipeline.storage.tables import ALL_TABLES
from bridge_pipeline.storage.values import in_chunks

__all__ = ["INPUT_STAGES", "PipelineStore", "StageInput", "StorageConflictError"]

# Pipeline order, used to list a day's problems stage by stage.
_STAGES: tuple[str, ...] = get_args(IngestProblem.model_fields["stage"].annotation)

# Stages that record per meeting what they built its rows from (the `stage_inputs` table).
INPUT_STAGES: tuple[str, ...] = ("transcripts", "decisions", "contract_drafts", "draft_qa", "contract_exports")
# Stages whose rows hold a draft version, so removing a version makes their records of the meeting stale.
_DRAFT_STAGES: tuple[str, ...] = ("contract_drafts", "draft_qa", "contract_exports")
# Stands for a row not stored at all; never equal to a payload.
_MISSING = object()


class StorageConflictError(BridgeError):
    """A partition's new rows break a table constraint (e.g. an id already stored); nothing was changed."""


class PipelineStore:
    """Project tables in SQLite or PostgreSQL, rewritten one (day, stage) partition at a time.

    Every `replace_*` deletes the day's rows of that stage (and the stage's ingest problems) and inserts
    the new ones in a single transaction: re-running a day never duplicates, and a failed write leaves
    the previous rows in place. A stage that knows some meetings are unchanged passes their ids as
    `kept`: their rows (and stage inputs) stay exactly as stored, and only the other meetings' rows
    are deleted and replaced, still in one transaction. Loads order meeting-keyed results by meeting id,
    rows of one meeting in the order they were given.
    """

    def __init__(self, database_url: str):
        self._engine = create_store_engine(database_url)

    @property
    def engine(self) -> sa.Engine:
        return self._engine

    @property
    def reviews(self) -> ReviewLog:
        """Counsel's review actions (append-only)."""
        return ReviewLog(self._engine)

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
        """Rows of meetings whose record is unchanged are left as stored; the others are replaced."""
        for m in meetings:
            _check_day(day, m.partition_date, f"meeting {m.meeting_id}")
        new_rows = rows.meeting_rows(day, meetings)
        table = tables.meetings

        def unchanged(conn: sa.Connection) -> set[str]:
            query = sa.select(table.c.meeting_id, table.c.payload).where(table.c.partition_date == day)
            stored = dict(conn.execute(query).all())
            return {r["meeting_id"] for r in new_rows if stored.get(r["meeting_id"], _MISSING) == r["payload"]}

        self._replace(day, "raw_recordings", problems, {table: new_rows}, kept=unchanged)

    def load_meetings(self, day: dt.date) -> list[MeetingInfo]:
        with self._engine.connect() as conn:
            found = _day_rows(conn, tables.meetings, day, "meeting_id")
        return [MeetingInfo.model_validate(r["payload"]) for r in found]

    # --- transcripts ----------------------------------------------------------------------------

    def replace_transcripts(
        self,
        day: dt.date,
        transcripts: Sequence[Transcript],
        problems: Sequence[IngestProblem] = (),
        *,
        kept: Collection[str] = (),
        inputs: Sequence[StageInput] = (),
    ) -> None:
        headers, lines = rows.transcript_rows(day, transcripts)
        self._replace(
            day,
            "transcripts",
            problems,
            {tables.transcripts: headers, tables.utterances: lines},
            kept=kept,
            input_stage="transcripts",
            inputs=inputs,
        )

    def load_transcripts(self, day: dt.date, meeting_ids: Iterable[str] | None = None) -> dict[str, Transcript]:
        """The day's transcripts, or only those of `meeting_ids` (a stage redoing a few meetings reads only those)."""
        if meeting_ids is None:
            with self._engine.connect() as conn:
                headers = _day_rows(conn, tables.transcripts, day, "meeting_id")
                lines = _day_rows(conn, tables.utterances, day, "meeting_id", "utterance_index")
            return rows.transcripts_from_rows(headers, lines)
        headers, lines = [], []
        with self._engine.connect() as conn:
            for chunk in in_chunks(sorted(set(meeting_ids))):
                headers += _day_rows(conn, tables.transcripts, day, "meeting_id", meeting_ids=chunk)
                lines += _day_rows(conn, tables.utterances, day, "meeting_id", "utterance_index", meeting_ids=chunk)
        return rows.transcripts_from_rows(headers, lines)

    # --- decisions ------------------------------------------------------------------------------

    def replace_decisions(
        self,
        day: dt.date,
        items: Sequence[MeetingDecisions],
        problems: Sequence[IngestProblem] = (),
        *,
        kept: Collection[str] = (),
        inputs: Sequence[StageInput] = (),
    ) -> None:
        headers, lines = rows.decision_rows(day, items)
        self._replace(
            day,
            "decisions",
            problems,
            {tables.meeting_decisions: headers, tables.decisions: lines},
            kept=kept,
            input_stage="decisions",
            inputs=inputs,
        )

    def load_decisions(self, day: dt.date) -> dict[str, MeetingDecisions]:
        with self._engine.connect() as conn:
            headers = _day_rows(conn, tables.meeting_decisions, day, "meeting_id")
            lines = _day_rows(conn, tables.decisions, day, "meeting_id", "position")
        return rows.decisions_from_rows(headers, lines)

    # --- drafts ---------------------------------------------------------------------------------

    def replace_drafts(
        self,
        day: dt.date,
        items: Sequence[MeetingDrafts],
        problems: Sequence[IngestProblem] = (),
        *,
        kept: Collection[str] = (),
        inputs: Sequence[StageInput] = (),
    ) -> None:
        for md in items:
            for draft in md.drafts:
                _check_day(day, draft.partition_date, f"draft {draft.draft_id} v{draft.version}")
            if md.no_draft is not None:
                _check_day(day, md.no_draft.partition_date, f"no-draft record of meeting {md.meeting_id}")
            if md.deal is not None and md.deal.meeting_id != md.meeting_id:
                raise ValueError(f"deal link of meeting {md.deal.meeting_id} stored with meeting {md.meeting_id}")
        headers, lines = rows.draft_rows(day, items)
        self._replace(
            day,
            "contract_drafts",
            problems,
            {
                tables.meeting_drafts: headers,
                tables.drafts: lines,
                tables.deal_links: rows.deal_link_rows(day, items),
            },
            kept=kept,
            input_stage="contract_drafts",
            inputs=inputs,
        )

    def load_drafts(self, day: dt.date) -> dict[str, MeetingDrafts]:
        with self._engine.connect() as conn:
            headers = _day_rows(conn, tables.meeting_drafts, day, "meeting_id")
            lines = _day_rows(conn, tables.drafts, day, "meeting_id", "position")
            links = _day_rows(conn, tables.deal_links, day, "meeting_id")
        return rows.drafts_from_rows(headers, lines, links)

    # --- deals and versions across days ---------------------------------------------------------

    def load_latest_drafts_before(self, day: dt.date, *, since: dt.date | None = None) -> list[ContractDraft]:
        """The highest version of every draft stored on a day before `day` (and on or after `since`).

        Rows of `day` itself are never read, so re-drafting a day sees exactly what it saw the first time.
        """
        d = tables.drafts
        window = [d.c.partition_date < day] + ([d.c.partition_date >= since] if since is not None else [])
        latest = (
            sa.select(d.c.draft_id, sa.func.max(d.c.version).label("version"))
            .where(*window)
            .group_by(d.c.draft_id)
            .subquery()
        )
        query = (
            sa.select(d.c.payload)
            .join(latest, sa.and_(d.c.draft_id == latest.c.draft_id, d.c.version == latest.c.version))
            .order_by(d.c.draft_id)
        )
        with self._engine.connect() as conn:
            return [ContractDraft.model_validate(payload) for payload in conn.execute(query).scalars()]

    def load_draft_history(self, draft_id: str) -> list[ContractDraft]:
        """Every stored version of one draft, oldest first."""
        d = tables.drafts
        query = sa.select(d.c.payload).where(d.c.draft_id == draft_id).order_by(d.c.version)
        with self._engine.connect() as conn:
            return [ContractDraft.model_validate(payload) for payload in conn.execute(query).scalars()]

    def draft_version_days(self, draft_ids: Iterable[str]) -> dict[str, list[tuple[int, dt.date]]]:
        """Per draft id, every stored version with the day it is stored on, oldest first (no payloads read)."""
        d = tables.drafts
        found: dict[str, list[tuple[int, dt.date]]] = {}
        with self._engine.connect() as conn:
            for chunk in in_chunks(sorted(set(draft_ids))):
                query = (
                    sa.select(d.c.draft_id, d.c.version, d.c.partition_date)
                    .where(d.c.draft_id.in_(chunk))
                    .order_by(d.c.draft_id, d.c.version)
                )
                for draft_id, version, day in conn.execute(query):
                    found.setdefault(draft_id, []).append((version, day))
        return found

    def load_draft_version(self, draft_id: str, version: int) -> ContractDraft | None:
        d = tables.drafts
        query = sa.select(d.c.payload).where(d.c.draft_id == draft_id, d.c.version == version)
        with self._engine.connect() as conn:
            payload = conn.execute(query).scalar_one_or_none()
        return None if payload is None else ContractDraft.model_validate(payload)

    def load_deal_drafts(self, deal_id: str) -> list[ContractDraft]:
        """Every version of every draft of a deal, by draft id then version."""
        d = tables.drafts
        query = sa.select(d.c.payload).where(d.c.deal_id == deal_id).order_by(d.c.draft_id, d.c.version)
        with self._engine.connect() as conn:
            return [ContractDraft.model_validate(payload) for payload in conn.execute(query).scalars()]

    def load_deal_links(self, deal_id: str) -> list[DealLink]:
        """The meetings of a deal, in day order, each with the reason it was linked."""
        links = tables.deal_links
        query = sa.select(links).where(links.c.deal_id == deal_id).order_by(links.c.partition_date, links.c.meeting_id)
        with self._engine.connect() as conn:
            return [rows.deal_link_from_row(r) for r in conn.execute(query).mappings()]

    def draft_versions_stored_elsewhere(
        self, day: dt.date, keys: Sequence[tuple[str, int]]
    ) -> list[tuple[str, int, dt.date]]:
        """Which (draft_id, version) pairs are already stored for another day, with that day."""
        if not keys:
            return []
        d = tables.drafts
        wanted = set(keys)
        query = sa.select(d.c.draft_id, d.c.version, d.c.partition_date).where(
            d.c.draft_id.in_(sorted({k[0] for k in keys})), d.c.partition_date != day
        )
        with self._engine.connect() as conn:
            found = [(r.draft_id, r.version, r.partition_date) for r in conn.execute(query)]
        return sorted(f for f in found if (f[0], f[1]) in wanted)

    def delete_draft_versions(self, keys: Sequence[tuple[str, int, dt.date]]) -> None:
        """Delete the given (draft_id, version, day) rows, e.g. later versions made out of date by an earlier day.

        The stage inputs of the meetings those versions belonged to go too, from drafting on: their stored
        records no longer match what is left, so the next run of their day redoes them.
        """
        d, inputs = tables.drafts, tables.stage_inputs
        with self._write_transaction() as conn:
            for draft_id, version, day in keys:
                where = (d.c.draft_id == draft_id, d.c.version == version, d.c.partition_date == day)
                for meeting_id in conn.execute(sa.select(d.c.meeting_id).where(*where)).scalars().all():
                    conn.execute(
                        sa.delete(inputs).where(
                            inputs.c.partition_date == day,
                            inputs.c.meeting_id == meeting_id,
                            inputs.c.stage.in_(_DRAFT_STAGES),
                        )
                    )
                conn.execute(sa.delete(d).where(*where))

    # --- records of other days, by meeting id ---------------------------------------------------

    def load_meetings_by_id(self, meeting_ids: Iterable[str]) -> dict[str, MeetingInfo]:
        """Meetings of any day, keyed by id; ids not stored are left out."""
        ids = sorted(set(meeting_ids))
        if not ids:
            return {}
        query = sa.select(tables.meetings.c.payload).where(tables.meetings.c.meeting_id.in_(ids))
        with self._engine.connect() as conn:
            found = [MeetingInfo.model_validate(p) for p in conn.execute(query).scalars()]
        return {m.meeting_id: m for m in found}

    def load_decisions_for_meetings(self, meeting_ids: Iterable[str]) -> dict[str, MeetingDecisions]:
        """Decisions of meetings of any day, keyed by meeting id; meetings not stored are left out."""
        ids = sorted(set(meeting_ids))
        if not ids:
            return {}
        headers_table, lines_table = tables.meeting_decisions, tables.decisions
        with self._engine.connect() as conn:
            headers = list(
                conn.execute(
                    sa.select(headers_table).where(headers_table.c.meeting_id.in_(ids)).order_by(headers_table.c.meeting_id)
                ).mappings()
            )
            lines = list(
                conn.execute(
                    sa.select(lines_table)
                    .where(lines_table.c.meeting_id.in_(ids))
                    .order_by(lines_table.c.meeting_id, lines_table.c.position)
                ).mappings()
            )
        return rows.decisions_from_rows(headers, lines)

    # --- QA -------------------------------------------------------------------------------------

    def replace_qa_findings(
        self,
        day: dt.date,
        findings: Sequence[QAFinding],
        *,
        kept: Collection[str] = (),
        inputs: Sequence[StageInput] = (),
    ) -> None:
        self._replace(
            day,
            None,
            (),
            {tables.qa_findings: rows.finding_rows(day, findings)},
            kept=kept,
            input_stage="draft_qa",
            inputs=inputs,
        )

    def load_qa_findings(self, day: dt.date) -> list[QAFinding]:
        with self._engine.connect() as conn:
            found = _day_rows(conn, tables.qa_findings, day, "meeting_id", "position")
        return [QAFinding.model_validate(r["payload"]) for r in found]

    # --- exports --------------------------------------------------------------------------------

    def replace_exports(
        self,
        day: dt.date,
        exported: Sequence[ExportedFile],
        withheld: Sequence[WithheldExport],
        problems: Sequence[IngestProblem] = (),
        *,
        kept: Collection[str] = (),
        inputs: Sequence[StageInput] = (),
        audit: Sequence[AuditEntry] = (),
    ) -> int:
        """Also appends the `audit` entries that change the trail, in the same transaction; returns how many."""
        recorded = [0]

        def record(conn: sa.Connection) -> None:
            recorded[0] = append_changes(conn, audit)

        self._replace(
            day,
            "contract_exports",
            problems,
            {tables.exports: rows.export_rows(day, exported, withheld)},
            kept=kept,
            input_stage="contract_exports",
            inputs=inputs,
            also=record if audit else None,
        )
        return recorded[0]

    def load_exports(self, day: dt.date) -> tuple[list[ExportedFile], list[WithheldExport]]:
        with self._engine.connect() as conn:
            found = _day_rows(conn, tables.exports, day, "status", "meeting_id", "position")
        exported = [ExportedFile.model_validate(r["payload"]) for r in found if r["status"] == "exported"]
        withheld = [WithheldExport.model_validate(r["payload"]) for r in found if r["status"] == "withheld"]
        return exported, withheld

    # --- what each stage built a meeting's rows from ---------------------------------------------

    def load_stage_inputs(self, day: dt.date, stage: str) -> dict[str, StageInput]:
        """The stage inputs recorded for the day's meetings at `stage`, keyed by meeting id."""
        if stage not in INPUT_STAGES:
            raise ValueError(f"unknown stage {stage!r}; expected one of {', '.join(INPUT_STAGES)}")
        table = tables.stage_inputs
        query = (
            sa.select(table)
            .where(table.c.partition_date == day, table.c.stage == stage)
            .order_by(table.c.meeting_id)
        )
        with self._engine.connect() as conn:
            return {r["meeting_id"]: rows.stage_input_from_row(r) for r in conn.execute(query).mappings()}

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

    def _write_transaction(self) -> AbstractContextManager[sa.Connection]:
        return write_transaction(self._engine)

    def _replace(
        self,
        day: dt.date,
        problem_stage: str | None,
        problems: Sequence[IngestProblem],
        new_rows: dict[sa.Table, list[rows.Row]],
        *,
        kept: Collection[str] | Callable[[sa.Connection], Collection[str]] = (),
        input_stage: str | None = None,
        inputs: Sequence[StageInput] = (),
        also: Callable[[sa.Connection], None] | None = None,
    ) -> None:
        """Replace the day's rows of these tables, except those of `kept` meetings, in one transaction.

        `also` runs last inside that transaction (the audit trail is written with the rows it describes).

        `kept` may be a function of the open write transaction, for callers that decide what is unchanged
        from the stored rows themselves. New rows and inputs of a kept meeting are dropped in that case;
        given as ids, they are a caller's mistake.
        """
        if inputs and input_stage is None:
            raise ValueError("stage inputs given without the stage they belong to")
        if not callable(kept):
            _check_not_kept(frozenset(kept), new_rows, inputs)
        for p in problems:
            if p.stage != problem_stage:
                raise ValueError(
                    f"problem about {p.location!r} is from stage {p.stage!r}; only {problem_stage!r} problems "
                    "can be stored with this stage's rows"
                )
            _check_day(day, p.partition_date, f"problem about {p.location!r}")
        tables_named = ", ".join(t.name for t in new_rows)

        def write(conn: sa.Connection) -> None:
            rows_to_write, inputs_to_write = new_rows, inputs
            keep = frozenset(kept(conn) if callable(kept) else kept)
            if callable(kept):
                rows_to_write = {t: [r for r in found if r["meeting_id"] not in keep] for t, found in rows_to_write.items()}
                inputs_to_write = [i for i in inputs_to_write if i.meeting_id not in keep]
            for table in rows_to_write:
                _delete_day_rows(conn, table, day, keep)
            if input_stage is not None:
                stage_table = tables.stage_inputs
                _delete_day_rows(conn, stage_table, day, keep, stage_table.c.stage == input_stage)
                rows_to_write = {**rows_to_write, stage_table: rows.stage_input_rows(day, input_stage, inputs_to_write)}
            if problem_stage is not None:
                problems_table = tables.ingest_problems
                conn.execute(
                    sa.delete(problems_table).where(
                        problems_table.c.partition_date == day, problems_table.c.stage == problem_stage
                    )
                )
                rows_to_write = {**rows_to_write, tables.ingest_problems: rows.problem_rows(day, problems)}
            for table, table_rows in rows_to_write.items():
                if table_rows:
                    conn.execute(sa.insert(table), table_rows)
            if also is not None:
                also(conn)

        try:
            in_write_transaction(self._engine, write)
        except sa.exc.IntegrityError as exc:
            raise StorageConflictError(
                f"rows for {day.isoformat()} in {tables_named} were not replaced: {exc.orig}"
            ) from exc


def _day_rows(
    conn: sa.Connection, table: sa.Table, day: dt.date, *order_by: str, meeting_ids: Sequence[str] | None = None
) -> list[sa.RowMapping]:
    query = sa.select(table).where(table.c.partition_date == day).order_by(*(table.c[name] for name in order_by))
    if meeting_ids is not None:
        query = query.where(table.c.meeting_id.in_(meeting_ids))
    return list(conn.execute(query).mappings())



def _delete_day_rows(
    conn: sa.Connection, table: sa.Table, day: dt.date, kept: frozenset[str], *where: sa.ColumnElement[bool]
) -> None:
    """Delete the day's rows of `table` except those of `kept` meetings."""
    day_rows = (table.c.partition_date == day, *where)
    if not kept:
        conn.execute(sa.delete(table).where(*day_rows))
        return
    stored = conn.execute(sa.select(table.c.meeting_id).where(*day_rows).distinct()).scalars().all()
    for chunk in in_chunks(sorted(set(stored) - kept)):
        conn.execute(sa.delete(table).where(*day_rows, table.c.meeting_id.in_(chunk)))


def _check_not_kept(
    kept: frozenset[str], new_rows: dict[sa.Table, list[rows.Row]], inputs: Sequence[StageInput]
) -> None:
    if not kept:
        return
    clash = sorted(
        ({r["meeting_id"] for found in new_rows.values() for r in found} | {i.meeting_id for i in inputs}) & kept
    )
    if clash:
        raise ValueError(f"meetings {', '.join(clash)} are kept as stored and cannot also be given new rows")


def _check_day(day: dt.date, record_day: dt.date, what: str) -> None:
    if record_day != day:
        raise ValueError(f"{what} belongs to partition {record_day.isoformat()}, not {day.isoformat()}")
