"""The offline extractor on the sample inbox: agreed terms, rejected offers left out, owners and dates."""

from __future__ import annotations

import datetime as dt

import pytest

from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline.extraction.vocabulary import TERM_KEYS, TOPICS
from bridge_pipeline.models import Decision, MeetingDecisions
from bridge_pipeline_tests.extraction.meetings import SAMPLE_INBOX, sample_meeting, sample_stems

pytestmark = pytest.mark.skipif(not SAMPLE_INBOX.is_dir(), reason="sample_inbox is not in this checkout")

TIMEZONE = "Europe/Berlin"


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[object, MeetingDecisions]]:
    extractor = OfflineExtractor()
    results = {}
    for stem in sample_stems():
        info, transcript = sample_meeting(stem)
        results[stem] = (transcript, extractor.extract(info, transcript, TIMEZONE))
    return results


def decisions_of(extracted, stem: str) -> tuple[Decision, ...]:
    return extracted[stem][1].decisions


def term_values(decisions, key: str) -> list[str]:
    return [d.terms[key] for d in decisions if key in d.terms]


def only(decisions, key: str) -> Decision:
    [decision] = [d for d in decisions if key in d.terms]
    return decision


def action(decisions, owner: str, words: str) -> Decision:
    [item] = [d for d in decisions if d.kind == "action_item" and d.owner == owner and words in d.text]
    return item


# --- vendor call: NDA and SOW ----------------------------------------------------------------------

def test_vendor_call_names_both_agreements(extracted):
    decisions = decisions_of(extracted, "vendor-call-nordlicht-kowalczyk")
    assert sorted(term_values(decisions, "contract_type")) == ["NDA", "SOW"]


def test_vendor_call_fee_is_the_agreed_48000_cited_where_it_was_accepted(extracted):
    transcript, result = extracted["vendor-call-nordlicht-kowalczyk"]
    fee = only(result.decisions, "fee_total")
    assert fee.terms["fee_total"] == "EUR 48000.00"
    assert [a.value for a in fee.amounts] == [48000]
    accepted = next(u for u in transcript.utterances if u.text.startswith("€48,000 fixed. Okay, we can go with that."))
    assert accepted.index in [c.utterance_index for c in fee.citations]
    assert fee.confidence >= 0.8


def test_vendor_call_rejected_and_replaced_offers_never_become_the_fee(extracted):
    decisions = decisions_of(extracted, "vendor-call-nordlicht-kowalczyk")
    stated = " ".join(value for d in decisions for value in d.terms.values())
    assert "45000" not in stated and "56000" not in stated
    assert term_values(decisions, "fee_total") == ["EUR 48000.00"]


def test_vendor_call_nda_terms(extracted):
    decisions = decisions_of(extracted, "vendor-call-nordlicht-kowalczyk")
    assert term_values(decisions, "nda_direction") == ["mutual"]
    assert term_values(decisions, "confidentiality_period") == ["3 years"]
    assert term_values(decisions, "governing_law") == ["Germany"]
    assert term_values(decisions, "venue") == ["courts of Berlin"]
    nda_term = only(decisions, "term")
    assert nda_term.terms["term"] == "2 years" and nda_term.topic == "nda"


def test_vendor_call_sow_terms_and_parties(extracted):
    decisions = decisions_of(extracted, "vendor-call-nordlicht-kowalczyk")
    assert term_values(decisions, "payment_terms") == ["30 days"]
    assert term_values(decisions, "acceptance") == ["10 business days"]
    assert term_values(decisions, "provider") == ["Nordlicht Analytics GmbH"]
    assert term_values(decisions, "customer") == ["Kowalczyk Logistics Sp. z o.o."]
    deliverables = {d.terms["deliverable"]: d.due_date.value for d in decisions if "deliverable" in d.terms}
    assert deliverables == {
        "data quality report": dt.date(2026, 6, 12),
        "forecasting model": dt.date(2026, 7, 10),
        "planning dashboard": dt.date(2026, 7, 31),
    }
    assert sorted(term_values(decisions, "milestone")) == [
        "EUR 18000.00 when the data quality report is accepted",
        "EUR 30000.00 on acceptance of the dashboard",
    ]


def test_vendor_call_action_items_have_owners_and_resolved_dates(extracted):
    decisions = decisions_of(extracted, "vendor-call-nordlicht-kowalczyk")
    assert action(decisions, "Łukasz Wróbel", "data export").due_date.value == dt.date(2026, 5, 15)
    assert action(decisions, "Søren Østergaard", "transfer bucket").due_date.value == dt.date(2026, 5, 15)
    assert action(decisions, "Jürgen Maaß", "NDA draft").due_date.value == dt.date(2026, 5, 18)
    # Asked by Zofia, accepted by Jürgen: the one who accepts owns it.
    sow_draft = action(decisions, "Jürgen Maaß", "SOW draft")
    assert sow_draft.due_date.value == dt.date(2026, 5, 31)
    assert len(sow_draft.citations) == 2


def test_vendor_call_unanswered_suggestion_is_not_a_decision(extracted):
    decisions = decisions_of(extracted, "vendor-call-nordlicht-kowalczyk")
    assert not any("steering call" in d.text for d in decisions)


# --- other meetings ------------------------------------------------------------------------------

def test_service_review_keeps_agreed_service_levels_not_reported_figures(extracted):
    decisions = decisions_of(extracted, "service-review-helios")
    assert term_values(decisions, "contract_type") == ["SLA"]
    assert term_values(decisions, "uptime_target") == ["99.9"]
    assert term_values(decisions, "response_time") == ["1 hour"]
    assert term_values(decisions, "lower_severity_response") == ["P2: 4 hours"]
    assert term_values(decisions, "service_credit") == ["10% of the monthly fee"]
    assert term_values(decisions, "support_hours") == ["24x7"]
    assert term_values(decisions, "fee_recurring") == ["USD 22000.00 per month"]
    assert term_values(decisions, "governing_law") == ["England and Wales"]
    assert term_values(decisions, "term") == ["12 months"]
    assert term_values(decisions, "renewal") == ["auto-renews for 12 months"]
    assert term_values(decisions, "termination_notice") == ["60 days"]


def test_partnership_call_states_mou_terms_with_party_responsibilities(extracted):
    decisions = decisions_of(extracted, "partnership-call-aurora")
    assert term_values(decisions, "contract_type") == ["MOU"]
    owners = sorted(d.owner for d in decisions if "responsibility" in d.terms)
    assert owners == ["Aurora Bioinformatics Oy", "Instituto Sakura KK"]
    assert term_values(decisions, "binding_provisions") == ["confidentiality and costs"]
    assert term_values(decisions, "exclusivity") == ["none"]
    assert term_values(decisions, "governing_law") == ["Finland"]
    assert term_values(decisions, "term") == ["18 months"]
    assert term_values(decisions, "effective_date") == ["2026-06-01"]
    assert action(decisions, "Mikko Laine", "pipeline documentation").due_date.value == dt.date(2026, 5, 19)
    assert action(decisions, "Beatriz Nakamura", "first draft").due_date.value == dt.date(2026, 5, 29)


def test_follow_up_call_replaces_the_fee_and_moves_the_model(extracted):
    decisions = decisions_of(extracted, "vendor-followup-nordlicht-kowalczyk")
    assert term_values(decisions, "fee_total") == ["EUR 52500.00"]
    model = next(d for d in decisions if d.terms.get("deliverable") == "forecasting model")
    assert model.due_date.value == dt.date(2026, 7, 17)
    # Said on Friday 2026-05-15: "next Friday" is the Friday of the following week.
    assert action(decisions, "Łukasz Wróbel", "full export").due_date.value == dt.date(2026, 5, 22)


def test_standup_states_no_contract_terms(extracted):
    decisions = decisions_of(extracted, "weekly-standup")
    assert all(d.terms == {} and d.topic == "general" for d in decisions)
    assert {d.owner for d in decisions if d.kind == "action_item"} == {"Oluwaseun Adeyemi", "Chen Wei"}


# --- properties of every sample meeting ------------------------------------------------------------

def test_every_decision_cites_real_utterances_verbatim(extracted):
    for stem, (transcript, result) in extracted.items():
        for decision in result.decisions:
            assert decision.citations, decision.decision_id
            for citation in decision.citations:
                utterance = transcript.utterances[citation.utterance_index]
                assert citation.quote and citation.quote in utterance.text, (stem, decision.decision_id)
                assert (citation.speaker, citation.start_s, citation.end_s) == (
                    utterance.speaker, utterance.start_s, utterance.end_s)
                assert citation.meeting_id == result.meeting_id


def test_decisions_use_the_shared_vocabulary(extracted):
    for _, result in extracted.values():
        for decision in result.decisions:
            assert decision.topic in TOPICS
            assert set(decision.terms) <= set(TERM_KEYS)
            assert 0.0 <= decision.confidence <= 1.0


def test_decision_ids_are_numbered_in_order_of_first_citation(extracted):
    for _, result in extracted.values():
        ids = [d.decision_id for d in result.decisions]
        assert ids == [f"{result.meeting_id}-d{n:03d}" for n in range(1, len(ids) + 1)]
        firsts = [d.citations[0].utterance_index for d in result.decisions]
        assert firsts == sorted(firsts)


def test_extraction_is_deterministic():
    info, transcript = sample_meeting("vendor-call-nordlicht-kowalczyk")
    first = OfflineExtractor().extract(info, transcript, TIMEZONE)
    second = OfflineExtractor().extract(info, transcript, TIMEZONE)
    assert first == second
    assert first.model_dump_json() == second.model_dump_json()
    assert first.extractor == "offline-rules/2"
