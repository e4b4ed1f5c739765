"""The format-neutral document every renderer draws, and the builders that make one from a draft or a decision record.

Renderers (Markdown, DOCX, PDF) only lay out what is here; every wording choice about what a reader
sees (what counts as an open point, how a source is cited) is made once, in this module.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field as dataclass_field
from typing import Any, Literal, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, model_validator

from bridge_pipeline.drafting.fields import LIST_SEPARATOR
from bridge_pipeline.drafting.templates import load_template
from bridge_pipeline.errors import BadInputError, ConfigurationError
from bridge_pipeline.models import (
    WATERMARK,
    Citation,
    ContractDraft,
    DealLink,
    Decision,
    DraftField,
    DraftReview,
    FieldChange,
    FieldReview,
    MeetingDecisions,
    MeetingInfo,
    NoDraftRecord,
    QAFinding,
)
from bridge_pipeline.rendering.filenames import draft_document_id

DocumentKind = Literal["contract_draft", "decision_record"]

TBD = "TBD"
NO_VALUE = "—"
AUTHOR = "bridge_pipeline"
SEVERITY_ORDER = {"blocking": 0, "warning": 1, "info": 2}
COUNSEL_NOTE = (
    "Values counsel filled in, corrected or left open at review. They take precedence over what the meeting's "
    "decisions gave and rest on counsel's review, not on a transcript; the drafted value is what the pipeline "
    "had drafted from the meeting."
)
# Control characters and lone surrogates that XML (DOCX, PDF markup) cannot carry.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML forbids, which transcripts occasionally contain."""
    return _NOT_XML.sub("", text)


class _Part(BaseModel):
    """Frozen, and XML-safe by construction so no renderer has to clean text itself."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _drop_characters_xml_forbids(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        return {key: _clean(value) for key, value in data.items()}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, (tuple, list)):
        return type(value)(xml_safe(v) if isinstance(v, str) else v for v in value)
    return value


class MetaRow(_Part):
    label: str
    value: str


class CoverRow(_Part):
    """One cover-page field as a reader sees it; a TBD row shows the word TBD, and a source only when counsel left it open."""

    label: str
    value: str
    is_tbd: bool
    required: bool
    source: str = ""
    set_by_counsel: bool = False


class Section(_Part):
    number: str
    heading: str
    paragraphs: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"{self.number}. {self.heading}" if self.number else self.heading


class QARow(_Part):
    severity: str
    rule_id: str
    message: str


class ProvenanceRow(_Part):
    item: str
    value: str
    decision_id: str
    speaker: str
    time: str
    quote: str
    meeting: str = ""
    """Date and title of the meeting the words were said in; set on every row when a document cites several."""


class CounselRow(_Part):
    """A cover-page value counsel set (or left open) at review: its provenance is counsel, not a transcript."""

    label: str
    value: str
    reviewer: str
    reviewed_on: str
    note: str
    drafted_value: str


class ReviewLine(_Part):
    """Where counsel's review of the version stands, shown under the title."""

    status: Literal["approved", "changes_requested"]
    text: str


class ChangePiece(_Part):
    """A run of a changed field's value: an item of a list, or the whole value; `changed` marks the redline."""

    text: str
    changed: bool


class ChangeRow(_Part):
    """One field that differs from the previous version, both sides with the citation they rest on."""

    label: str
    kind: Literal["added", "changed", "removed"]
    before: tuple[ChangePiece, ...]
    after: tuple[ChangePiece, ...]
    before_source: str
    after_source: str


class Redline(_Part):
    """What changed since the previous version of the draft."""

    heading: str
    note: str
    before_label: str
    after_label: str
    rows: tuple[ChangeRow, ...]


class RenderDocument(_Part):
    """Everything one export shows, in reading order, as plain text (renderers escape it for their format)."""

    kind: DocumentKind
    document_id: str
    title: str
    subtitle: str
    watermark: str = WATERMARK
    issued_on: dt.date
    meta_rows: tuple[MetaRow, ...]
    review_line: ReviewLine | None = None
    open_points: tuple[str, ...] = ()
    cover_rows: tuple[CoverRow, ...] = ()
    body_heading: str
    sections: tuple[Section, ...] = ()
    qa_rows: tuple[QARow, ...] | None = None
    provenance_note: str = ""
    provenance_rows: tuple[ProvenanceRow, ...] = ()
    counsel_note: str = ""
    counsel_rows: tuple[CounselRow, ...] = ()
    redline: Redline | None = None

    @property
    def provenance_names_meetings(self) -> bool:
        """Whether the provenance table needs a Meeting column (the document cites several meetings)."""
        return any(r.meeting for r in self.provenance_rows)


@dataclass(frozen=True)
class RelatedRecords:
    """Records of other meetings a later version of a draft refers to: its deal, cited meetings and decisions."""

    deal: DealLink | None = None
    meetings: Mapping[str, MeetingInfo] = dataclass_field(default_factory=dict)
    decisions: tuple[Decision, ...] = ()


# --- small formatting helpers shared by the builders ---------------------------------------------


def clock_time(seconds: float) -> str:
    """Offset into the recording as HH:MM:SS (floored), the way a reader scrubs to it."""
    whole = max(0, int(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def one_line(text: str) -> str:
    """Text a person typed (a reviewer's name, a note) on one line: a line break would split a table cell."""
    return " ".join(text.split())


def review_day(moment: dt.datetime) -> str:
    return moment.date().isoformat()


def counsel_mark(review: FieldReview, value: str | None) -> str:
    """'Set by counsel: <reviewer>, <date> — <note>; drafted value: <value or TBD>'."""
    verb = "Set by counsel" if value is not None else "Left open by counsel"
    text = f"{verb}: {one_line(review.reviewer)}, {review_day(review.reviewed_at)}"
    note = one_line(review.note)
    if note:
        text += f" — {note}"
    return f"{text}; drafted value: {review.extracted_value or TBD}"


def review_line(review: DraftReview | None) -> ReviewLine | None:
    """'Approved by <reviewer> on <date>' or 'Changes requested by ...', with counsel's note; None before review."""
    if review is None or review.status == "draft":
        return None
    verb = "Approved" if review.status == "approved" else "Changes requested"
    text = f"{verb} by {one_line(review.reviewer)} on {review_day(review.reviewed_at)}"
    note = one_line(review.note)
    return ReviewLine(status=review.status, text=f"{text}: {note}" if note else text)


def short_decision_id(decision_id: str, meeting_id: str) -> str:
    """'<meeting>-d003' -> 'd003' for this meeting's decisions; ids from other meetings stay whole."""
    prefix = f"{meeting_id}-"
    return decision_id[len(prefix):] if decision_id.startswith(prefix) else decision_id


def _meeting_when(meeting: MeetingInfo) -> str:
    if meeting.started_at is None:
        return f"{meeting.partition_date.isoformat()} (start time unknown)"
    started = meeting.started_at
    zone = started.strftime("%Z") if started.tzinfo else ""
    return f"{started:%Y-%m-%d %H:%M} {zone}".strip()


def _meeting_rows(meeting: MeetingInfo) -> list[MetaRow]:
    return [
        MetaRow(label="Meeting", value=meeting.title),
        MetaRow(label="Meeting date", value=_meeting_when(meeting)),
        MetaRow(label="Source", value=f"{meeting.source} · {meeting.source_id}"),
        MetaRow(label="Organizer", value=meeting.organizer or NO_VALUE),
    ]


def _check_same_meeting(meeting: MeetingInfo, other_meeting_id: str, what: str) -> None:
    if other_meeting_id != meeting.meeting_id:
        raise BadInputError(
            f"meeting {meeting.meeting_id}",
            f"{what} belongs to meeting {other_meeting_id!r}, not to this meeting",
        )


def _decision_for_citation(
    citation: Citation, decision_ids: Sequence[str], decisions_by_id: dict[str, Decision]
) -> str:
    """The decision a field citation came from: the one that cites the same utterance, else the best guess."""
    for decision_id in decision_ids:
        decision = decisions_by_id.get(decision_id)
        if decision and any(
            c.meeting_id == citation.meeting_id and c.utterance_index == citation.utterance_index
            for c in decision.citations
        ):
            return decision_id
    same_meeting = [d for d in decision_ids if d.startswith(f"{citation.meeting_id}-")]
    if same_meeting:
        return same_meeting[0]
    return decision_ids[0] if decision_ids else ""


class _Sources:
    """How a draft's citations are shown: short decision ids, clock times and, across meetings, which meeting."""

    def __init__(
        self,
        draft: ContractDraft,
        decisions_by_id: dict[str, Decision],
        meetings: Mapping[str, MeetingInfo],
    ):
        self.meeting_id = draft.meeting_id
        self.decisions_by_id = decisions_by_id
        self.meetings = meetings
        cited = {c.meeting_id for f in draft.fields for c in f.citations}
        cited |= {c.meeting_id for change in draft.changes for c in change.before.citations}
        self.several_meetings = bool(cited - {draft.meeting_id})

    def meeting_label(self, meeting_id: str) -> str:
        meeting = self.meetings.get(meeting_id)
        return meeting_label(meeting) if meeting is not None else meeting_id

    def decision_label(self, decision_id: str, citation: Citation) -> str:
        # With a Meeting column the meeting is named there, so every id can be short.
        home = citation.meeting_id if self.several_meetings else self.meeting_id
        return short_decision_id(decision_id, home)

    def time(self, citation: Citation) -> str:
        return clock_time(citation.start_s) if self.several_meetings else _citation_time(citation, self.meeting_id)

    def row_meeting(self, citation: Citation) -> str:
        return self.meeting_label(citation.meeting_id) if self.several_meetings else ""

    def source(self, field: DraftField) -> str:
        """'d002 · Zofia Kowalczyk 00:12:31', naming the meeting when it is not this one; counsel's mark first."""
        if field.review is not None:
            return self._with_counsel(field, self._cited(field) if field.citations else "")
        if field.is_tbd:
            return ""
        return self._cited(field)

    def _with_counsel(self, field: DraftField, cited: str) -> str:
        # A value counsel set that a later meeting stated again keeps both sources.
        mark = counsel_mark(field.review, field.value)
        return f"{mark}; also stated: {cited}" if cited else mark

    def _cited(self, field: DraftField) -> str:
        if not field.citations:
            return "no transcript citation"
        first = field.citations[0]
        decision_id = _decision_for_citation(first, field.decision_ids, self.decisions_by_id)
        who_when = f"{first.speaker} {clock_time(first.start_s)}"
        text = f"{self.decision_label(decision_id, first)} · {who_when}" if decision_id else who_when
        if first.meeting_id != self.meeting_id:
            text += f" · {self.meeting_label(first.meeting_id)}"
        if len(field.citations) > 1:
            text += f" (+{len(field.citations) - 1} more)"
        return text

    def change_source(self, field: DraftField) -> str:
        """Every decision a changed value rests on, grouped by the meeting it was stated in (always named)."""
        if field.review is not None:
            return self._with_counsel(field, self._decision_groups(field) if field.citations else "")
        if field.is_tbd:
            return "not stated"
        return self._decision_groups(field)

    def _decision_groups(self, field: DraftField) -> str:
        groups: dict[str, list[str]] = {}
        for decision_id in field.decision_ids:
            decision = self.decisions_by_id.get(decision_id)
            cited = decision.citations if decision else field.citations
            first = next((c for c in cited if decision_id.startswith(f"{c.meeting_id}-")), None)
            if first is None:
                groups.setdefault("", []).append(decision_id)
                continue
            label = short_decision_id(decision_id, first.meeting_id)
            groups.setdefault(first.meeting_id, []).append(f"{label} {first.speaker} {clock_time(first.start_s)}")
        if not groups:
            return self._cited(field)
        return "; ".join(
            f"{self.meeting_label(meeting_id)}: {', '.join(items)}" if meeting_id else ", ".join(items)
            for meeting_id, items in groups.items()
        )


def meeting_label(meeting: MeetingInfo) -> str:
    """'2026-05-14 · <title>': the day the meeting started on (its own clock) and its title."""
    day = meeting.started_at.date() if meeting.started_at is not None else meeting.partition_date
    return f"{day.isoformat()} · {meeting.title}"


def _field_value_text(field: DraftField) -> str:
    if field.value is None:
        return TBD
    if field.original_text and field.original_text.strip() != field.value.strip():
        return f"{field.value} (said: “{field.original_text}”)"
    return field.value


def _cover_row(field: DraftField, sources: _Sources) -> CoverRow:
    return CoverRow(
        label=field.label,
        value=_field_value_text(field),
        is_tbd=field.is_tbd,
        required=field.required,
        source=sources.source(field),
        set_by_counsel=field.review is not None,
    )


def _open_point(field: DraftField) -> str:
    need = "required" if field.required else "optional"
    if field.review is None:
        return f"{field.label} ({need}): {TBD}, not settled in the meeting"
    by_whom = f"{one_line(field.review.reviewer)}, {review_day(field.review.reviewed_at)}"
    left_open = f"{field.label} ({need}): {TBD}, left open by counsel ({by_whom})"
    note = one_line(field.review.note)
    return f"{left_open}: {note}" if note else left_open


def _counsel_rows(fields: Sequence[DraftField]) -> tuple[CounselRow, ...]:
    return tuple(
        CounselRow(
            label=f.label,
            value=f.value or TBD,
            reviewer=one_line(f.review.reviewer),
            reviewed_on=review_day(f.review.reviewed_at),
            note=one_line(f.review.note) or NO_VALUE,
            drafted_value=f.review.extracted_value or TBD,
        )
        for f in fields
        if f.review is not None
    )


def _field_provenance(field: DraftField, sources: _Sources) -> list[ProvenanceRow]:
    rows = []
    for citation in field.citations:
        decision_id = _decision_for_citation(citation, field.decision_ids, sources.decisions_by_id)
        rows.append(
            ProvenanceRow(
                item=field.label,
                value=field.value or TBD,
                decision_id=sources.decision_label(decision_id, citation),
                speaker=citation.speaker,
                time=sources.time(citation),
                quote=citation.quote,
                meeting=sources.row_meeting(citation),
            )
        )
    return rows


def _citation_time(citation: Citation, meeting_id: str) -> str:
    # A citation from an earlier meeting of the same deal must say which meeting its time belongs to.
    stamp = clock_time(citation.start_s)
    return stamp if citation.meeting_id == meeting_id else f"{stamp} ({citation.meeting_id})"


def _clause_provenance(draft: ContractDraft, sources: _Sources) -> list[ProvenanceRow]:
    """Ties each clause to the filled fields whose values its text carries, through the field's first citation."""
    filled = [f for f in draft.fields if f.value and len(f.value.strip()) > 1 and f.citations]
    rows = []
    for clause in draft.clauses:
        for field in filled:
            if field.value.strip() not in clause.body:
                continue
            first = field.citations[0]
            decision_id = _decision_for_citation(first, field.decision_ids, sources.decisions_by_id)
            rows.append(
                ProvenanceRow(
                    item=f"§{clause.number} {clause.heading}",
                    value=f"{field.label}: {field.value}",
                    decision_id=sources.decision_label(decision_id, first),
                    speaker=first.speaker,
                    time=sources.time(first),
                    quote=first.quote,
                    meeting=sources.row_meeting(first),
                )
            )
    return rows


def _list_field_names(draft: ContractDraft) -> frozenset[str]:
    try:
        template = load_template(draft.contract_type)
    except ConfigurationError:
        return frozenset()
    return frozenset(f.name for f in template.fields if f.kind == "list")


def _value_pieces(change: FieldChange, is_list: bool) -> tuple[tuple[ChangePiece, ...], tuple[ChangePiece, ...]]:
    """Before and after as pieces; list items present on both sides stay unmarked."""
    before, after = change.before.value, change.after.value
    if before is None or after is None or not is_list:
        return (
            (ChangePiece(text=_field_value_text(change.before), changed=True),),
            (ChangePiece(text=_field_value_text(change.after), changed=True),),
        )
    old_items, new_items = before.split(LIST_SEPARATOR), after.split(LIST_SEPARATOR)
    old_pieces: list[ChangePiece] = []
    new_pieces: list[ChangePiece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_items, b=new_items, autojunk=False).get_opcodes():
        old_pieces += [ChangePiece(text=t, changed=tag != "equal") for t in old_items[i1:i2]]
        new_pieces += [ChangePiece(text=t, changed=tag != "equal") for t in new_items[j1:j2]]
    return tuple(old_pieces), tuple(new_pieces)


def _redline(draft: ContractDraft, sources: _Sources) -> Redline | None:
    if draft.version <= 1:
        return None
    previous = draft.version - 1
    lists = _list_field_names(draft)
    rows = []
    for change in draft.changes:
        before, after = _value_pieces(change, change.name in lists)
        rows.append(
            ChangeRow(
                label=change.label,
                kind=change.kind,
                before=before,
                after=after,
                before_source=sources.change_source(change.before),
                after_source=sources.change_source(change.after),
            )
        )
    origin = (
        f" drafted from the meeting {sources.meeting_label(draft.previous_meeting_id)}"
        if draft.previous_meeting_id
        else ""
    )
    note = (
        f"Compared with version {previous}{origin}. Struck-through text was in version {previous}; underlined text "
        f"is new in version {draft.version}. Fields not listed are unchanged. Each side names the meeting and "
        "decisions it rests on."
        if rows
        else f"Compared with version {previous}{origin}: no cover-page value changed."
    )
    return Redline(
        heading=f"Changes since version {previous}",
        note=note,
        before_label=f"Version {previous}",
        after_label=f"Version {draft.version}",
        rows=tuple(rows),
    )


def _qa_rows(findings: Sequence[QAFinding]) -> tuple[QARow, ...]:
    ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule_id, f.field or ""))
    return tuple(QARow(severity=f.severity, rule_id=f.rule_id, message=f.message) for f in ordered)


def _paragraphs(body: str) -> tuple[str, ...]:
    """Blank lines separate paragraphs; single line breaks inside one are kept as spaces."""
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in body.split("\n\n")]
    return tuple(b for b in (block.strip() for block in blocks) if b)


# --- builders ------------------------------------------------------------------------------------


def document_for_draft(
    meeting: MeetingInfo,
    draft: ContractDraft,
    findings: Sequence[QAFinding],
    decisions: MeetingDecisions,
    *,
    related: RelatedRecords | None = None,
) -> RenderDocument:
    """A contract draft as counsel reads it: cover page, changes since the previous version, open TBD points,
    clauses, QA findings, provenance.

    `findings` are shown as given; pass the ones about this draft. `related` carries the earlier meetings and
    decisions a later version cites, so their titles and dates can be shown.
    """
    _check_same_meeting(meeting, draft.meeting_id, f"draft {draft.draft_id}")
    _check_same_meeting(meeting, decisions.meeting_id, "the decision list")
    related = related or RelatedRecords()
    decisions_by_id = {d.decision_id: d for d in (*related.decisions, *decisions.decisions)}
    sources = _Sources(draft, decisions_by_id, {**related.meetings, meeting.meeting_id: meeting})
    version = str(draft.version)
    if draft.version > 1 and draft.previous_meeting_id:
        version += f" (follows version {draft.version - 1} of {sources.meeting_label(draft.previous_meeting_id)})"
    meta = _meeting_rows(meeting) + [
        MetaRow(label="Draft type", value=draft.contract_type),
        MetaRow(label="Why this type", value=draft.type_reason),
        MetaRow(label="Version", value=version),
        MetaRow(label="Template version", value=draft.template_version),
        MetaRow(label="Document id", value=draft_document_id(draft)),
    ]
    if related.deal is not None and related.deal.continues_meeting_id:
        meta.append(MetaRow(label="Deal", value=related.deal.reason))
    open_points = tuple(_open_point(f) for f in draft.fields if f.is_tbd)
    counsel_rows = _counsel_rows(draft.fields)
    provenance = [row for f in draft.fields for row in _field_provenance(f, sources)]
    provenance += _clause_provenance(draft, sources)
    if sources.several_meetings:
        note = (
            "Each row ties a cover-page value or clause to the transcript of the meeting it was said in "
            "(Meeting column); decision ids are short for that meeting. Values of earlier meetings of the deal "
            "are carried forward with their original citations."
        )
    else:
        note = (
            f"Each row ties a cover-page value or clause to the transcript of meeting {meeting.meeting_id}. "
            "Decision ids are short for this meeting's decisions; ids and times from other meetings name them."
        )
    return RenderDocument(
        kind="contract_draft",
        document_id=draft_document_id(draft),
        title=draft.title,
        subtitle=f"{draft.contract_type} draft · version {draft.version} · template {draft.template_version}",
        issued_on=draft.partition_date,
        meta_rows=tuple(meta),
        review_line=review_line(draft.review),
        open_points=open_points,
        cover_rows=tuple(_cover_row(f, sources) for f in draft.fields),
        body_heading="Terms",
        sections=tuple(
            Section(number=c.number, heading=c.heading, paragraphs=_paragraphs(c.body)) for c in draft.clauses
        ),
        qa_rows=_qa_rows(findings),
        provenance_note=note,
        provenance_rows=tuple(provenance),
        counsel_note=COUNSEL_NOTE if counsel_rows else "",
        counsel_rows=counsel_rows,
        redline=_redline(draft, sources),
    )


def _decision_line(decision: Decision, meeting_id: str) -> str:
    first = decision.citations[0]
    parts = [f"[{short_decision_id(decision.decision_id, meeting_id)}] {decision.text}"]
    if decision.kind == "action_item":
        parts.append(f"Owner: {decision.owner or TBD}")
        if decision.due_date is None:
            parts.append(f"Due: {TBD}")
        else:
            parts.append(f"Due: {decision.due_date.value.isoformat()} (said: “{decision.due_date.text}”)")
    if decision.amounts:
        parts.append("Amounts: " + ", ".join(a.text for a in decision.amounts))
    if decision.parties:
        parts.append("Parties: " + ", ".join(decision.parties))
    parts.append(f"Confidence: {decision.confidence:.2f}")
    parts.append(f"Source: {first.speaker} {_citation_time(first, meeting_id)}")
    return " — ".join(parts)


def document_for_decision_record(
    meeting: MeetingInfo, decisions: MeetingDecisions, no_draft: NoDraftRecord
) -> RenderDocument:
    """A meeting with no agreement: why no draft was made, then its decisions and action items with citations."""
    _check_same_meeting(meeting, decisions.meeting_id, "the decision list")
    _check_same_meeting(meeting, no_draft.meeting_id, "the no-draft record")
    meeting_id = meeting.meeting_id
    agreed = [d for d in decisions.decisions if d.kind == "decision"]
    actions = [d for d in decisions.decisions if d.kind == "action_item"]
    open_points = []
    for action in actions:
        missing = [what for what, value in (("owner", action.owner), ("due date", action.due_date)) if value is None]
        if missing:
            label = short_decision_id(action.decision_id, meeting_id)
            open_points.append(f"Action item {label} has no {' and no '.join(missing)}: {TBD}")
    provenance = [
        ProvenanceRow(
            item="Action item" if d.kind == "action_item" else "Decision",
            value=d.text,
            decision_id=short_decision_id(d.decision_id, meeting_id),
            speaker=c.speaker,
            time=_citation_time(c, meeting_id),
            quote=c.quote,
        )
        for d in decisions.decisions
        for c in d.citations
    ]
    document_id = f"{meeting_id}-decision-record"
    return RenderDocument(
        kind="decision_record",
        document_id=document_id,
        title=f"Decision record: {meeting.title}",
        subtitle="No contract draft was made for this meeting",
        issued_on=no_draft.partition_date,
        meta_rows=tuple(
            _meeting_rows(meeting)
            + [
                MetaRow(label="Participants", value=", ".join(meeting.participants) or NO_VALUE),
                MetaRow(label="Extracted by", value=decisions.extractor),
                MetaRow(label="Document id", value=document_id),
            ]
        ),
        open_points=tuple(open_points),
        body_heading="Record",
        sections=(
            Section(number="1", heading="Why no contract draft was made", paragraphs=(no_draft.reason,)),
            Section(
                number="2",
                heading="Decisions",
                paragraphs=tuple(_decision_line(d, meeting_id) for d in agreed) or ("No decisions were recorded.",),
            ),
            Section(
                number="3",
                heading="Action items",
                paragraphs=tuple(_decision_line(d, meeting_id) for d in actions)
                or ("No action items were recorded.",),
            ),
        ),
        provenance_note=(
            f"Each row ties a decision or action item to the transcript of meeting {meeting_id}; "
            "decision ids are short for this meeting."
        ),
        provenance_rows=tuple(provenance),
    )
