"""run_qa applies every rule in a stable order; clean drafts pass; TBD warns but never blocks."""

from __future__ import annotations

import pytest

from bridge_pipeline.drafting.drafter import draft_meeting
from bridge_pipeline.errors import BadInputError
from bridge_pipeline.qa.runner import RULES, blocking, rules_markdown, run_qa
from bridge_pipeline_tests.drafting.decision_builders import (
    CLEAN_DECISIONS,
    MEETING_ID,
    decision,
    decisions_of,
    meeting,
)
from bridge_pipeline_tests.qa.scenarios import clean, plus


def test_registry_lists_many_unique_rules_with_severity_and_title():
    ids = [r.rule_id for r in RULES]
    assert len(ids) >= 40 and len(ids) == len(set(ids))
    assert {r.severity for r in RULES} == {"blocking", "warning", "info"}
    assert all(r.title for r in RULES)
    assert next(r for r in RULES if r.rule_id == "SL-01").applies_to == ("SLA",)


@pytest.mark.parametrize("contract_type", sorted(CLEAN_DECISIONS))
def test_draft_from_clean_decisions_has_no_findings(contract_type):
    findings = clean(contract_type).findings()
    assert blocking(findings) == []
    assert findings == [], [f.message for f in findings]


def test_first_draft_with_tbd_fields_warns_but_does_not_block():
    decisions = decisions_of(
        decision(1, "Acme Corp and Globex Ltd will sign an NDA.", terms={"contract_type": "NDA"},
                 parties=("Acme Corp", "Globex Ltd")),
    )
    draft = draft_meeting(meeting(), decisions).drafts[0]
    findings = run_qa(draft, decisions, meeting())
    assert blocking(findings) == []
    tbd = {f.field for f in findings if f.rule_id == "PH-01"}
    assert {"effective_date", "purpose", "confidentiality_period", "governing_law"} <= tbd
    assert all(f.severity == "warning" for f in findings if f.rule_id == "PH-01")


def test_findings_are_ordered_blocking_first_and_repeatable():
    scenario = plus("SOW", decision(13, terms={"fee_total": "EUR 50000.00", "term": "1 year"}))
    first, second = scenario.findings(), scenario.findings()
    assert first == second
    ranks = [{"blocking": 0, "warning": 1, "info": 2}[f.severity] for f in first]
    assert ranks == sorted(ranks) and ranks[0] == 0


def test_message_names_the_field_and_each_citation_by_speaker_and_time():
    findings = plus("SOW", decision(13, terms={"fee_total": "EUR 50000.00"}, speaker="Dan Brooks")).findings()
    amounts = next(f for f in findings if f.rule_id == "MN-01")
    assert amounts.field == "fee_total"
    assert amounts.message.startswith("fee_total")
    assert "EUR 48,000.00 (Zofia Kowalczyk at 00:07:00)" in amounts.message
    assert "EUR 50,000.00 (Dan Brooks at 00:13:00)" in amounts.message
    assert amounts.citation.speaker == "Dan Brooks"
    assert (amounts.meeting_id, amounts.draft_id) == (MEETING_ID, f"{MEETING_ID}-sow")


def test_low_confidence_threshold_is_configurable():
    scenario = clean("NDA")  # every decision at confidence 0.9
    draft = draft_meeting(scenario.meeting, scenario.decisions).drafts[0]
    assert not [f for f in run_qa(draft, scenario.decisions, scenario.meeting) if f.rule_id == "PV-04"]
    strict = run_qa(draft, scenario.decisions, scenario.meeting, low_confidence_threshold=0.95)
    assert {f.field for f in strict if f.rule_id == "PV-04"} >= {"party_a", "confidentiality_period"}


def test_type_specific_rules_only_run_on_their_type():
    # An impossible uptime target in an NDA meeting: SL-01 would block an SLA, but an NDA has no uptime field.
    scenario = plus("NDA", decision(9, terms={"uptime_target": "150", "exclusivity": "12 months"}))
    findings = scenario.findings()
    assert "SL-01" not in {f.rule_id for f in findings}
    assert {"ST-01", "ND-04"} <= {f.rule_id for f in findings}


def test_decisions_of_another_meeting_are_refused():
    scenario = clean("NDA")
    draft = draft_meeting(scenario.meeting, scenario.decisions).drafts[0]
    with pytest.raises(BadInputError, match="other"):
        run_qa(draft, decisions_of(meeting_id="other"), scenario.meeting)


def test_rules_table_lists_every_rule_once():
    table = rules_markdown()
    assert table.count("\n| ") == len(RULES)
    assert "| MN-03 | blocking | SOW | Milestone payments do not add up to the total fee |" in table
