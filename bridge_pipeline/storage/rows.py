"""Turns pipeline records into table rows and table rows back into the same records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bridge_pipeline.models import (
    ContractDraft,
    DealLink,
    Decision,
    ExportedFile,
    IngestProblem,
    MeetingDecisions,
    MeetingDrafts,
    MeetingInfo,
    NoDraftRecord,
    QAFinding,
    Transcript,
    Utterance,
    WithheldExport,
)

Row = dict[str, Any]
StoredRow = Mapping[str, Any]


@dataclass(frozen=True)
class StageInput:
    """What one stage built one meeting's stored rows from, for deciding whether a re-run can keep them.

    `input_sha256` digests every input of the meeting at that stage, `output_sha256` the records the
    stage stored for it; `counts` are the stage's report counts for the meeting and `blob_keys` the
    files it wrote, so a kept meeting still counts in the day's totals and keeps its files.
    """

    meeting_id: str
    input_sha256: str
    output_sha256: str
    counts: Mapping[str, int] = field(default_factory=dict)
    blob_keys: tuple[str, ...] = ()


def _json(record: Any) -> Any:
    return record.model_dump(mode="json")


# --- records -> rows ----------------------------------------------------------------------------


def meeting_rows(day: dt.date, meetings: Sequence[MeetingInfo]) -> list[Row]:
    return [
        {
            "partition_date": day,
            "meeting_id": m.meeting_id,
            "source": m.source,
            "title": m.title,
            "payload": _json(m),
        }
        for m in meetings
    ]


def problem_rows(day: dt.date, problems: Sequence[IngestProblem]) -> list[Row]:
    return [
        {
            "partition_date": day,
            "meeting_id": None,
            "stage": p.stage,
            "position": position,
            "location": p.location,
            "problem": p.problem,
        }
        for position, p in enumerate(problems)
    ]


def transcript_rows(day: dt.date, transcripts: Sequence[Transcript]) -> tuple[list[Row], list[Row]]:
    """(transcripts rows, utterances rows)."""
    headers = [
        {"partition_date": day, "meeting_id": t.meeting_id, "language": t.language, "warnings": list(t.warnings)}
        for t in transcripts
    ]
    lines = [
        {
            "partition_date": day,
            "meeting_id": t.meeting_id,
            "utterance_index": u.index,
            "speaker": u.speaker,
            "start_s": u.start_s,
            "end_s": u.end_s,
            "text": u.text,
        }
        for t in transcripts
        for u in t.utterances
    ]
    return headers, lines


def decision_rows(day: dt.date, items: Sequence[MeetingDecisions]) -> tuple[list[Row], list[Row]]:
    """(meeting_decisions rows, decisions rows)."""
    headers = [{"partition_date": day, "meeting_id": md.meeting_id, "extractor": md.extractor} for md in items]
    lines = [
        {
            "partition_date": day,
            "meeting_id": md.meeting_id,
            "decision_id": d.decision_id,
            "position": position,
            "kind": d.kind,
            "topic": d.topic,
            "confidence": d.confidence,
            "payload": _json(d),
        }
        for md in items
        for position, d in enumerate(md.decisions)
    ]
    return headers, lines


def draft_rows(day: dt.date, items: Sequence[MeetingDrafts]) -> tuple[list[Row], list[Row]]:
    """(meeting_drafts rows, drafts rows)."""
    headers = [
        {
            "partition_date": day,
            "meeting_id": md.meeting_id,
            "no_draft_reason": md.no_draft.reason if md.no_draft else None,
            "no_draft_payload": _json(md.no_draft) if md.no_draft else None,
        }
        for md in items
    ]
    lines = [
        {
            "partition_date": day,
            "meeting_id": md.meeting_id,
            "draft_id": d.draft_id,
            "version": d.version,
            "position": position,
            "contract_type": d.contract_type,
            "payload": _json(d),
            "deal_id": d.deal_id,
        }
        for md in items
        for position, d in enumerate(md.drafts)
    ]
    return headers, lines


def deal_link_rows(day: dt.date, items: Sequence[MeetingDrafts]) -> list[Row]:
    return [
        {
            "partition_date": day,
            "meeting_id": md.deal.meeting_id,
            "deal_id": md.deal.deal_id,
            "continues_meeting_id": md.deal.continues_meeting_id,
            "reason": md.deal.reason,
        }
        for md in items
        if md.deal is not None
    ]


def _positions_within_meeting(meeting_ids: Iterable[str]) -> list[int]:
    """Each record's position among the records of its own meeting.

    Positions count within a meeting, not the day, so one meeting's rows can be rewritten while the
    other meetings' rows stay exactly as stored.
    """
    seen: dict[str, int] = {}
    positions = []
    for meeting_id in meeting_ids:
        positions.append(seen.get(meeting_id, 0))
        seen[meeting_id] = positions[-1] + 1
    return positions


def finding_rows(day: dt.date, findings: Sequence[QAFinding]) -> list[Row]:
    return [
        {
            "partition_date": day,
            "meeting_id": f.meeting_id,
            "draft_id": f.draft_id,
            "position": position,
            "rule_id": f.rule_id,
            "severity": f.severity,
            "payload": _json(f),
        }
        for position, f in zip(_positions_within_meeting(f.meeting_id for f in findings), findings)
    ]


def export_rows(day: dt.date, exported: Sequence[ExportedFile], withheld: Sequence[WithheldExport]) -> list[Row]:
    rows = [
        {
            "partition_date": day,
            "meeting_id": e.meeting_id,
            "status": "exported",
            "position": position,
            "document_id": e.document_id,
            "format": e.format,
            "blob_key": e.blob_key,
            "payload": _json(e),
        }
        for position, e in zip(_positions_within_meeting(e.meeting_id for e in exported), exported)
    ]
    rows += [
        {
            "partition_date": day,
            "meeting_id": w.meeting_id,
            "status": "withheld",
            "position": position,
            "document_id": w.draft_id,
            "format": None,
            "blob_key": None,
            "payload": _json(w),
        }
        for position, w in zip(_positions_within_meeting(w.meeting_id for w in withheld), withheld)
    ]
    return rows


def stage_input_rows(day: dt.date, stage: str, inputs: Sequence[StageInput]) -> list[Row]:
    return [
        {
            "partition_date": day,
            "meeting_id": i.meeting_id,
            "stage": stage,
            "input_sha256": i.input_sha256,
            "output_sha256": i.output_sha256,
            "summary": {"counts": dict(i.counts), "blob_keys": list(i.blob_keys)},
        }
        for i in inputs
    ]


# --- rows -> records ----------------------------------------------------------------------------


def stage_input_from_row(row: StoredRow) -> StageInput:
    summary = row["summary"]
    return StageInput(
        meeting_id=row["meeting_id"],
        input_sha256=row["input_sha256"],
        output_sha256=row["output_sha256"],
        counts=dict(summary.get("counts", {})),
        blob_keys=tuple(summary.get("blob_keys", ())),
    )


def problem_from_row(row: StoredRow) -> IngestProblem:
    return IngestProblem(
        partition_date=row["partition_date"], stage=row["stage"], location=row["location"], problem=row["problem"]
    )


def transcripts_from_rows(headers: Iterable[StoredRow], lines: Iterable[StoredRow]) -> dict[str, Transcript]:
    utterances_by_meeting: dict[str, list[Utterance]] = {}
    for line in lines:
        utterances_by_meeting.setdefault(line["meeting_id"], []).append(
            Utterance(
                index=line["utterance_index"],
                speaker=line["speaker"],
                start_s=line["start_s"],
                end_s=line["end_s"],
                text=line["text"],
            )
        )
    return {
        h["meeting_id"]: Transcript(
            meeting_id=h["meeting_id"],
            language=h["language"],
            utterances=tuple(utterances_by_meeting.get(h["meeting_id"], ())),
            warnings=tuple(h["warnings"]),
        )
        for h in headers
    }


def decisions_from_rows(headers: Iterable[StoredRow], lines: Iterable[StoredRow]) -> dict[str, MeetingDecisions]:
    by_meeting: dict[str, list[Decision]] = {}
    for line in lines:
        by_meeting.setdefault(line["meeting_id"], []).append(Decision.model_validate(line["payload"]))
    return {
        h["meeting_id"]: MeetingDecisions(
            meeting_id=h["meeting_id"],
            decisions=tuple(by_meeting.get(h["meeting_id"], ())),
            extractor=h["extractor"],
        )
        for h in headers
    }


def deal_link_from_row(row: StoredRow) -> DealLink:
    return DealLink(
        meeting_id=row["meeting_id"],
        deal_id=row["deal_id"],
        continues_meeting_id=row["continues_meeting_id"],
        reason=row["reason"],
    )


def drafts_from_rows(
    headers: Iterable[StoredRow], lines: Iterable[StoredRow], links: Iterable[StoredRow] = ()
) -> dict[str, MeetingDrafts]:
    by_meeting: dict[str, list[ContractDraft]] = {}
    for line in lines:
        by_meeting.setdefault(line["meeting_id"], []).append(ContractDraft.model_validate(line["payload"]))
    deals = {row["meeting_id"]: deal_link_from_row(row) for row in links}
    return {
        h["meeting_id"]: MeetingDrafts(
            meeting_id=h["meeting_id"],
            drafts=tuple(by_meeting.get(h["meeting_id"], ())),
            no_draft=None if h["no_draft_payload"] is None else NoDraftRecord.model_validate(h["no_draft_payload"]),
            deal=deals.get(h["meeting_id"]),
        )
        for h in headers
    }
