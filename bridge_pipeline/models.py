"""Domain records passed between pipeline stages.

Every stage (sources, parsing, extraction, drafting, QA, rendering, storage) speaks these types and
nothing else, so each stage can be tested alone and the Dagster layer only moves them around.
None of these types knows about Dagster.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SourceName = Literal["inbox", "teams", "zoom"]
TranscriptFormat = Literal["vtt", "txt", "json"]
DecisionKind = Literal["decision", "action_item"]
ContractType = Literal["NDA", "MOU", "SOW", "SLA"]
Severity = Literal["blocking", "warning", "info"]
ExportFormat = Literal["docx", "pdf", "md", "json"]

WATERMARK = "Not legally binding until reviewed by counsel"


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- sources -------------------------------------------------------------------------------------


class Recording(_Record):
    """One meeting's raw transcript as a source found it, before parsing."""

    source: SourceName
    source_id: str = Field(description="Stable id inside the source (inbox: path relative to the inbox)")
    meeting_id: str = Field(description="Stable, filesystem-safe id used everywhere downstream")
    partition_date: dt.date
    filename: str
    transcript_format: TranscriptFormat
    content: bytes = Field(repr=False)
    content_sha256: str
    title: str
    started_at: dt.datetime | None = None
    organizer: str | None = None
    participants: tuple[str, ...] = ()
    chat_thread_id: str | None = Field(
        default=None, description="Teams: the meeting chat's thread id (onlineMeeting.chatInfo.threadId); None elsewhere"
    )


class IngestProblem(_Record):
    """A file or folder a stage could not use, recorded instead of failing the whole day."""

    partition_date: dt.date
    stage: Literal["raw_recordings", "transcripts", "decisions", "contract_drafts", "contract_exports"]
    location: str = Field(description="File, folder or meeting id the problem is about")
    problem: str


class MeetingInfo(_Record):
    """What downstream stages need to know about a meeting, without its raw bytes."""

    meeting_id: str
    partition_date: dt.date
    source: SourceName
    source_id: str
    title: str
    started_at: dt.datetime | None = None
    organizer: str | None = None
    participants: tuple[str, ...] = ()
    content_sha256: str
    raw_blob_key: str
    chat_thread_id: str | None = Field(
        default=None, description="Teams: the meeting chat's thread id, where its summary may be posted; None elsewhere"
    )


@dataclass(frozen=True)
class ListedMeeting:
    """What a Teams or Zoom scan knows of every meeting it lists, with or without a transcript."""

    source: SourceName
    meeting_id: str
    source_id: str
    partition_date: dt.date
    title: str
    started_at: dt.datetime | None


@dataclass(frozen=True)
class UntranscribedRecording(ListedMeeting):
    """A recording (audio-only or video) that has no transcript: listed by a source, transcribed by speech/."""

    organizer: str | None
    media: str  # "audio" or "video"
    file_extension: str  # "M4A", "MP4", ...
    download_url: str  # the API's URL; fetching it needs the source's credentials
    size_bytes: int | None = None
    chat_thread_id: str | None = None  # the meeting's chat (Teams), where its summary can be posted


# --- transcripts ---------------------------------------------------------------------------------


class Utterance(_Record):
    index: int = Field(ge=0, description="Position in the meeting's utterance list, 0-based")
    speaker: str = Field(description="Speaker as named in the transcript; 'Unknown' when not attributed")
    start_s: float = Field(ge=0)
    end_s: float = Field(ge=0)
    text: str


class Transcript(_Record):
    meeting_id: str
    language: str = "en"
    utterances: tuple[Utterance, ...]
    warnings: tuple[str, ...] = Field(default=(), description="Repairs the parser made, e.g. reordered cues")


# --- decisions -----------------------------------------------------------------------------------


class Citation(_Record):
    meeting_id: str
    utterance_index: int
    start_s: float
    end_s: float
    speaker: str
    quote: str


class Amount(_Record):
    value: Decimal
    currency: str = Field(description="ISO 4217 code")
    text: str = Field(description="The phrase as spoken, e.g. '€48,000'")


class DateMention(_Record):
    value: dt.date
    text: str = Field(description="The phrase as spoken, e.g. 'by Friday'")


class Decision(_Record):
    """Something agreed or assigned in a meeting, always tied to the utterances it came from."""

    decision_id: str = Field(description="Stable id: '<meeting_id>-d<NNN>' in order of first citation")
    meeting_id: str
    kind: DecisionKind
    text: str
    topic: str = Field(description="Vocabulary in extraction.vocabulary.TOPICS, e.g. 'fees', 'nda', 'general'")
    owner: str | None = None
    due_date: DateMention | None = None
    amounts: tuple[Amount, ...] = ()
    parties: tuple[str, ...] = ()
    terms: dict[str, str] = Field(
        default_factory=dict,
        description="Contract facts this decision states, keyed by extraction.vocabulary.TERM_KEYS",
    )
    confidence: float = Field(ge=0.0, le=1.0)
    citations: tuple[Citation, ...] = Field(min_length=1)


class MeetingDecisions(_Record):
    meeting_id: str
    decisions: tuple[Decision, ...]
    extractor: str = Field(description="Which extractor produced this, e.g. 'offline-rules/1'")


# --- drafts --------------------------------------------------------------------------------------


class FieldReview(_Record):
    """Counsel set this field's value at review; it wins over what the meeting's decisions gave."""

    action_id: int = Field(description="ReviewAction.action_id of the correction")
    reviewer: str
    reviewed_at: dt.datetime
    note: str = ""
    extracted_value: str | None = Field(
        default=None, description="What the pipeline had drafted before counsel's correction (None: TBD)"
    )


class DraftField(_Record):
    """One cover-page field: filled from decisions or by counsel, or TBD (value None). Never invented."""

    name: str
    label: str
    required: bool
    value: str | None = None
    original_text: str | None = Field(default=None, description="The phrase as spoken, when normalised")
    decision_ids: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    confidence: float | None = None
    review: FieldReview | None = Field(default=None, description="Set when counsel filled or corrected the value")

    @property
    def is_tbd(self) -> bool:
        return self.value is None


class Clause(_Record):
    number: str
    heading: str
    body: str


class FieldChange(_Record):
    """A cover-page field whose value differs from the previous version of the same draft.

    Both sides keep their own decisions and citations, so a reader sees which meeting said what.
    """

    name: str
    label: str
    before: DraftField
    after: DraftField

    @property
    def kind(self) -> Literal["added", "changed", "removed"]:
        if self.before.is_tbd:
            return "added"
        return "removed" if self.after.is_tbd else "changed"


class DealLink(_Record):
    """Which deal a meeting belongs to and why; a meeting that continues no earlier deal opens its own."""

    meeting_id: str
    deal_id: str = Field(description="Id of the meeting that opened the deal; every later meeting keeps it")
    continues_meeting_id: str | None = Field(
        default=None, description="The earlier meeting of the deal this one was linked to; None when it opens the deal"
    )
    reason: str


ReviewStatus = Literal["draft", "changes_requested", "approved"]


class DraftReview(_Record):
    """Where counsel's review of one draft version stands: the latest approval or request for changes."""

    status: ReviewStatus
    reviewer: str
    reviewed_at: dt.datetime
    note: str = ""


class ContractDraft(_Record):
    draft_id: str = Field(
        description="'<meeting_id>-<type lower>' of the meeting that drafted version 1; later versions keep it"
    )
    meeting_id: str
    partition_date: dt.date
    contract_type: ContractType
    template_version: str
    title: str
    type_reason: str = Field(description="Why this contract type was chosen, naming decisions")
    fields: tuple[DraftField, ...]
    clauses: tuple[Clause, ...]
    version: int = 1
    deal_id: str | None = Field(default=None, description="DealLink.deal_id of the meeting; None in records made before deals")
    previous_meeting_id: str | None = Field(
        default=None, description="Meeting that version `version - 1` was drafted from; None for version 1"
    )
    changes: tuple[FieldChange, ...] = Field(
        default=(), description="Fields whose value differs from version `version - 1`; empty for version 1"
    )
    review: DraftReview | None = Field(default=None, description="Counsel's approval or request; None until then")

    def field(self, name: str) -> DraftField | None:
        return next((f for f in self.fields if f.name == name), None)


class NoDraftRecord(_Record):
    """A meeting that produced no draft, and why; exported as a decision record."""

    meeting_id: str
    partition_date: dt.date
    reason: str


class MeetingDrafts(_Record):
    meeting_id: str
    drafts: tuple[ContractDraft, ...] = ()
    no_draft: NoDraftRecord | None = None
    deal: DealLink | None = None


# --- review --------------------------------------------------------------------------------------

ReviewActionKind = Literal["set_value", "approve", "request_changes"]


class ReviewAction(_Record):
    """One thing counsel did to one draft version; stored append-only, it is also the review's audit record.

    `set_value` fills or corrects `field_name` (`after_value` None leaves the field open on purpose);
    `approve` records in `after_value` the fingerprint of the cover page it approved, so an approval never
    carries over to values counsel did not see.
    """

    action_id: int = 0
    recorded_at: dt.datetime
    reviewer: str
    action: ReviewActionKind
    draft_id: str
    draft_version: int
    meeting_id: str
    partition_date: dt.date
    field_name: str | None = None
    before_value: str | None = None
    after_value: str | None = None
    note: str = ""


# --- QA ------------------------------------------------------------------------------------------


class QAFinding(_Record):
    rule_id: str
    severity: Severity
    meeting_id: str
    draft_id: str
    field: str | None = None
    message: str = Field(description="Names the field and, where there is one, the citation")
    citation: Citation | None = None


# --- exports -------------------------------------------------------------------------------------


class ExportedFile(_Record):
    meeting_id: str
    document_id: str = Field(description="draft_id, or '<meeting_id>-decision-record'")
    format: ExportFormat
    blob_key: str
    sha256: str
    size_bytes: int


class WithheldExport(_Record):
    meeting_id: str
    draft_id: str
    reason: str
