"""Read models of the desk's pages, built from the project store (no writes here)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import get_args

import sqlalchemy as sa

from bridge_pipeline.models import (
    Citation,
    ContractDraft,
    ContractType,
    DraftField,
    FieldChange,
    MeetingInfo,
    QAFinding,
    ReviewAction,
    ReviewStatus,
    Transcript,
    WithheldExport,
)
from bridge_pipeline.rendering.filenames import draft_document_id
from bridge_pipeline.review_desk.effective import EffectiveDraft, effective_draft, status_of
from bridge_pipeline.review_desk.errors import DeskError
from bridge_pipeline.review_desk.exports import ExportLink, links_for
from bridge_pipeline.review_desk.redline import ClauseChange, clause_changes
from bridge_pipeline.storage import tables
from bridge_pipeline.storage.store import PipelineStore

CONTRACT_TYPES: tuple[str, ...] = get_args(ContractType)
STATUSES: tuple[str, ...] = get_args(ReviewStatus)
DEFAULT_DAYS = 14
# A range filter lists at most this many days that have drafts (the newest), so a page stays quick.
MAX_DAYS = 92
MAX_TITLE_QUERY = 200


# --- the desk ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskFilters:
    start: dt.date | None = None
    end: dt.date | None = None
    contract_type: str | None = None
    status: str | None = None
    open_tbds: bool = False
    title: str = ""

    @property
    def any(self) -> bool:
        return bool(self.start or self.end or self.contract_type or self.status or self.open_tbds or self.title)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "DeskFilters":
        def day(name: str) -> dt.date | None:
            text = (query.get(name) or "").strip()
            if not text:
                return None
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise DeskError(400, f"The filter '{name}' must be a date like 2026-05-14.") from None

        def choice(name: str, allowed: tuple[str, ...]) -> str | None:
            value = (query.get(name) or "").strip()
            if value and value not in allowed:
                raise DeskError(400, f"The filter '{name}' must be one of {', '.join(allowed)}.")
            return value or None

        filters = cls(
            start=day("from"),
            end=day("to"),
            contract_type=choice("type", CONTRACT_TYPES),
            status=choice("status", STATUSES),
            open_tbds=(query.get("open_tbds") or "") in ("1", "on", "true"),
            title=(query.get("q") or "").strip()[:MAX_TITLE_QUERY],
        )
        if filters.start and filters.end and filters.start > filters.end:
            raise DeskError(400, "The filter 'from' is after 'to'.")
        return filters


@dataclass(frozen=True)
class DeskRow:
    day: dt.date
    meeting_id: str
    meeting_title: str
    view: EffectiveDraft
    latest_version: int
    blocking: int
    warnings: int
    files: list[ExportLink]
    withheld: WithheldExport | None

    @property
    def draft(self) -> ContractDraft:
        return self.view.stored


@dataclass(frozen=True)
class DeskPage:
    rows: list[DeskRow]
    days: list[dt.date]
    filters: DeskFilters
    truncated: bool


def days_with_drafts(store: PipelineStore, filters: DeskFilters) -> tuple[list[dt.date], bool]:
    """Newest first: the latest DEFAULT_DAYS days that have drafts, or those in the filtered range."""
    d = tables.drafts
    query = sa.select(d.c.partition_date).distinct().order_by(d.c.partition_date.desc())
    if filters.start:
        query = query.where(d.c.partition_date >= filters.start)
    if filters.end:
        query = query.where(d.c.partition_date <= filters.end)
    ranged = filters.start is not None or filters.end is not None
    limit = MAX_DAYS if ranged else DEFAULT_DAYS
    with store.engine.connect() as conn:
        days = list(conn.execute(query.limit(limit + 1)).scalars())
    return days[:limit], ranged and len(days) > limit


def desk_page(store: PipelineStore, filters: DeskFilters, timezone: str) -> DeskPage:
    days, truncated = days_with_drafts(store, filters)
    rows: list[DeskRow] = []
    for day in days:
        rows.extend(_day_rows(store, day, timezone))
    draft_ids = {r.draft.draft_id for r in rows}
    latest = {draft_id: max(v for v, _ in found) for draft_id, found in store.draft_version_days(draft_ids).items()}
    rows = [_with_latest(r, latest.get(r.draft.draft_id, r.draft.version)) for r in rows]
    return DeskPage(rows=[r for r in rows if _matches(r, filters)], days=days, filters=filters, truncated=truncated)


def _with_latest(row: DeskRow, latest_version: int) -> DeskRow:
    return dataclasses.replace(row, latest_version=latest_version)


def _day_rows(store: PipelineStore, day: dt.date, timezone: str) -> list[DeskRow]:
    drafted = store.load_drafts(day)
    meetings = {m.meeting_id: m for m in store.load_meetings(day)}
    findings = store.load_qa_findings(day)
    exported, withheld = store.load_exports(day)
    actions = store.reviews.for_meetings(drafted)
    rows = []
    ordered = sorted(drafted.values(), key=lambda md: _meeting_order(meetings.get(md.meeting_id), md.meeting_id))
    for outcome in ordered:
        meeting = meetings.get(outcome.meeting_id)
        for draft in outcome.drafts:
            mine = _findings_of(findings, draft)
            rows.append(
                DeskRow(
                    day=day,
                    meeting_id=draft.meeting_id,
                    meeting_title=meeting.title if meeting else draft.meeting_id,
                    view=effective_draft(draft, actions, meeting, timezone),
                    latest_version=draft.version,
                    blocking=sum(1 for f in mine if f.severity == "blocking"),
                    warnings=sum(1 for f in mine if f.severity == "warning"),
                    files=links_for(day, exported, draft.meeting_id, draft_document_id(draft)),
                    withheld=next(
                        (w for w in withheld if w.draft_id == draft.draft_id and w.meeting_id == draft.meeting_id),
                        None,
                    ),
                )
            )
    return rows


def _meeting_order(meeting: MeetingInfo | None, meeting_id: str) -> tuple:
    started = meeting.started_at.isoformat() if meeting and meeting.started_at else ""
    return (started, meeting_id)


def _findings_of(findings: list[QAFinding], draft: ContractDraft) -> list[QAFinding]:
    return [f for f in findings if f.draft_id == draft.draft_id and f.meeting_id == draft.meeting_id]


def _matches(row: DeskRow, filters: DeskFilters) -> bool:
    if filters.contract_type and row.draft.contract_type != filters.contract_type:
        return False
    if filters.status and row.view.status != filters.status:
        return False
    if filters.open_tbds and row.view.open_required == 0:
        return False
    if filters.title and filters.title.casefold() not in row.meeting_title.casefold():
        return False
    return True


# --- one draft version ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    version: int
    day: dt.date
    meeting_id: str
    meeting_title: str
    status: ReviewStatus


@dataclass(frozen=True)
class DraftPage:
    view: EffectiveDraft
    meeting: MeetingInfo | None
    latest_version: int
    history: list[VersionRow]
    findings: list[QAFinding]
    files: list[ExportLink]
    withheld: WithheldExport | None
    previous: EffectiveDraft | None
    clause_changes: list[ClauseChange]
    meetings: dict[str, MeetingInfo] = field(default_factory=dict)  # every meeting the page cites

    @property
    def draft(self) -> ContractDraft:
        return self.view.draft

    @property
    def field_changes(self) -> tuple[FieldChange, ...]:
        return self.view.draft.changes

    @property
    def is_latest(self) -> bool:
        return self.view.stored.version == self.latest_version

    def findings_for(self, field_name: str) -> list[QAFinding]:
        return [f for f in self.findings if f.field == field_name]

    def citations_of(self, field: DraftField) -> list[Citation]:
        """The field's citations once each (a value stated in several decisions cites a turn more than once)."""
        unique = {(c.meeting_id, c.utterance_index): c for c in field.citations}
        own = self.view.stored.meeting_id
        return sorted(unique.values(), key=lambda c: (c.meeting_id != own, c.meeting_id, c.start_s))

    def meetings_citing(self, field: DraftField) -> list[str]:
        return sorted({c.meeting_id for c in field.citations})

    def meeting_label(self, meeting_id: str) -> str:
        meeting = self.meetings.get(meeting_id)
        return f"{meeting.partition_date.isoformat()} · {meeting.title}" if meeting else meeting_id


def load_version(store: PipelineStore, draft_id: str, version: int) -> tuple[ContractDraft, list[ContractDraft]]:
    """The stored version and every version of the draft; 404 naming what is missing."""
    history = store.load_draft_history(draft_id)
    if not history:
        raise DeskError(404, f"There is no draft with the id {draft_id!r}.")
    stored = next((d for d in history if d.version == version), None)
    if stored is None:
        versions = ", ".join(str(d.version) for d in history)
        raise DeskError(
            404,
            f"The draft {draft_id} has no version {version} (stored versions: {versions}).",
            link=f"/drafts/{draft_id}/v/{history[-1].version}",
            link_text=f"Open version {history[-1].version}",
        )
    return stored, history


def draft_page(store: PipelineStore, draft_id: str, version: int, timezone: str) -> DraftPage:
    stored, history = load_version(store, draft_id, version)
    actions = store.reviews.for_draft(draft_id)
    previous_stored = next((d for d in history if d.version == version - 1), None)
    cited = {c.meeting_id for f in stored.fields for c in f.citations}
    for change in stored.changes:
        cited |= {c.meeting_id for c in change.before.citations + change.after.citations}
    meetings = store.load_meetings_by_id({d.meeting_id for d in history} | cited)
    meeting = meetings.get(stored.meeting_id)
    view = effective_draft(stored, actions, meeting, timezone)
    previous = (
        effective_draft(previous_stored, actions, meetings.get(previous_stored.meeting_id), timezone)
        if previous_stored is not None
        else None
    )
    exported, withheld = store.load_exports(stored.partition_date)
    return DraftPage(
        view=view,
        meeting=meeting,
        latest_version=history[-1].version,
        history=[
            VersionRow(
                version=d.version,
                day=d.partition_date,
                meeting_id=d.meeting_id,
                meeting_title=meetings[d.meeting_id].title if d.meeting_id in meetings else d.meeting_id,
                status=status_of(d, actions),
            )
            for d in history
        ],
        findings=_findings_of(store.load_qa_findings(stored.partition_date), stored),
        files=links_for(stored.partition_date, exported, stored.meeting_id, draft_document_id(stored)),
        withheld=next((w for w in withheld if w.draft_id == draft_id and w.meeting_id == stored.meeting_id), None),
        previous=previous,
        clause_changes=clause_changes(previous.draft.clauses, view.draft.clauses) if previous else [],
        meetings=meetings,
    )


# --- a transcript --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TranscriptPage:
    meeting: MeetingInfo
    transcript: Transcript | None  # None: not parsed, or deleted by retention (citations keep their quotes)
    drafts: list[ContractDraft]


def transcript_page(store: PipelineStore, meeting_id: str) -> TranscriptPage:
    meeting = store.load_meetings_by_id([meeting_id]).get(meeting_id)
    if meeting is None:
        raise DeskError(404, f"There is no meeting with the id {meeting_id!r}.")
    day = meeting.partition_date
    transcript = store.load_transcripts(day, [meeting_id]).get(meeting_id)
    outcome = store.load_drafts(day).get(meeting_id)
    return TranscriptPage(meeting=meeting, transcript=transcript, drafts=list(outcome.drafts) if outcome else [])


# --- the audit record ----------------------------------------------------------------------------


def latest_actions(store: PipelineStore, limit: int = 200) -> list[ReviewAction]:
    return store.reviews.latest(limit=limit)
