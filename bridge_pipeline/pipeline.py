"""One function per stage of the meeting line, free of Dagster.

Each stage reads one day's inputs from the project store, runs the pure logic on every meeting, and
writes that day's outputs in one transaction. A meeting that fails a stage is recorded as a problem and
the rest of the day carries on. The Dagster assets only call these functions and report what they return.

Work is per meeting: every stage after ingestion digests all a meeting's inputs at that stage (its
records from the stage before, the settings and code versions that shape the output, and for drafting,
QA and export the deal records of other meetings it builds on) and compares the digest with the one
stored beside the meeting's rows. A meeting whose digest is unchanged keeps its rows and files exactly
as stored; only the others are redone, so adding a meeting to a day redoes that meeting and whatever
depends on it, and re-running an unchanged day does no extraction, drafting or rendering at all.

A day the retention job purged (bridge_pipeline.retention) has no raw recordings or transcripts left:
ingestion, parsing and extraction leave it exactly as stored (no source is read, nothing is re-created),
so its decisions, drafts and exports, which keep their cited quotes, stay as they are. Drafting, QA and
exports work from those stored records as on any other day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from pydantic import BaseModel

from bridge_pipeline.drafting.deal_drafts import draft_meeting_in_deal
from bridge_pipeline.drafting.deal_index import DealIndex
from bridge_pipeline.drafting.deals import DealBook, OpenDeal, meeting_order
from bridge_pipeline.drafting.drafter import clause_context
from bridge_pipeline.drafting.review import apply_review
from bridge_pipeline.drafting.templates import load_template
from bridge_pipeline.errors import BridgeError
from bridge_pipeline.extraction.base import Extractor
from bridge_pipeline.extraction.vocabulary import CONTRACT_TYPES
from bridge_pipeline.models import (
    ContractDraft,
    DealLink,
    Decision,
    ExportedFile,
    IngestProblem,
    MeetingDecisions,
    MeetingDrafts,
    MeetingInfo,
    QAFinding,
    ReviewAction,
    WithheldExport,
)
from bridge_pipeline.naming import safe_filename
from bridge_pipeline.parsing.transcripts import parse_transcript
from bridge_pipeline.qa.runner import run_qa
from bridge_pipeline.rendering.bundle import build_bundle
from bridge_pipeline.rendering.document import RelatedRecords, document_for_decision_record, document_for_draft
from bridge_pipeline.rendering.exporter import render_all
from bridge_pipeline.rendering.filenames import draft_document_id
from bridge_pipeline.sources.base import RecordingSource
from bridge_pipeline.sources.day_scan import scan_sources
from bridge_pipeline.speech.day_audio import AudioMeetings, DayAudio
from bridge_pipeline.storage.audit import AuditAction, AuditEntry, AuditLog
from bridge_pipeline.storage.blobs import BlobStore
from bridge_pipeline.storage.store import PipelineStore, StageInput

if TYPE_CHECKING:
    from bridge_pipeline.speech.transcribe import SpeechToText


@dataclass
class StageReport:
    """What a stage did for one day, for logs and materialization metadata."""

    day: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[IngestProblem] = field(default_factory=list)

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def add_all(self, counts: Mapping[str, int]) -> None:
        for name, n in counts.items():
            self.add(name, n)


# --- what a meeting's output at a stage depends on -------------------------------------------------

_PACKAGE = Path(__file__).resolve().parent
# The code (and data files such as templates) a stage's output can depend on, per stage. A change in any
# of them redoes the stage for every meeting: no version number has to be remembered. Extraction is
# keyed by the extractor's name instead, which the extractor changes when its output changes.
_STAGE_CODE: dict[str, tuple[str, ...]] = {
    "transcripts": ("parsing", "models.py", "errors.py"),
    "contract_drafts": ("drafting", "extraction", "models.py", "errors.py", "naming.py"),
    "draft_qa": ("qa", "drafting", "extraction", "models.py", "errors.py"),
    "contract_exports": ("rendering", "drafting", "extraction", "models.py", "errors.py", "naming.py"),
}
_CODE_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".txt", ".ttf", ".otf")
# Where this module decides what an export holds (blob key layout, the withheld notice); bump on change.
EXPORT_LAYOUT = "1"


@functools.cache
def code_fingerprint(stage: str) -> str:
    """A digest of the source and data files `stage`'s output depends on (read once per process)."""
    digest = hashlib.sha256()
    for name in _STAGE_CODE[stage]:
        path = _PACKAGE / name
        files = sorted(p for p in path.rglob("*") if p.suffix in _CODE_SUFFIXES) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(_PACKAGE).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def template_versions() -> dict[str, str]:
    return {contract_type: load_template(contract_type).version for contract_type in CONTRACT_TYPES}


def _plain(value: Any) -> Any:
    """Records as the JSON they are stored as, so a digest of a stored record equals that of the one made."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def digest(*parts: Any) -> str:
    """sha256 of the parts as canonical JSON."""
    plain = [_plain(p) for p in parts]
    text = json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class _MeetingWork:
    """One stage's bookkeeping for a day: meetings kept as stored, and what is recorded for those redone."""

    report: StageReport
    stored: dict[str, StageInput]
    kept: list[str] = field(default_factory=list)
    inputs: list[StageInput] = field(default_factory=list)

    @classmethod
    def load(cls, store: PipelineStore, day: dt.date, stage: str, report: StageReport) -> "_MeetingWork":
        return cls(report=report, stored=store.load_stage_inputs(day, stage))

    def keep(self, meeting_id: str, key: str) -> bool:
        """True (and the meeting counted as before) when its stored rows were built from exactly `key`."""
        earlier = self.stored.get(meeting_id)
        if earlier is None or earlier.input_sha256 != key:
            return False
        self.kept.append(meeting_id)
        self.report.add_all(earlier.counts)
        self.report.add("meetings_kept")
        return True

    def record(
        self, meeting_id: str, key: str, output: Any, counts: Mapping[str, int], blob_keys: Iterable[str] = ()
    ) -> None:
        self.inputs.append(StageInput(meeting_id, key, digest(output), dict(counts), tuple(blob_keys)))
        self.report.add_all(counts)
        self.report.add("meetings_redone")


# How far back a meeting looks for the deal it may continue.
DEAL_LOOKBACK = dt.timedelta(days=180)


def raw_day_prefix(day: dt.date) -> str:
    return f"raw/{day.isoformat()}"


def raw_blob_key(day: dt.date, meeting_id: str, filename: str) -> str:
    return f"{raw_day_prefix(day)}/{meeting_id}/{safe_filename(filename)}"


def export_prefix(day: dt.date) -> str:
    return f"exports/{day.isoformat()}"


# Audit kinds of the files export_day writes (bridge_pipeline.storage.audit).
EXPORT_AUDIT_KINDS = ("export", "withheld_notice")


def _purged(day: dt.date, store: PipelineStore, report: StageReport) -> bool:
    """True (and counted) when retention purged the day: the stages that need its transcripts leave it alone."""
    if not AuditLog(store.engine).purged(day):
        return False
    report.counts["days_purged"] = 1
    return True


def withheld_notice(draft_id: str, blocking: Sequence[QAFinding]) -> bytes:
    """A short text left where the draft would have been, so a reader of the folder sees why."""
    lines = [f"The draft {draft_id} was withheld: QA found problems that would make it misleading.", ""]
    lines += [f"- [{f.rule_id}] {f.message}" for f in blocking]
    lines += ["", "Fix the decisions or the source meeting and re-materialize the day."]
    return ("\n".join(lines) + "\n").encode("utf-8")


def ingest_day(
    day: dt.date,
    sources: Sequence[RecordingSource],
    store: PipelineStore,
    blobs: BlobStore,
    timezone: str,
    speech: SpeechToText | None = None,
) -> StageReport:
    """Store the day's recordings; with `speech`, recordings that only have audio or video are transcribed first."""
    report = StageReport(day)
    if _purged(day, store, report):
        report.counts["meetings"] = len(store.load_meetings(day))
        return report
    meetings: dict[str, MeetingInfo] = {}
    day_audio: DayAudio | None = None
    speech_requests_before = speech.usage.api_requests if speech is not None else 0
    scans = scan_sources(day, sources, timezone, _stored_transcripts(day, store, blobs))
    for source, scan in zip(sources, scans):
        report.problems.extend(scan.problems)
        # Remote sources also list what they cannot hand over yet; counted so the day's metadata shows it.
        report.add("transcripts_not_ready", len(scan.not_ready))
        untranscribed = scan.untranscribed
        from_audio = AudioMeetings(left_untranscribed=len(untranscribed))
        if speech is not None and untranscribed:
            # Read before this run replaces the day, so meetings transcribed by an earlier run are reused.
            day_audio = day_audio or DayAudio(day, speech, blobs, store.load_meetings(day))
            from_audio = day_audio.meetings_from(source, untranscribed)
            report.problems.extend(from_audio.problems)
        report.add("recordings_without_transcript", from_audio.left_untranscribed)
        report.add("transcribed_from_audio", len(from_audio.recordings) + len(from_audio.reused))
        report.add("speech_reused", len(from_audio.reused))
        report.add("media_downloads", from_audio.media_downloads)
        for recording in (*scan.recordings, *from_audio.recordings):
            if (taken := _id_taken(day, meetings, recording.meeting_id, recording.source_id)) is not None:
                report.problems.append(taken)
                continue
            key = raw_blob_key(day, recording.meeting_id, recording.filename)
            blobs.put(key, recording.content)
            meetings[recording.meeting_id] = MeetingInfo(
                meeting_id=recording.meeting_id,
                partition_date=day,
                source=recording.source,
                source_id=recording.source_id,
                title=recording.title,
                started_at=recording.started_at,
                organizer=recording.organizer,
                participants=recording.participants,
                content_sha256=recording.content_sha256,
                raw_blob_key=key,
                chat_thread_id=recording.chat_thread_id,
            )
            report.add(f"meetings_{recording.source}")
        for earlier in (*scan.reused, *from_audio.reused):
            if (taken := _id_taken(day, meetings, earlier.meeting_id, earlier.source_id)) is not None:
                report.problems.append(taken)
                continue
            meetings[earlier.meeting_id] = earlier
            report.add(f"meetings_{earlier.source}")
    store.replace_meetings(day, list(meetings.values()), report.problems)
    report.counts["meetings"] = len(meetings)
    report.counts["problems"] = len(report.problems)
    if speech is not None:
        report.counts["speech_api_requests"] = speech.usage.api_requests - speech_requests_before
    return report


def _stored_transcripts(day: dt.date, store: PipelineStore, blobs: BlobStore) -> dict[str, dict[str, MeetingInfo]]:
    """The day's stored remote meetings read from a transcript, by source and source id, whose raw copy is
    still there: what a remote source need not download again. One listing of the day's raw copies, not a
    request per meeting (on S3 each would be a round trip)."""
    stored: dict[str, dict[str, MeetingInfo]] = {}
    remote = [meeting for meeting in store.load_meetings(day) if meeting.source in ("teams", "zoom")]
    kept = set(blobs.list(raw_day_prefix(day))) if remote else set()
    for meeting in remote:
        if meeting.raw_blob_key in kept:
            stored.setdefault(meeting.source, {})[meeting.source_id] = meeting
    return stored


def _id_taken(day: dt.date, meetings: dict[str, MeetingInfo], meeting_id: str, source_id: str) -> IngestProblem | None:
    """The problem to record when another file of the day already has this meeting id; the first one is kept."""
    if meeting_id not in meetings:
        return None
    return IngestProblem(
        partition_date=day,
        stage="raw_recordings",
        location=source_id,
        problem=f"meeting id {meeting_id} already taken by {meetings[meeting_id].source_id}; kept the first",
    )


def _problem(day: dt.date, stage: str, location: str, error: Exception) -> IngestProblem:
    return IngestProblem(partition_date=day, stage=stage, location=location, problem=str(error))


def parse_day(day: dt.date, store: PipelineStore, blobs: BlobStore) -> StageReport:
    """Parse each meeting's raw transcript; a meeting whose record (so content hash) is unchanged is kept."""
    report = StageReport(day)
    if _purged(day, store, report):
        return report
    work = _MeetingWork.load(store, day, "transcripts", report)
    code = code_fingerprint("transcripts")
    transcripts = []
    for meeting in store.load_meetings(day):
        key = digest("transcripts", code, meeting)
        if work.keep(meeting.meeting_id, key):
            continue
        filename = meeting.raw_blob_key.rsplit("/", 1)[-1]
        fmt = filename.rsplit(".", 1)[-1].lower()
        try:
            transcript = parse_transcript(
                blobs.get(meeting.raw_blob_key),
                fmt,
                meeting_id=meeting.meeting_id,
                filename=meeting.source_id,
            )
        except BridgeError as error:
            report.problems.append(_problem(day, "transcripts", meeting.source_id, error))
            continue
        transcripts.append(transcript)
        counts = {"utterances": len(transcript.utterances), "parser_warnings": len(transcript.warnings)}
        work.record(meeting.meeting_id, key, transcript, counts)
    store.replace_transcripts(day, transcripts, report.problems, kept=work.kept, inputs=work.inputs)
    report.counts["transcripts"] = len(transcripts) + len(work.kept)
    report.counts["problems"] = len(report.problems)
    return report


def extract_day(day: dt.date, store: PipelineStore, extractor: Extractor, timezone: str) -> StageReport:
    """Extract decisions per meeting; kept when the transcript, meeting, extractor name and timezone are unchanged."""
    report = StageReport(day)
    if _purged(day, store, report):
        return report
    work = _MeetingWork.load(store, day, "decisions", report)
    meetings = store.load_meetings(day)
    parsed = store.load_stage_inputs(day, "transcripts")
    # Transcripts stored without a digest (not by parse_day) are read to digest them.
    unparsed = store.load_transcripts(day, [m.meeting_id for m in meetings if m.meeting_id not in parsed])
    todo: list[tuple[MeetingInfo, str]] = []
    for meeting in meetings:
        if meeting.meeting_id in parsed:
            transcript_digest = parsed[meeting.meeting_id].output_sha256
        elif meeting.meeting_id in unparsed:
            transcript_digest = digest(unparsed[meeting.meeting_id])
        else:
            continue  # its parse problem is already recorded by the transcripts stage
        key = digest("decisions", extractor.name, timezone, meeting, transcript_digest)
        if not work.keep(meeting.meeting_id, key):
            todo.append((meeting, key))
    to_read = [m.meeting_id for m, _ in todo if m.meeting_id not in unparsed]
    transcripts = {**unparsed, **store.load_transcripts(day, to_read)}
    results = []
    for meeting, key in todo:
        transcript = transcripts.get(meeting.meeting_id)
        if transcript is None:
            continue  # removed since the digest was taken; the next run sees its parse problem
        try:
            decisions = extractor.extract(meeting, transcript, timezone)
        except BridgeError as error:
            report.problems.append(_problem(day, "decisions", meeting.meeting_id, error))
            continue
        results.append(decisions)
        kinds = [("decisions" if d.kind == "decision" else "action_items") for d in decisions.decisions]
        work.record(meeting.meeting_id, key, decisions, {k: kinds.count(k) for k in ("decisions", "action_items")})
    store.replace_decisions(day, results, report.problems, kept=work.kept, inputs=work.inputs)
    report.counts.setdefault("decisions", 0)
    report.counts.setdefault("action_items", 0)
    report.counts["meetings"] = len(results) + len(work.kept)
    return report


def _deal_book(day: dt.date, store: PipelineStore) -> DealBook:
    """The drafts a meeting of `day` may continue: latest versions stored on earlier days in the look-back."""
    drafts = store.load_latest_drafts_before(day, since=day - DEAL_LOOKBACK)
    meeting_ids = {d.meeting_id for d in drafts} | {d.deal_id for d in drafts if d.deal_id}
    return DealBook.from_drafts(drafts, store.load_meetings_by_id(meeting_ids))


def _cited_in(found: Mapping[str, MeetingDecisions], drafts: Sequence[ContractDraft]) -> dict[str, Decision]:
    """Decisions (by id) of the meetings the drafts cite, out of `found` (decisions by meeting id, in id order)."""
    cited = {c.meeting_id for d in drafts for f in d.fields for c in f.citations}
    return {d.decision_id: d for meeting_id, md in found.items() if meeting_id in cited for d in md.decisions}


def _cited_decisions(store: PipelineStore, drafts: Sequence[ContractDraft]) -> dict[str, Decision]:
    """Decisions (by id) of the meetings the given drafts cite, whatever day they were on."""
    meeting_ids = {c.meeting_id for d in drafts for f in d.fields for c in f.citations}
    return _cited_in(store.load_decisions_for_meetings(meeting_ids), drafts)


def _deal_inputs(deal: OpenDeal | None, earlier_decisions: Mapping[str, Decision]) -> Any:
    """Everything of a continued deal that drafting reads: its meetings, latest drafts and their cited decisions."""
    if deal is None:
        return None
    return {
        "deal_id": deal.deal_id,
        "meetings": deal.meetings,
        "drafts": deal.drafts,
        "earlier_decisions": list(earlier_decisions.values()),
    }


def _draft_counts(outcome: MeetingDrafts) -> dict[str, int]:
    counts: dict[str, int] = {}

    def add(name: str, n: int = 1) -> None:
        counts[name] = counts.get(name, 0) + n

    if outcome.deal is not None and outcome.deal.continues_meeting_id:
        add("meetings_continuing_a_deal")
    for draft in outcome.drafts:
        add(f"drafts_{draft.contract_type.lower()}")
        add("drafts")
        add("tbd_fields", sum(1 for f in draft.fields if f.is_tbd))
        if draft.version > 1:
            add("later_versions")
    if outcome.no_draft is not None:
        add("decision_records")
    return counts


def _reviews_by_meeting(
    store: PipelineStore, day_decisions: Mapping[str, MeetingDecisions]
) -> dict[str, list[ReviewAction]]:
    """Counsel's review actions on the drafts of the day's meetings, per meeting, oldest first."""
    found: dict[str, list[ReviewAction]] = {}
    for action in store.reviews.for_meetings(day_decisions):
        found.setdefault(action.meeting_id, []).append(action)
    return found


def _with_review(outcome: MeetingDrafts, actions: Sequence[ReviewAction], context: Mapping[str, str]) -> MeetingDrafts:
    """The meeting's drafts with counsel's actions on each version applied (values counsel set win)."""
    if not actions:
        return outcome
    return outcome.model_copy(update={"drafts": tuple(apply_review(d, actions, context) for d in outcome.drafts)})


def draft_day(day: dt.date, store: PipelineStore, timezone: str) -> StageReport:
    """Draft every meeting of the day in start order, each as part of the deal it opens or continues.

    Versions come from drafts of earlier days plus the meetings of this day drafted before it, never
    from this day's previous run, so re-drafting a day gives the same versions. A meeting is kept as
    stored when its record, decisions, deal link, the deal it continues (meetings, latest drafts and
    the decisions they cite), the timezone and the drafting code are all unchanged; so a meeting whose
    deal gained a meeting before it, or whose deal's earlier version changed, is redone.
    """
    report = StageReport(day)
    work = _MeetingWork.load(store, day, "contract_drafts", report)
    meetings = {m.meeting_id: m for m in store.load_meetings(day)}
    deals = DealIndex(_deal_book(day, store))
    day_decisions = store.load_decisions(day)
    reviews = _reviews_by_meeting(store, day_decisions)
    stored = store.load_drafts(day) if work.stored else {}
    code = (code_fingerprint("contract_drafts"), template_versions())
    results: list[MeetingDrafts] = []
    redone: list[MeetingDrafts] = []
    for meeting in sorted((meetings[m] for m in day_decisions), key=meeting_order):
        decisions = day_decisions[meeting.meeting_id]
        try:
            link = deals.link(meeting, decisions.decisions)
            deal = deals.deal(link.deal_id) if link.continues_meeting_id else None
            earlier = _cited_decisions(store, deal.drafts) if deal else {}
            reviewed = reviews.get(meeting.meeting_id, [])
            inputs = (meeting, decisions, link, _deal_inputs(deal, earlier), reviewed)
            key = digest("contract_drafts", code, timezone, *inputs)
            if meeting.meeting_id in stored and work.keep(meeting.meeting_id, key):
                outcome = stored[meeting.meeting_id]
            else:
                outcome = draft_meeting_in_deal(
                    meeting,
                    decisions,
                    link=link,
                    deal=deal,
                    earlier_decisions=earlier,
                    meetings=deals.book.meetings,
                    timezone=timezone,
                )
                outcome = _with_review(outcome, reviewed, clause_context(meeting, timezone))
                work.record(meeting.meeting_id, key, outcome, _draft_counts(outcome))
                redone.append(outcome)
        except BridgeError as error:
            report.problems.append(_problem(day, "contract_drafts", meeting.meeting_id, error))
            continue
        deals.record(meeting, outcome)
        results.append(outcome)
    report.problems.extend(_supersede_later_versions(day, store, results))
    store.replace_drafts(day, redone, report.problems, kept=work.kept, inputs=work.inputs)
    report.counts.setdefault("drafts", 0)
    report.counts.setdefault("decision_records", 0)
    return report


def _supersede_later_versions(
    day: dt.date, store: PipelineStore, results: Sequence[MeetingDrafts]
) -> list[IngestProblem]:
    """Remove versions a later day stored under the numbers this day now takes, and say which days to redo.

    That happens when a day is drafted after a later one (a transcript that arrived late): the later day's
    version was built without this day's meeting, so it is out of date either way.
    """
    keys = [(d.draft_id, d.version) for md in results for d in md.drafts]
    clashes = store.draft_versions_stored_elsewhere(day, keys)
    if not clashes:
        return []
    store.delete_draft_versions(clashes)
    return [
        IngestProblem(
            partition_date=day,
            stage="contract_drafts",
            location=f"{draft_id} v{version}",
            problem=f"version {version} stored for {other.isoformat()} was built without this day's meeting and "
            f"was removed; re-materialize {other.isoformat()} so it becomes the next version",
        )
        for draft_id, version, other in clashes
    ]


def _related_records(store: PipelineStore, draft: ContractDraft, link: DealLink | None) -> RelatedRecords:
    """What an export needs beyond the meeting itself: the deal link, cited meetings and their decisions."""
    cited = {c.meeting_id for f in draft.fields for c in f.citations}
    for change in draft.changes:
        cited |= {c.meeting_id for c in change.before.citations}
    if draft.previous_meeting_id:
        cited.add(draft.previous_meeting_id)
    cited.discard(draft.meeting_id)
    if not cited:
        return RelatedRecords(deal=link)
    earlier = store.load_decisions_for_meetings(cited)
    return RelatedRecords(
        deal=link,
        meetings=store.load_meetings_by_id(cited),
        decisions=tuple(d for md in earlier.values() for d in md.decisions),
    )


def _earlier_decisions_for_qa(
    store: PipelineStore, drafts: Mapping[str, MeetingDrafts]
) -> dict[tuple[str, int], list[Decision]]:
    """For each later version (draft id, version): decisions of the other meetings it cites, read in one query."""
    later = [d for outcome in drafts.values() for d in outcome.drafts if d.version > 1]
    found = store.load_decisions_for_meetings({c.meeting_id for d in later for f in d.fields for c in f.citations})
    return {
        (d.draft_id, d.version): [e for e in _cited_in(found, [d]).values() if e.meeting_id != d.meeting_id]
        for d in later
    }


def qa_day(day: dt.date, store: PipelineStore) -> tuple[StageReport, list[QAFinding]]:
    """QA every draft of the day; a meeting is kept when its drafts, decisions, the decisions they cite and
    the QA code are all unchanged."""
    report = StageReport(day)
    work = _MeetingWork.load(store, day, "draft_qa", report)
    meetings = {m.meeting_id: m for m in store.load_meetings(day)}
    decisions = store.load_decisions(day)
    drafts = store.load_drafts(day)
    earlier = _earlier_decisions_for_qa(store, drafts)
    code = code_fingerprint("draft_qa")
    redone: list[QAFinding] = []
    for meeting_id, outcome in drafts.items():
        cited = [earlier.get((d.draft_id, d.version), []) for d in outcome.drafts]
        key = digest("draft_qa", code, meetings[meeting_id], decisions[meeting_id], outcome.drafts, cited)
        if work.keep(meeting_id, key):
            continue
        found: list[QAFinding] = []
        for draft, earlier_decisions in zip(outcome.drafts, cited):
            found.extend(
                run_qa(draft, decisions[meeting_id], meetings[meeting_id], earlier_decisions=earlier_decisions)
            )
        redone.extend(found)
        work.record(meeting_id, key, found, {})
    store.replace_qa_findings(day, redone, kept=work.kept, inputs=work.inputs)
    findings = store.load_qa_findings(day)
    for severity in ("blocking", "warning", "info"):
        report.counts[f"findings_{severity}"] = sum(1 for f in findings if f.severity == severity)
    return report, findings


@dataclass
class _MeetingExport:
    """What exporting one meeting wrote."""

    exported: list[ExportedFile] = field(default_factory=list)
    withheld: list[WithheldExport] = field(default_factory=list)
    blob_keys: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def _export_meeting(
    day: dt.date,
    blobs: BlobStore,
    meeting: MeetingInfo,
    outcome: MeetingDrafts,
    meeting_decisions: MeetingDecisions,
    findings_by_draft: Mapping[str, list[QAFinding]],
    related: Mapping[str, RelatedRecords],
    done: _MeetingExport,
    run_id: str | None = None,
) -> None:
    """Render one meeting's documents into `done`; a draft with a blocking QA finding is withheld."""
    meeting_id = meeting.meeting_id

    def audit(kind: str, action: AuditAction, key: str, sha: str, draft: ContractDraft | None, **detail: Any) -> None:
        done.audit.append(
            AuditEntry(
                day=day,
                artifact_kind=kind,
                action=action,
                path=key,
                run_id=run_id,
                meeting_id=meeting_id,
                content_sha256=sha,
                draft_id=draft.draft_id if draft else None,
                draft_version=draft.version if draft else None,
                detail=detail,
            )
        )

    def write(document_id: str, files: dict[str, bytes], draft: ContractDraft | None) -> None:
        for filename, data in files.items():
            key = f"{export_prefix(day)}/{meeting_id}/{filename}"
            sha = blobs.put(key, data)
            done.blob_keys.append(key)
            fmt = filename.rsplit(".", 1)[-1]
            audit("export", "written", key, sha, draft, format=fmt, size_bytes=len(data), document_id=document_id)
            done.exported.append(
                ExportedFile(
                    meeting_id=meeting_id,
                    document_id=document_id,
                    format=fmt,
                    blob_key=key,
                    sha256=sha,
                    size_bytes=len(data),
                )
            )
            done.add(f"files_{fmt}")
            done.add("files")

    for draft in outcome.drafts:
        draft_findings = findings_by_draft.get(draft.draft_id, [])
        blocking = [f for f in draft_findings if f.severity == "blocking"]
        document_id = draft_document_id(draft)
        if blocking:
            reason = "; ".join(f"{f.rule_id}: {f.message}" for f in blocking)
            done.withheld.append(WithheldExport(meeting_id=meeting_id, draft_id=draft.draft_id, reason=reason))
            notice = f"{export_prefix(day)}/{meeting_id}/{safe_filename(document_id)}.WITHHELD.txt"
            sha = blobs.put(notice, withheld_notice(document_id, blocking))
            done.blob_keys.append(notice)
            audit("withheld_notice", "withheld", notice, sha, draft, rules=sorted({f.rule_id for f in blocking}))
            done.add("withheld")
            continue
        document = document_for_draft(
            meeting, draft, draft_findings, meeting_decisions, related=related[draft.draft_id]
        )
        bundle = build_bundle(
            meeting, draft, meeting_decisions, draft_findings, None, related=related[draft.draft_id]
        )
        write(document_id, render_all(document, bundle, document_id), draft)
        done.add("exported_drafts")
    if outcome.no_draft is not None:
        document_id = f"{meeting_id}-decision-record"
        document = document_for_decision_record(meeting, meeting_decisions, outcome.no_draft)
        bundle = build_bundle(meeting, None, meeting_decisions, [], outcome.no_draft)
        write(document_id, render_all(document, bundle, document_id), None)
        done.add("exported_decision_records")


def _meeting_of(export_key: str) -> str | None:
    """The meeting folder of `exports/<day>/<meeting_id>/<file>`; None for other keys."""
    parts = export_key.split("/")
    return parts[2] if len(parts) == 4 else None


def export_day(day: dt.date, store: PipelineStore, blobs: BlobStore, *, run_id: str | None = None) -> StageReport:
    """Render every meeting's documents; a draft with a blocking QA finding is withheld, not the day.

    A meeting is kept, files untouched, when everything its documents show is unchanged (meeting,
    decisions, drafts and deal link, QA findings, the cited meetings of other days and their
    decisions, the rendering code) and all its files are still there.

    The audit trail gets, with the day's export rows, an entry per file written with new content, per
    withheld notice and per file removed; `run_id` (the Dagster run) is stored with them.
    """
    report = StageReport(day)
    work = _MeetingWork.load(store, day, "contract_exports", report)
    meetings = {m.meeting_id: m for m in store.load_meetings(day)}
    decisions = store.load_decisions(day)
    findings_by_draft: dict[str, list[QAFinding]] = {}
    for finding in store.load_qa_findings(day):
        findings_by_draft.setdefault(finding.draft_id, []).append(finding)
    present = set(blobs.list(export_prefix(day)))
    code = (code_fingerprint("contract_exports"), EXPORT_LAYOUT)
    exported: list[ExportedFile] = []
    withheld: list[WithheldExport] = []
    written: set[str] = set()
    audit: list[AuditEntry] = []

    for meeting_id, outcome in store.load_drafts(day).items():
        meeting = meetings[meeting_id]
        related = {d.draft_id: _related_records(store, d, outcome.deal) for d in outcome.drafts}
        meeting_findings = [f for d in outcome.drafts for f in findings_by_draft.get(d.draft_id, [])]
        key = digest(
            "contract_exports",
            code,
            export_prefix(day),
            meeting,
            decisions[meeting_id],
            outcome,
            meeting_findings,
            related,
        )
        earlier = work.stored.get(meeting_id)
        if earlier is not None and present.issuperset(earlier.blob_keys) and work.keep(meeting_id, key):
            written.update(earlier.blob_keys)
            continue
        done = _MeetingExport()
        try:
            _export_meeting(
                day, blobs, meeting, outcome, decisions[meeting_id], findings_by_draft, related, done, run_id
            )
        except BridgeError as error:
            report.problems.append(_problem(day, "contract_exports", meeting_id, error))
            report.add_all(done.counts)
        else:
            work.record(meeting_id, key, (done.exported, done.withheld), done.counts, done.blob_keys)
        written.update(done.blob_keys)
        exported.extend(done.exported)
        withheld.extend(done.withheld)
        audit.extend(done.audit)

    # Files of meetings or drafts that no longer exist would mislead readers; everything else is kept.
    for key in sorted(present - written):
        blobs.delete_prefix(key)
    # What the trail shows present and this run did not write is gone: removed just now, or by a run that
    # died before recording it. Files the trail never saw (dry-run messages) are not its business.
    recorded = AuditLog(store.engine).present_paths(day, EXPORT_AUDIT_KINDS)
    for key in sorted(set(recorded) - written):
        audit.append(AuditEntry(day, recorded[key], "removed", key, run_id=run_id, meeting_id=_meeting_of(key)))
    store.replace_exports(day, exported, withheld, report.problems, kept=work.kept, inputs=work.inputs, audit=audit)
    report.counts.setdefault("withheld", 0)
    report.counts.setdefault("files", 0)
    return report
