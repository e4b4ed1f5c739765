"""The drafter picks contract types from decisions and fills fields only from what was stated."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from bridge_pipeline.drafting.contract_type import decision_scope
from bridge_pipeline.drafting.drafter import draft_meeting
from bridge_pipeline.errors import BadInputError, ConfigurationError
from bridge_pipeline.models import MeetingDecisions
from bridge_pipeline_tests.drafting.decision_builders import (
    CLEAN_DECISIONS,
    MEETING_ID,
    amount,
    clean_nda_decisions,
    clean_sow_decisions,
    decision,
    decisions_of,
    meeting,
)


def _id(n: int) -> str:
    return f"{MEETING_ID}-d{n:03d}"


def _only_draft(decisions: MeetingDecisions, **kwargs):
    result = draft_meeting(meeting(), decisions, **kwargs)
    assert result.no_draft is None and len(result.drafts) == 1
    return result.drafts[0]


def test_clean_sow_fields_cite_the_decisions_that_stated_them():
    draft = _only_draft(clean_sow_decisions())
    assert draft.draft_id == f"{MEETING_ID}-sow"
    assert draft.template_version == "1.2.0"
    assert draft.field("provider").decision_ids == (_id(1),)
    assert draft.field("payment_terms").value == "30 days"
    assert draft.field("payment_terms").decision_ids == (_id(8),)
    assert draft.field("payment_terms").citations[0].start_s == 480.0
    assert draft.field("governing_law").value == "England and Wales"
    assert draft.field("end_date").is_tbd


def test_money_keeps_currency_and_the_phrase_as_spoken():
    fee = _only_draft(clean_sow_decisions()).field("fee_total")
    assert fee.value == "EUR 48,000.00"
    assert fee.original_text == "€48,000"


def test_date_keeps_the_spoken_phrase_and_is_rendered_iso():
    effective = _only_draft(clean_sow_decisions()).field("effective_date")
    assert (effective.value, effective.original_text) == ("2026-03-09", "the 9th of March")


def test_nothing_unstated_is_invented():
    decisions = decisions_of(
        decision(1, "Let's do a SOW with Acme Corp.", terms={"contract_type": "SOW"}, parties=("Acme Corp",)),
        decision(2, "A data audit is the deliverable.", terms={"deliverable": "Data audit"}),
    )
    draft = _only_draft(decisions)
    for name in ("effective_date", "fee_total", "customer", "payment_terms", "governing_law"):
        field = draft.field(name)
        assert field.value is None and field.decision_ids == () and field.confidence is None, name
    assert draft.field("other_parties").value == "Acme Corp"
    assert "TBD (Effective date)" in " ".join(c.body for c in draft.clauses)
    assert "TBD (Total fee)" in " ".join(c.body for c in draft.clauses)


def test_later_statement_wins_and_both_stay_in_provenance():
    decisions = decisions_of(
        *clean_sow_decisions().decisions,
        decision(13, "Actually make it €50,000.", terms={"fee_total": "EUR 50000.00"}, at=2000,
                 amounts=(amount("€50,000", "50000"),), confidence=0.7),
    )
    fee = _only_draft(decisions).field("fee_total")
    assert fee.value == "EUR 50,000.00"
    assert fee.decision_ids == (_id(7), _id(13))
    assert [c.start_s for c in fee.citations] == [420.0, 2000.0]
    assert fee.confidence == 0.7


def test_later_means_later_in_the_meeting_not_a_higher_id():
    decisions = decisions_of(
        decision(1, "Term two years.", terms={"contract_type": "NDA", "term": "2 years"}, at=900),
        decision(2, "Term one year.", terms={"term": "1 year"}, at=100),
    )
    assert _only_draft(decisions).field("term").value == "2 years"


def test_list_fields_collect_every_item_with_due_dates_and_amounts():
    draft = _only_draft(clean_sow_decisions())
    assert draft.field("milestones").value == (
        "Plan sign-off (due 2026-03-20, EUR 20,000.00); Cut-over (due 2026-04-30, EUR 28,000.00)"
    )
    assert draft.field("milestones").decision_ids == (_id(5), _id(6))


def test_milestone_that_names_its_amount_does_not_repeat_it():
    decisions = decisions_of(
        decision(1, "SOW.", terms={"contract_type": "SOW", "milestone": "EUR 18000.00 when the report is accepted"},
                 amounts=(amount("€18,000", "18000"),)),
    )
    assert _only_draft(decisions).field("milestones").value == "EUR 18000.00 when the report is accepted (due date TBD)"


def test_list_item_without_due_date_says_so():
    decisions = decisions_of(
        decision(1, "SOW.", terms={"contract_type": "SOW", "deliverable": "Runbook"}),
    )
    assert _only_draft(decisions).field("deliverables").value == "Runbook (due date TBD, owner TBD)"


def test_list_field_confidence_is_the_weakest_item():
    decisions = decisions_of(
        decision(1, "SOW.", terms={"contract_type": "SOW", "deliverable": "Runbook"}, confidence=0.9),
        decision(2, "And a report.", terms={"deliverable": "Report"}, confidence=0.55),
    )
    assert _only_draft(decisions).field("deliverables").confidence == 0.55


def test_field_confidence_is_that_of_the_decision():
    decisions = decisions_of(decision(1, "NDA, 3 years.", terms={"contract_type": "NDA", "confidentiality_period": "3 years"},
                                      confidence=0.42))
    assert _only_draft(decisions).field("confidentiality_period").confidence == 0.42


def test_enumerated_value_is_shown_in_words_and_percent_with_sign():
    nda = _only_draft(clean_nda_decisions())
    assert nda.field("direction").value.startswith("mutual")
    sla = _only_draft(CLEAN_DECISIONS["SLA"]())
    assert sla.field("uptime_target").value == "99.9%"
    assert sla.field("fee_recurring").value == "EUR 5,000.00 per month"


def test_explicit_contract_type_wins_over_evidence():
    decisions = decisions_of(
        decision(1, "We sign an NDA.", terms={"contract_type": "nda"}),
        decision(2, "Uptime 99.9.", terms={"uptime_target": "99.9"}),
    )
    draft = _only_draft(decisions)
    assert draft.contract_type == "NDA"
    assert _id(1) in draft.type_reason and "contract type" in draft.type_reason


@pytest.mark.parametrize(
    "terms, expected",
    [
        ([{"uptime_target": "99.9"}], "SLA"),
        ([{"service_credit": "10%"}], "SLA"),
        ([{"deliverable": "Plan"}, {"fee_total": "EUR 100.00"}], "SOW"),
        ([{"confidentiality_period": "2 years"}], "NDA"),
        ([{"scope": "Joint research"}], "MOU"),
    ],
)
def test_evidence_chooses_the_type_and_names_the_decisions(terms, expected):
    decisions = decisions_of(*(decision(n + 1, terms=t) for n, t in enumerate(terms)))
    draft = _only_draft(decisions)
    assert draft.contract_type == expected
    assert all(_id(n + 1) in draft.type_reason for n in range(len(terms)))


def test_deliverables_without_fees_are_not_enough_for_a_sow():
    result = draft_meeting(meeting(), decisions_of(decision(1, terms={"deliverable": "Slides"})))
    assert result.drafts == () and result.no_draft is not None


def test_one_meeting_can_yield_an_nda_and_a_sow():
    decisions = decisions_of(
        decision(1, "NDA first, then the SOW.", terms={"contract_type": "NDA"}, parties=("Acme Corp", "Globex Ltd")),
        decision(2, "And the statement of work.", terms={"contract_type": "Statement of Work"}),
        decision(3, terms={"deliverable": "Plan", "fee_total": "EUR 9000.00"}),
    )
    result = draft_meeting(meeting(), decisions)
    assert [d.draft_id for d in result.drafts] == [f"{MEETING_ID}-nda", f"{MEETING_ID}-sow"]
    assert result.drafts[1].field("fee_total").value == "EUR 9,000.00"
    assert result.drafts[0].field("fee_total") is None


def test_meeting_without_agreement_records_what_was_looked_for():
    decisions = decisions_of(
        decision(1, "Ship the release notes by Friday.", kind="action_item", owner="Dan"),
        decision(2, "We'll revisit the roadmap.", topic="general"),
    )
    result = draft_meeting(meeting(), decisions)
    assert result.drafts == ()
    reason = result.no_draft.reason
    assert "2 decisions" in reason and "contract_type" in reason
    for looked_for in ("NDA", "SOW", "SLA", "MOU", "uptime_target", "deliverable"):
        assert looked_for in reason
    assert result.no_draft.partition_date == dt.date(2026, 3, 2)


def test_meeting_without_decisions_says_so():
    result = draft_meeting(meeting(), decisions_of())
    assert "no decisions" in result.no_draft.reason


def test_unknown_contract_type_is_named_in_the_no_draft_reason():
    result = draft_meeting(meeting(), decisions_of(decision(1, terms={"contract_type": "MSA"})))
    assert "'MSA'" in result.no_draft.reason and _id(1) in result.no_draft.reason


def test_output_does_not_depend_on_decision_order():
    decisions = clean_sow_decisions()
    shuffled = list(decisions.decisions)
    random.Random(7).shuffle(shuffled)
    again = MeetingDecisions(meeting_id=decisions.meeting_id, decisions=tuple(shuffled), extractor="test/1")
    assert draft_meeting(meeting(), decisions) == draft_meeting(meeting(), again)


@pytest.mark.parametrize("contract_type", sorted(CLEAN_DECISIONS))
def test_rendered_clauses_have_no_template_syntax_left(contract_type):
    draft = _only_draft(CLEAN_DECISIONS[contract_type]())
    text = " ".join(c.body for c in draft.clauses)
    assert not re.search(r"[{}]", text)
    optional_labels = {f.label for f in draft.fields if not f.required}
    assert set(re.findall(r"TBD \(([^)]*)\)", text)) <= optional_labels


def test_meeting_date_in_the_draft_uses_the_pipeline_timezone():
    late = meeting(started_at=dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.timezone.utc))
    result = draft_meeting(late, clean_nda_decisions(), timezone="Europe/Warsaw")
    assert "held on 2026-03-03" in result.drafts[0].clauses[0].body
    assert "held on 2026-03-02" in draft_meeting(late, clean_nda_decisions()).drafts[0].clauses[0].body


def test_unknown_timezone_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="Mars/Olympus"):
        draft_meeting(meeting(), clean_nda_decisions(), timezone="Mars/Olympus")


def test_decisions_of_another_meeting_are_rejected():
    with pytest.raises(BadInputError, match="other-meeting"):
        draft_meeting(meeting(), decisions_of(meeting_id="other-meeting"))


def test_mou_action_items_of_the_mou_topic_become_responsibilities():
    decisions = decisions_of(
        decision(1, "MoU between Acme Corp and Globex Ltd.", terms={"contract_type": "MOU"}, topic="mou"),
        decision(2, "Globex Ltd hosts the kickoff workshop.", topic="mou", kind="action_item", owner="Globex Ltd"),
        decision(3, "Dan books the room.", topic="general", kind="action_item", owner="Dan"),
    )
    field = _only_draft(decisions).field("responsibilities")
    assert field.value == "Globex Ltd hosts the kickoff workshop. (owner: Globex Ltd, due date TBD)"
    assert field.decision_ids == (_id(2),)


def test_term_stated_for_another_contract_does_not_fill_this_one():
    decisions = decisions_of(
        decision(1, "NDA and SOW today.", terms={"contract_type": "NDA"}),
        decision(2, "Statement of work too.", terms={"contract_type": "SOW", "deliverable": "Plan"}),
        decision(3, "So a two-year term for the NDA.", topic="term", terms={"term": "2 years"}),
        decision(4, "The SOW itself runs six months.", topic="term", terms={"term": "6 months"}),
        decision(5, "German law for everything.", topic="law", terms={"governing_law": "Germany"}),
    )
    nda, sow = draft_meeting(meeting(), decisions).drafts
    assert (nda.field("term").value, nda.field("term").decision_ids) == ("2 years", (_id(3),))
    assert (sow.field("term").value, sow.field("term").decision_ids) == ("6 months", (_id(4),))
    assert nda.field("governing_law").value == sow.field("governing_law").value == "Germany"


@pytest.mark.parametrize(
    "text, topic, expected",
    [
        ("So a two-year term for the NDA.", "term", {"NDA"}),
        ("Statement of work and service level agreement both start in May.", "dates", {"SOW", "SLA"}),
        ("We sow the seeds of this in May.", "general", set()),
        ("Our MoU comes first, the SoW later.", "general", {"MOU", "SOW"}),
        ("Uptime of 99.9.", "sla", {"SLA"}),
    ],
)
def test_decision_scope_reads_topic_and_named_contracts(text, topic, expected):
    assert decision_scope(decision(1, text, topic=topic)) == expected


def test_a_named_sla_and_agreed_work_and_money_make_both_drafts():
    decisions = decisions_of(
        decision(1, "We sign an SLA.", terms={"contract_type": "SLA"}),
        decision(2, "Uptime 99.9.", terms={"uptime_target": "99.9"}),
        decision(3, "Migration of the platform.", terms={"deliverable": "Migration of the platform"}),
        decision(4, "Fixed fee.", terms={"fee_total": "USD 96000.00"}),
    )
    outcome = draft_meeting(meeting(), decisions)
    assert {d.contract_type for d in outcome.drafts} == {"SLA", "SOW"}


def test_a_company_named_only_in_an_action_item_is_not_listed_as_a_party():
    from bridge_pipeline_tests.extraction.meetings import synthetic_meeting
    from bridge_pipeline.extraction.offline import OfflineExtractor

    info, transcript = synthetic_meeting([
        ("Ana", "The statement of work is between Acme Robotics GmbH and Globex Analytics AB."),
        ("Ben", "Agreed, those two."),
        ("Ben", "I'll send the pen layout of Nubeena Seafarms Pty Ltd by Tuesday."),
    ], title="Acme / Globex statement of work")
    outcome = draft_meeting(info, OfflineExtractor().extract(info, transcript, "UTC"))
    values = " ".join(str(f.value) for f in outcome.drafts[0].fields if f.value)
    assert "Acme Robotics GmbH" in values and "Nubeena" not in values
