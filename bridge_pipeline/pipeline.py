"""One function per stage of the meeting line, free of Dagster.

Each stage reads one day's inputs from the project store, runs the pure logic on every meeting, and
rewrites that day's outputs as a whole. A meeting that fails a stage is recorded as a problem and the
rest of the day carries on. The Dagster assets only call these functions and report what they return.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from bridge_pipeline.drafting.deal_drafts import draft_meeting_in_deal
from bridge_pipeline.drafting.deals import DealBook, link_meeting, meeting_order
from bridge_pipeline.errors import BridgeError
from bridge_pipeline.extraction.base import Extractor
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
from bridge_pipeline.speech.day_audio import AudioMeetings, DayAudio
from bridge_pipeline.storage.blobs import BlobStore
from bridge_pipeline.storage.store import PipelineStore

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


# How far back a meeting looks for the deal it may continue.
DEAL_LOOKBACK = dt.timedelta(days=180)


def raw_blob_key(day: dt.date, meeting_id: str, filename: str) -> str:
    return f"raw/{day.isoformat()}/{meeting_id}/{safe_filename(filename)}"


def export_prefix(day: dt.date) -> str:
    return f"exports/{day.isoformat()}"


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
    meetings: dict[str, MeetingInfo] = {}
    day_audio: DayAudio | None = None
    speech_requests_before = speech.usage.api_requests if speech is not None else 0
    for source in sources:
        scan = source.recordings_for_day(day, timezone)
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
        for earlier in from_audio.reused:
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
    report = StageReport(day)
    transcripts = []
    for meeting in store.load_meetings(day):
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
        report.add("utterances", len(transcript.utterances))
        report.add("parser_warnings", len(transcript.warnings))
    store.replace_transcripts(day, transcripts, report.problems)
    report.counts["transcripts"] = len(transcripts)
    report.counts["problems"] = len(report.problems)
    return report


def extract_day(day: dt.date, store: PipelineStore, extractor: Extractor, timezone: str) -> StageReport:
    report = StageReport(day)
    transcripts = store.load_transcripts(day)
    results = []
    for meeting in store.load_meetings(day):
        transcript = transcripts.get(meeting.meeting_id)
        if transcript is None:
            continue  # its parse problem is already recorded by the transcripts stage
        try:
            decisions = extractor.extract(meeting, transcript, timezone)
        except BridgeError as error:
            report.problems.append(_problem(day, "decisions", meeting.meeting_id, error))
            continue
        results.append(decisions)
        for decision in decisions.decisions:
            report.add("decisions" if decision.kind == "decision" else "action_items")
    store.replace_decisions(day, results, report.problems)
    report.counts.setdefault("decisions", 0)
    report.counts.setdefault("action_items", 0)
    report.counts["meetings"] = len(results)
    return report


def _deal_book(day: dt.date, store: PipelineStore) -> DealBook:
    """The drafts a meeting of `day` may continue: latest versions stored on earlier days in the look-back."""
    drafts = store.load_latest_drafts_before(day, since=day - DEAL_LOOKBACK)
    meeting_ids = {d.meeting_id for d in drafts} | {d.deal_id for d in drafts if d.deal_id}
    return DealBook.from_drafts(drafts, store.load_meetings_by_id(meeting_ids))


def _cited_decisions(store: PipelineStore, drafts: Sequence[ContractDraft]) -> dict[str, Decision]:
    """Decisions (by id) of the meetings the given drafts cite, whatever day they were on."""
    meeting_ids = {c.meeting_id for d in drafts for f in d.fields for c in f.citations}
    found = store.load_decisions_for_meetings(meeting_ids)
    return {d.decision_id: d for md in found.values() for d in md.decisions}


def _draft_in_deal(
    meeting: MeetingInfo, decisions: MeetingDecisions, book: DealBook, store: PipelineStore, timezone: str
) -> MeetingDrafts:
    link = link_meeting(meeting, decisions.decisions, book.open_deals())
    deal = book.deal(link.deal_id) if link.continues_meeting_id else None
    return draft_meeting_in_deal(
        meeting,
        decisions,
        link=link,
        deal=deal,
        earlier_decisions=_cited_decisions(store, deal.drafts) if deal else {},
        meetings=book.meetings,
        timezone=timezone,
    )


def draft_day(day: dt.date, store: PipelineStore, timezone: str) -> StageReport:
    """Draft every meeting of the day in start order, each as part of the deal it opens or continues.

    Versions come from drafts of earlier days plus the meetings of this day drafted before it, never
    from this day's previous run, so re-drafting a day gives the same versions.
    """
    report = StageReport(day)
    meetings = {m.meeting_id: m for m in store.load_meetings(day)}
    book = _deal_book(day, store)
    results: list[MeetingDrafts] = []
    day_decisions = store.load_decisions(day)
    for meeting in sorted((meetings[m] for m in day_decisions), key=meeting_order):
        try:
            outcome = _draft_in_deal(meeting, day_decisions[meeting.meeting_id], book, store, timezone)
        except BridgeError as error:
            report.problems.append(_problem(day, "contract_drafts", meeting.meeting_id, error))
            continue
        book.record(meeting, outcome)
        results.append(outcome)
        if outcome.deal is not None and outcome.deal.continues_meeting_id:
            report.add("meetings_continuing_a_deal")
        for draft in outcome.drafts:
            report.add(f"drafts_{draft.contract_type.lower()}")
            report.add("drafts")
            report.add("tbd_fields", sum(1 for f in draft.fields if f.is_tbd))
            if draft.version > 1:
                report.add("later_versions")
        if outcome.no_draft is not None:
            report.add("decision_records")
    report.problems.extend(_supersede_later_versions(day, store, results))
    store.replace_drafts(day, results, report.problems)
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


def qa_day(day: dt.date, store: PipelineStore) -> tuple[StageReport, list[QAFinding]]:
    report = StageReport(day)
    meetings = {m.meeting_id: m for m in store.load_meetings(day)}
    decisions = store.load_decisions(day)
    findings: list[QAFinding] = []
    for meeting_id, outcome in store.load_drafts(day).items():
        for draft in outcome.drafts:
            earlier = _cited_decisions(store, [draft]) if draft.version > 1 else {}
            findings.extend(
                run_qa(
                    draft,
                    decisions[meeting_id],
                    meetings[meeting_id],
                    earlier_decisions=[d for d in earlier.values() if d.meeting_id != meeting_id],
                )
            )
    store.replace_qa_findings(day, findings)
    for severity in ("blocking", "warning", "info"):
        report.counts[f"findings_{severity}"] = sum(1 for f in findings if f.severity == severity)
    return report, findings


def export_day(day: dt.date, store: PipelineStore, blobs: BlobStore) -> StageReport:
    """Render every meeting's documents; a draft with a blocking QA finding is withheld, not the day."""
    report = StageReport(day)
    meetings = {m.meeting_id: m for m in store.load_meetings(day)}
    decisions = store.load_decisions(day)
    findings = store.load_qa_findings(day)
    exported: list[ExportedFile] = []
    withheld: list[WithheldExport] = []
    written: set[str] = set()

    def write(meeting_id: str, document_id: str, files: dict[str, bytes]) -> None:
        for filename, data in files.items():
            key = f"{export_prefix(day)}/{meeting_id}/{filename}"
            sha = blobs.put(key, data)
            written.add(key)
            fmt = filename.rsplit(".", 1)[-1]
            exported.append(
                ExportedFile(
                    meeting_id=meeting_id,
                    document_id=document_id,
                    format=fmt,
                    blob_key=key,
                    sha256=sha,
                    size_bytes=len(data),
                )
            )
            report.add(f"files_{fmt}")

    for meeting_id, outcome in store.load_drafts(day).items():
        meeting = meetings[meeting_id]
        meeting_decisions = decisions[meeting_id]
        try:
            for draft in outcome.drafts:
                draft_findings = [f for f in findings if f.draft_id == draft.draft_id]
                blocking = [f for f in draft_findings if f.severity == "blocking"]
                document_id = draft_document_id(draft)
                if blocking:
                    reason = "; ".join(f"{f.rule_id}: {f.message}" for f in blocking)
                    withheld.append(WithheldExport(meeting_id=meeting_id, draft_id=draft.draft_id, reason=reason))
                    notice = f"{export_prefix(day)}/{meeting_id}/{safe_filename(document_id)}.WITHHELD.txt"
                    blobs.put(notice, withheld_notice(document_id, blocking))
                    written.add(notice)
                    report.add("withheld")
                    continue
                related = _related_records(store, draft, outcome.deal)
                document = document_for_draft(
                    meeting, draft, draft_findings, meeting_decisions, related=related
                )
                bundle = build_bundle(meeting, draft, meeting_decisions, draft_findings, None, related=related)
                write(meeting_id, document_id, render_all(document, bundle, document_id))
                report.add("exported_drafts")
            if outcome.no_draft is not None:
                document_id = f"{meeting_id}-decision-record"
                document = document_for_decision_record(meeting, meeting_decisions, outcome.no_draft)
                bundle = build_bundle(meeting, None, meeting_decisions, [], outcome.no_draft)
                write(meeting_id, document_id, render_all(document, bundle, document_id))
                report.add("exported_decision_records")
        except BridgeError as error:
            report.problems.append(_problem(day, "contract_exports", meeting_id, error))

    # Files of meetings or drafts that no longer exist would mislead readers; everything else is kept.
    for key in blobs.list(export_prefix(day)):
        if key not in written:
            blobs.delete_prefix(key)
    store.replace_exports(day, exported, withheld, report.problems)
    report.counts.setdefault("withheld", 0)
    report.counts["files"] = len(exported)
    return report
