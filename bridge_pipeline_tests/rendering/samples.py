"""Hand-built meetings, drafts, decisions and findings for the rendering tests (no other stage involved)."""

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
    MeetingDecisions,
    MeetingInfo,
    NoDraftRecord,
    QAFinding,
)

MEETING_ID = "zoom-2026-03-05-acme-nordlys"
DAY = dt.date(2026, 3, 5)


def meeting(title: str = "Acme × Nordlys: NDA & pilot pricing", meeting_id: str = MEETING_ID) -> MeetingInfo:
    return MeetingInfo(
        meeting_id=meeting_id,
        partition_date=DAY,
        source="zoom",
        source_id="83412345678",
        title=title,
        started_at=dt.datetime(2026, 3, 5, 14, 0, tzinfo=dt.timezone.utc),
        organizer="Zofia Kowalczyk",
        participants=("Zofia Kowalczyk", "Łukasz Wróbel", "Søren Møller", "José Núñez"),
        content_sha256="a" * 64,
        raw_blob_key=f"raw/{meeting_id}.vtt",
    )


def citation(index: int, speaker: str, start_s: float, quote: str, meeting_id: str = MEETING_ID) -> Citation:
    return Citation(
        meeting_id=meeting_id, utterance_index=index, start_s=start_s, end_s=start_s + 6, speaker=speaker, quote=quote
    )


LAW = citation(12, "Zofia Kowalczyk", 751.4, "Let's put it under Delaware law, both sides are fine with that.")
PARTY = citation(3, "Łukasz Wróbel", 95.0, "On our side the contracting entity is Nordlys Øresund ApS.")
FEE = citation(40, "José Núñez", 1830.2, "The pilot fee is €48,000 — “all-in”, payable in 30 days.")
ACTION = citation(55, "Søren Møller", 2410.0, "I'll send the signed NDA back by Friday.")


def decisions(meeting_id: str = MEETING_ID) -> MeetingDecisions:
    return MeetingDecisions(
        meeting_id=meeting_id,
        extractor="offline-rules/1",
        decisions=(
            Decision(
                decision_id=f"{meeting_id}-d001",
                meeting_id=meeting_id,
                kind="decision",
                text="Nordlys Øresund ApS is the contracting party for Nordlys.",
                topic="parties",
                parties=("Nordlys Øresund ApS",),
                confidence=0.9,
                citations=(PARTY,),
            ),
            Decision(
                decision_id=f"{meeting_id}-d002",
                meeting_id=meeting_id,
                kind="decision",
                text="The NDA is governed by Delaware law.",
                topic="law",
                terms={"governing_law": "Delaware"},
                confidence=0.85,
                citations=(LAW,),
            ),
            Decision(
                decision_id=f"{meeting_id}-d003",
                meeting_id=meeting_id,
                kind="decision",
                text="Pilot fee of €48,000, paid within 30 days.",
                topic="fees",
                amounts=(Amount(value=Decimal("48000.00"), currency="EUR", text="€48,000"),),
                terms={"fee_total": "EUR 48000.00", "payment_terms": "30 days"},
                confidence=0.8,
                citations=(FEE,),
            ),
            Decision(
                decision_id=f"{meeting_id}-d004",
                meeting_id=meeting_id,
                kind="action_item",
                text="Send the signed NDA back to Acme.",
                topic="nda",
                owner="Søren Møller",
                due_date=DateMention(value=dt.date(2026, 3, 6), text="by Friday"),
                confidence=0.75,
                citations=(ACTION,),
            ),
            Decision(
                decision_id=f"{meeting_id}-d005",
                meeting_id=meeting_id,
                kind="action_item",
                text="Circulate the pilot scope document.",
                topic="general",
                confidence=0.6,
                citations=(citation(61, "Unknown", 2600.0, "Someone should circulate the scope."),),
            ),
        ),
    )


def draft(meeting_id: str = MEETING_ID) -> ContractDraft:
    fields = (
        DraftField(
            name="party_b",
            label="Second party",
            required=True,
            value="Nordlys Øresund ApS",
            decision_ids=(f"{meeting_id}-d001",),
            citations=(PARTY,),
            confidence=0.9,
        ),
        DraftField(
            name="governing_law",
            label="Governing law",
            required=True,
            value="Delaware",
            decision_ids=(f"{meeting_id}-d002",),
            citations=(LAW,),
            confidence=0.85,
        ),
        DraftField(
            name="fee_total",
            label="Pilot fee",
            required=False,
            value="EUR 48000.00",
            original_text="€48,000",
            decision_ids=(f"{meeting_id}-d003",),
            citations=(FEE,),
            confidence=0.8,
        ),
        DraftField(name="effective_date", label="Effective date", required=True),
        DraftField(name="confidentiality_period", label="Confidentiality period", required=True),
    )
    clauses = (
        Clause(number="1", heading="Parties", body="Acme Corp and Nordlys Øresund ApS (each a “Party”)."),
        Clause(number="2", heading="Purpose", body="Evaluating a pilot.\n\nNothing here obliges either Party to proceed."),
        Clause(number="3", heading="Governing law", body="This agreement is governed by the laws of Delaware."),
        Clause(number="4", heading="Term", body="Confidentiality lasts for [TBD: Confidentiality period]."),
    )
    return ContractDraft(
        draft_id=f"{meeting_id}-nda",
        meeting_id=meeting_id,
        partition_date=DAY,
        contract_type="NDA",
        template_version="nda/1.0",
        title="Mutual Non-Disclosure Agreement — Acme Corp / Nordlys Øresund ApS",
        type_reason=f"{meeting_id}-d004 asks for a signed NDA; d002 sets its governing law.",
        fields=fields,
        clauses=clauses,
    )


def findings(meeting_id: str = MEETING_ID) -> tuple[QAFinding, ...]:
    draft_id = f"{meeting_id}-nda"
    return (
        QAFinding(
            rule_id="TBD-01",
            severity="warning",
            meeting_id=meeting_id,
            draft_id=draft_id,
            field="effective_date",
            message="Effective date is TBD: no decision states it.",
        ),
        QAFinding(
            rule_id="PV-04",
            severity="info",
            meeting_id=meeting_id,
            draft_id=draft_id,
            field="fee_total",
            message="Pilot fee rests on d003 with confidence 0.80.",
            citation=FEE,
        ),
    )


def no_draft(meeting_id: str = MEETING_ID) -> NoDraftRecord:
    return NoDraftRecord(
        meeting_id=meeting_id, partition_date=DAY, reason="No agreement type was discussed; only follow-ups were assigned."
    )


def long_draft(meeting_id: str = MEETING_ID, n_fields: int = 60, n_clauses: int = 60) -> ContractDraft:
    """A draft long enough to span many pages: n fields (every fifth TBD), n clauses, 200+ citations."""
    speakers = ("Zofia Kowalczyk", "Łukasz Wróbel", "Søren Møller", "José Núñez")
    fields = []
    for i in range(n_fields):
        if i % 5 == 4:
            fields.append(DraftField(name=f"field_{i}", label=f"Open term {i}", required=i % 2 == 0))
            continue
        cites = tuple(
            citation(i * 4 + k, speakers[(i + k) % 4], 60.0 * i + 7 * k, f"Point {i}.{k}: we agree on value {i} for €{i}0,000 “as discussed”.")
            for k in range(4)
        )
        fields.append(
            DraftField(
                name=f"field_{i}",
                label=f"Term {i}",
                required=True,
                value=f"Value {i}",
                decision_ids=(f"{meeting_id}-d{i:03d}",),
                citations=cites,
                confidence=0.8,
            )
        )
    body = " ".join(["The Parties agree that this clause applies as written and refers to Value 7."] * 6)
    clauses = tuple(
        Clause(number=str(n + 1), heading=f"Clause heading {n + 1}", body=f"{body}\n\n{body}") for n in range(n_clauses)
    )
    return ContractDraft(
        draft_id=f"{meeting_id}-sow",
        meeting_id=meeting_id,
        partition_date=DAY,
        contract_type="SOW",
        template_version="sow/1.0",
        title="Statement of Work — Nordlys Øresund ApS pilot for Łukasz Wróbel",
        type_reason="Deliverables and milestones were agreed.",
        fields=tuple(fields),
        clauses=clauses,
    )
