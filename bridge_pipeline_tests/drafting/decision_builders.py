"""Small builders for meetings and decisions written directly in tests (no extractor involved)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bridge_pipeline.models import Amount, Citation, DateMention, Decision, MeetingDecisions, MeetingInfo

MEETING_ID = "inbox-2026-03-02-acme-globex"
MEETING_DAY = dt.date(2026, 3, 2)


def meeting(meeting_id: str = MEETING_ID, day: dt.date = MEETING_DAY, started_at: dt.datetime | None = None) -> MeetingInfo:
    return MeetingInfo(
        meeting_id=meeting_id,
        partition_date=day,
        source="inbox",
        source_id=f"{meeting_id}.vtt",
        title="Acme / Globex weekly",
        started_at=started_at or dt.datetime(day.year, day.month, day.day, 15, 0, tzinfo=dt.timezone.utc),
        participants=("Zofia Kowalczyk", "Dan Brooks"),
        content_sha256="0" * 64,
        raw_blob_key=f"raw/{meeting_id}.vtt",
    )


def amount(text: str, value: str, currency: str = "EUR") -> Amount:
    return Amount(value=Decimal(value), currency=currency, text=text)


def decision(
    n: int,
    text: str = "Agreed.",
    *,
    terms: dict[str, str] | None = None,
    topic: str = "general",
    at: float | None = None,
    speaker: str = "Zofia Kowalczyk",
    confidence: float = 0.9,
    parties: tuple[str, ...] = (),
    amounts: tuple[Amount, ...] = (),
    due: dt.date | None = None,
    due_text: str | None = None,
    owner: str | None = None,
    kind: str = "decision",
    meeting_id: str = MEETING_ID,
) -> Decision:
    start = float(at if at is not None else 60 * n)
    return Decision(
        decision_id=f"{meeting_id}-d{n:03d}",
        meeting_id=meeting_id,
        kind=kind,
        text=text,
        topic=topic,
        owner=owner,
        due_date=DateMention(value=due, text=due_text or due.isoformat()) if due else None,
        amounts=amounts,
        parties=parties,
        terms=terms or {},
        confidence=confidence,
        citations=(
            Citation(
                meeting_id=meeting_id,
                utterance_index=n,
                start_s=start,
                end_s=start + 5,
                speaker=speaker,
                quote=text,
            ),
        ),
    )


def decisions_of(*items: Decision, meeting_id: str = MEETING_ID) -> MeetingDecisions:
    return MeetingDecisions(meeting_id=meeting_id, decisions=tuple(items), extractor="test/1")


def clean_sow_decisions() -> MeetingDecisions:
    """A SOW meeting where everything a SOW needs was stated once and consistently."""
    return decisions_of(
        decision(1, "Acme Corp will provide the migration services to Globex Ltd.", topic="parties",
                 terms={"provider": "Acme Corp", "customer": "Globex Ltd"}, parties=("Acme Corp", "Globex Ltd")),
        decision(2, "We'll paper this as a statement of work.", topic="sow", terms={"contract_type": "SOW"}),
        decision(3, "Scope is migrating the billing platform to the new cloud.", topic="sow",
                 terms={"services_description": "Migration of the billing platform to the new cloud"}),
        decision(4, "Migration plan due by the 16th of March.", topic="sow", terms={"deliverable": "Migration plan"},
                 due=dt.date(2026, 3, 16), due_text="by the 16th of March", owner="Acme Corp", kind="action_item"),
        decision(5, "Phase one, plan sign-off, pays twenty thousand euros on March 20th.", topic="sow",
                 terms={"milestone": "Plan sign-off"}, due=dt.date(2026, 3, 20), amounts=(amount("€20,000", "20000"),)),
        decision(6, "Phase two, cut-over, pays twenty-eight thousand by April 30th.", topic="sow",
                 terms={"milestone": "Cut-over"}, due=dt.date(2026, 4, 30), amounts=(amount("€28,000", "28000"),)),
        decision(7, "Total is €48,000 fixed.", topic="fees", terms={"fee_total": "EUR 48000.00"},
                 amounts=(amount("€48,000", "48000"),)),
        decision(8, "Invoices on each milestone, payable in 30 days.", topic="fees",
                 terms={"invoice_cadence": "on milestone", "payment_terms": "30 days"}),
        decision(9, "Acceptance within ten business days of delivery.", topic="sow",
                 terms={"acceptance": "Customer accepts or rejects within 10 business days of delivery"}),
        decision(10, "Start on the 9th of March, six months.", topic="dates",
                 terms={"effective_date": "2026-03-09", "term": "6 months"}, due=dt.date(2026, 3, 9), due_text="the 9th of March"),
        decision(11, "Either side can end it on 30 days' notice.", topic="term",
                 terms={"termination_notice": "30 days", "renewal": "no renewal"}),
        decision(12, "English law, London courts.", topic="law",
                 terms={"governing_law": "England and Wales", "venue": "the courts of London"}),
    )


def clean_nda_decisions() -> MeetingDecisions:
    return decisions_of(
        decision(1, "Acme Corp and Globex Ltd will sign a mutual NDA before sharing the tender files.", topic="nda",
                 terms={"contract_type": "NDA", "nda_direction": "mutual"}, parties=("Acme Corp", "Globex Ltd")),
        decision(2, "The purpose is evaluating a joint bid for the city transit tender.", topic="nda",
                 terms={"purpose": "Evaluating a joint bid for the city transit tender"}),
        decision(3, "It starts on the ninth, runs two years, thirty days' notice to end it.", topic="term",
                 terms={"effective_date": "2026-03-09", "term": "2 years", "termination_notice": "30 days"}),
        decision(4, "Confidentiality lasts three years.", topic="nda", terms={"confidentiality_period": "3 years"}),
        decision(5, "Delaware law, courts of New Castle County.", topic="law",
                 terms={"governing_law": "Delaware", "venue": "the courts of New Castle County, Delaware"}),
    )


def clean_mou_decisions() -> MeetingDecisions:
    return decisions_of(
        decision(1, "Acme Corp and Globex Ltd sign an MoU to explore battery recycling together.", topic="mou",
                 terms={"contract_type": "MOU", "purpose": "Exploring a joint battery recycling programme"},
                 parties=("Acme Corp", "Globex Ltd")),
        decision(2, "Scope is joint research on recycling lithium cells.", topic="mou",
                 terms={"scope": "Joint research on recycling lithium cells"}),
        decision(3, "Acme Corp provides lab access by April 1st.", topic="mou", kind="action_item",
                 terms={"responsibility": "Provide lab access"}, owner="Acme Corp", due=dt.date(2026, 4, 1)),
        decision(4, "Globex Ltd supplies sample batteries by April 15th.", topic="mou", kind="action_item",
                 terms={"responsibility": "Supply sample batteries"}, owner="Globex Ltd", due=dt.date(2026, 4, 15)),
        decision(5, "Only confidentiality and costs are binding.", topic="mou",
                 terms={"binding_provisions": "confidentiality and costs only"}),
        decision(6, "Starts March 9th for one year, thirty days' notice.", topic="term",
                 terms={"effective_date": "2026-03-09", "term": "1 year", "termination_notice": "30 days"}),
        decision(7, "English law, London courts.", topic="law",
                 terms={"governing_law": "England and Wales", "venue": "the courts of London"}),
    )


def clean_sla_decisions() -> MeetingDecisions:
    return decisions_of(
        decision(1, "Acme Corp hosts the billing platform for Globex Ltd under an SLA.", topic="sla",
                 terms={"contract_type": "SLA", "provider": "Acme Corp", "customer": "Globex Ltd"},
                 parties=("Acme Corp", "Globex Ltd")),
        decision(2, "The service is the hosted billing platform.", topic="sla",
                 terms={"services_description": "Hosted billing platform"}),
        decision(3, "Three nines, measured per calendar month.", topic="sla",
                 terms={"uptime_target": "99.9", "measurement_window": "calendar month"}),
        decision(4, "P1 gets a response within an hour.", topic="sla", terms={"response_time": "1 hour"}),
        decision(5, "P2 within four hours.", topic="sla", terms={"lower_severity_response": "P2: 4 hours"}),
        decision(6, "Ten percent credit if we miss it.", topic="sla",
                 terms={"service_credit": "10% of the monthly fee when uptime falls below target"}),
        decision(7, "Support is 24x7.", topic="sla", terms={"support_hours": "24x7"}),
        decision(8, "Five thousand euros a month, paid in thirty days.", topic="fees",
                 terms={"fee_recurring": "EUR 5000.00 per month", "payment_terms": "30 days"},
                 amounts=(amount("€5,000", "5000"),)),
        decision(9, "From April 1st for twelve months, auto-renewing, sixty days' notice.", topic="term",
                 terms={"effective_date": "2026-04-01", "term": "12 months",
                        "renewal": "auto-renews for 12 months", "termination_notice": "60 days"}),
        decision(10, "Dutch law, Amsterdam courts.", topic="law",
                 terms={"governing_law": "the Netherlands", "venue": "the courts of Amsterdam"}),
    )


CLEAN_DECISIONS = {
    "NDA": clean_nda_decisions,
    "MOU": clean_mou_decisions,
    "SOW": clean_sow_decisions,
    "SLA": clean_sla_decisions,
}
