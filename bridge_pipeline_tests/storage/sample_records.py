"""Small but complete records of every stored type, with the values most likely to be mangled in storage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bridge_pipeline.models import (
    Amount,
    Citation,
    Clause,
    ContractDraft,
    DateMention,
    Decision,
    DraftField,
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

DAY_A = dt.date(2026, 1, 5)
DAY_B = dt.date(2026, 1, 6)
WARSAW = dt.timezone(dt.timedelta(hours=1))
TOKYO = dt.timezone(dt.timedelta(hours=9))


def meeting(meeting_id: str, day: dt.date = DAY_A) -> MeetingInfo:
    return MeetingInfo(
        meeting_id=meeting_id,
        partition_date=day,
        source="zoom",
        source_id=f"zoom-{meeting_id}",
        title="Partnerschaft Łukasz × 田中 — kick-off",
        started_at=dt.datetime(day.year, day.month, day.day, 9, 30, 15, 250000, tzinfo=WARSAW),
        organizer="Łukasz Wójcik",
        participants=("Łukasz Wójcik", "田中 太郎", "Zoë O'Brien"),
        content_sha256="a" * 64,
        raw_blob_key=f"raw/{day.isoformat()}/{meeting_id}/transcript.vtt",
    )


def problem(stage: str, location: str, day: dt.date = DAY_A) -> IngestProblem:
    return IngestProblem(partition_date=day, stage=stage, location=location, problem=f"unreadable: {location} — ß")


def transcript(meeting_id: str, lines: int = 3) -> Transcript:
    speakers = ("Łukasz Wójcik", "田中 太郎", "Unknown")
    return Transcript(
        meeting_id=meeting_id,
        language="pl",
        utterances=tuple(
            Utterance(
                index=i,
                speaker=speakers[i % len(speakers)],
                start_s=i * 4.125 + 0.1,
                end_s=i * 4.125 + 3.3333333333333335,
                text=f"Zdanie {i}: zgoda na €48,000 — 了解しました",
            )
            for i in range(lines)
        ),
        warnings=("cue 2 moved before cue 3", "empty cue dropped"),
    )


def citation(meeting_id: str, index: int = 1) -> Citation:
    return Citation(
        meeting_id=meeting_id,
        utterance_index=index,
        start_s=4.225,
        end_s=7.458333,
        speaker="田中 太郎",
        quote="We agree on €48,000 by Friday",
    )


def decision(meeting_id: str, number: int) -> Decision:
    return Decision(
        decision_id=f"{meeting_id}-d{number:03d}",
        meeting_id=meeting_id,
        kind="decision" if number % 2 else "action_item",
        text="Fees fixed at €48,000.50, payable within 30 days",
        topic="fees",
        owner="Łukasz Wójcik",
        due_date=DateMention(value=dt.date(2026, 2, 27), text="by the end of February"),
        amounts=(
            Amount(value=Decimal("48000.50"), currency="EUR", text="€48,000.50"),
            Amount(value=Decimal("0.000001"), currency="JPY", text="一円未満"),
        ),
        parties=("Acme Sp. z o.o.", "田中商事株式会社"),
        terms={"fee_amount": "EUR 48000.50", "payment_terms": "30 days"},
        confidence=0.875,
        citations=(citation(meeting_id), citation(meeting_id, 2)),
    )


def meeting_decisions(meeting_id: str, count: int = 2) -> MeetingDecisions:
    return MeetingDecisions(
        meeting_id=meeting_id,
        decisions=tuple(decision(meeting_id, n) for n in range(1, count + 1)),
        extractor="offline-rules/1",
    )


def draft(meeting_id: str, day: dt.date = DAY_A, contract_type: str = "SOW", version: int = 1) -> ContractDraft:
    return ContractDraft(
        draft_id=f"{meeting_id}-{contract_type.lower()}",
        meeting_id=meeting_id,
        partition_date=day,
        contract_type=contract_type,
        template_version="sow/1",
        title="Statement of Work — Acme × 田中商事",
        type_reason=f"{meeting_id}-d001 speaks of deliverables and fees",
        fields=(
            DraftField(
                name="fee_amount",
                label="Fees",
                required=True,
                value="EUR 48000.50",
                original_text="€48,000.50",
                decision_ids=(f"{meeting_id}-d001",),
                citations=(citation(meeting_id),),
                confidence=0.875,
            ),
            DraftField(name="governing_law", label="Governing law", required=True),
        ),
        clauses=(Clause(number="1", heading="Zakres prac", body="Der Auftragnehmer liefert … 納品物"),),
        version=version,
    )


def meeting_drafts(meeting_id: str, day: dt.date = DAY_A) -> MeetingDrafts:
    return MeetingDrafts(meeting_id=meeting_id, drafts=(draft(meeting_id, day), draft(meeting_id, day, "NDA")))


def no_draft(meeting_id: str, day: dt.date = DAY_A) -> MeetingDrafts:
    return MeetingDrafts(
        meeting_id=meeting_id,
        no_draft=NoDraftRecord(meeting_id=meeting_id, partition_date=day, reason="Nur Status-Update; 契約の話なし"),
    )


def finding(meeting_id: str, rule_id: str, severity: str = "warning") -> QAFinding:
    return QAFinding(
        rule_id=rule_id,
        severity=severity,
        meeting_id=meeting_id,
        draft_id=f"{meeting_id}-sow",
        field="governing_law",
        message="Governing law is TBD; nobody named it (Łukasz asked, 田中 did not answer)",
        citation=citation(meeting_id),
    )


def exported_file(meeting_id: str, fmt: str, day: dt.date = DAY_A) -> ExportedFile:
    return ExportedFile(
        meeting_id=meeting_id,
        document_id=f"{meeting_id}-sow",
        format=fmt,
        blob_key=f"exports/{day.isoformat()}/{meeting_id}/{meeting_id}-sow.{fmt}",
        sha256="b" * 64,
        size_bytes=12345,
    )


def withheld(meeting_id: str) -> WithheldExport:
    return WithheldExport(meeting_id=meeting_id, draft_id=f"{meeting_id}-nda", reason="no parties named — blocking")
