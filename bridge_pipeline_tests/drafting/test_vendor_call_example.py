"""End to end over hand-written decisions of the sample vendor call (NDA and SOW in one meeting)."""

from __future__ import annotations

import datetime as dt

import pytest

from bridge_pipeline.drafting.drafter import draft_meeting
from bridge_pipeline.qa.runner import blocking, run_qa
from bridge_pipeline_tests.drafting.decision_builders import amount, decision, decisions_of, meeting

MEETING = "inbox-2026-05-14-vendor-call-nordlicht-kowalczyk"
DAY = dt.date(2026, 5, 14)
ZOFIA, JURGEN, SOREN = "Zofia Kowalczyk", "Jürgen Maaß", "Søren Østergaard"


def _d(n, at, speaker, text, **kwargs):
    return decision(n, text, at=at, speaker=speaker, meeting_id=MEETING, **kwargs)


def vendor_call_decisions():
    return decisions_of(
        _d(1, 39.7, ZOFIA, "On our side the contracting entity is Kowalczyk Logistics Sp. z o.o.", topic="parties",
           parties=("Kowalczyk Logistics Sp. z o.o.",)),
        _d(2, 47.8, JURGEN, "And on ours it's Nordlicht Analytics GmbH.", topic="parties",
           parties=("Nordlicht Analytics GmbH",)),
        _d(3, 64.8, ZOFIA, "Agreed, mutual it is.", topic="nda", terms={"contract_type": "NDA", "nda_direction": "mutual"}),
        _d(4, 77.9, ZOFIA, "Route forecasting for our Polish and German lanes, that's it.", topic="nda",
           terms={"purpose": "Evaluating and delivering the route forecasting pilot for Polish and German lanes"}),
        _d(5, 89.0, JURGEN, "So a two-year term for the NDA.", topic="term", terms={"term": "2 years"}),
        _d(6, 104.0, JURGEN, "Three years of confidentiality, confirmed.", topic="nda",
           terms={"confidentiality_period": "3 years"}),
        _d(7, 134.0, ZOFIA, "German law and Berlin courts, fine, we can accept that.", topic="law",
           terms={"governing_law": "Germany", "venue": "the courts of Berlin"}),
        _d(8, 146.0, SOREN, "The services are a route forecasting model plus a planning dashboard.", topic="sow",
           terms={"contract_type": "SOW",
                  "services_description": "Route forecasting model for road freight lanes and a planning dashboard"}),
        _d(9, 160.1, SOREN, "First, a data quality report by June 12.", topic="sow", kind="action_item",
           terms={"deliverable": "Data quality report"}, due=dt.date(2026, 6, 12), due_text="June 12"),
        _d(10, 160.2, SOREN, "Second, the forecasting model itself by July 10.", topic="sow", kind="action_item",
           terms={"deliverable": "Forecasting model"}, due=dt.date(2026, 7, 10), due_text="July 10"),
        _d(11, 160.3, SOREN, "Third, the planning dashboard by July 31.", topic="sow", kind="action_item",
           terms={"deliverable": "Planning dashboard"}, due=dt.date(2026, 7, 31), due_text="July 31"),
        _d(12, 212.0, ZOFIA, "€48,000 fixed. Okay, we can go with that.", topic="fees",
           terms={"fee_total": "EUR 48000.00"}, amounts=(amount("€48,000", "48000"),)),
        _d(13, 220.1, JURGEN, "€18,000 when the data quality report is accepted.", topic="fees",
           terms={"milestone": "Data quality report accepted"}, amounts=(amount("€18,000", "18000"),)),
        _d(14, 220.2, JURGEN, "€30,000 on acceptance of the dashboard.", topic="fees",
           terms={"milestone": "Planning dashboard accepted"}, amounts=(amount("€30,000", "30000"),)),
        _d(15, 233.0, JURGEN, "Thirty days from invoice works for us.", topic="fees", terms={"payment_terms": "30 days"}),
        _d(16, 250.0, ZOFIA, "Ten business days is okay.", topic="sow",
           terms={"acceptance": "10 business days to review each deliverable; silence counts as acceptance"}),
        _d(17, 395.0, JURGEN, "Nordlicht Analytics GmbH as the provider and Kowalczyk Logistics Sp. z o.o. as the customer.",
           topic="parties", terms={"provider": "Nordlicht Analytics GmbH", "customer": "Kowalczyk Logistics Sp. z o.o."},
           parties=("Nordlicht Analytics GmbH", "Kowalczyk Logistics Sp. z o.o.")),
        meeting_id=MEETING,
    )


@pytest.fixture(scope="module")
def drafted():
    info = meeting(MEETING, DAY, started_at=dt.datetime(2026, 5, 14, 8, 0, tzinfo=dt.timezone.utc))
    decisions = vendor_call_decisions()
    return info, decisions, draft_meeting(info, decisions, timezone="Europe/Berlin")


def test_vendor_call_yields_an_nda_and_a_sow(drafted):
    _, _, result = drafted
    assert [d.contract_type for d in result.drafts] == ["NDA", "SOW"]


def test_vendor_call_nda_carries_what_was_agreed_and_leaves_the_start_date_open(drafted):
    nda = drafted[2].drafts[0]
    values = {f.name: f.value for f in nda.fields}
    assert values["party_a"] == "Kowalczyk Logistics Sp. z o.o."
    assert values["party_b"] == "Nordlicht Analytics GmbH"
    assert values["term"] == "2 years" and values["confidentiality_period"] == "3 years"
    assert (values["governing_law"], values["venue"]) == ("Germany", "the courts of Berlin")
    assert values["effective_date"] is None


def test_vendor_call_sow_milestones_add_up_and_nothing_blocks(drafted):
    info, decisions, result = drafted
    sow = result.drafts[1]
    assert sow.field("provider").value == "Nordlicht Analytics GmbH"
    assert sow.field("fee_total").value == "EUR 48,000.00"
    assert sow.field("deliverables").value.count("due 2026-") == 3
    assert sow.field("term").is_tbd  # "a two-year term for the NDA" says nothing about the SOW
    findings = run_qa(sow, decisions, info)
    assert blocking(findings) == []
    ids = {f.rule_id for f in findings}
    assert {"SW-03", "PH-01", "MN-05"} <= ids  # undated milestones, invoicing never discussed
    assert "MN-03" not in ids


def test_vendor_call_rejected_counter_offer_recorded_as_a_fee_would_block(drafted):
    info, decisions, _ = drafted
    mistaken = decisions_of(
        *decisions.decisions,
        _d(18, 182.0, ZOFIA, "Could you do €45,000?", topic="fees", terms={"fee_total": "EUR 45000.00"},
           amounts=(amount("€45,000", "45000"),)),
        meeting_id=MEETING,
    )
    sow = draft_meeting(info, mistaken).drafts[1]
    assert sow.field("fee_total").value == "EUR 48,000.00"  # the later statement wins
    findings = run_qa(sow, mistaken, info)
    assert [f.rule_id for f in blocking(findings)] == ["MN-01"]
    assert "Zofia Kowalczyk at 00:03:02" in blocking(findings)[0].message
