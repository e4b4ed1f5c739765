"""Every QA rule fires on a draft that has its problem and stays quiet on a near miss."""

from __future__ import annotations

import datetime as dt

import pytest

from bridge_pipeline.qa.context import cite
from bridge_pipeline.qa.runner import RULES
from bridge_pipeline_tests.qa.scenarios import (
    MEETING_ID,
    amount,
    checked_against,
    clean,
    decision,
    draft_edit,
    due_on,
    edit,
    meeting,
    merge_terms,
    plus,
    set_clause,
    set_field,
    terms,
    without,
)

D = dt.date

# rule id -> (scenarios that must fire it, scenarios that must not); each scenario labelled for the test id.
CASES = {
    "PH-01": ([("law TBD", lambda: without("SOW", 12))], [("clean", lambda: clean("SOW"))]),
    "PH-02": ([("placeholder left", lambda: draft_edit("SOW", set_clause("5", "The fee is {fee_total}.")))],
              [("clean", lambda: clean("SOW"))]),
    "PH-04": ([("fee missing from text", lambda: draft_edit("SOW", set_clause("5", "The fee is agreed.")))],
              [("clean", lambda: clean("SOW"))]),
    "PH-07": ([("law TBD", lambda: without("NDA", 5))], [("all filled", lambda: clean("NDA"))]),
    "ST-01": ([("SLA terms in an NDA meeting", lambda: plus("NDA", decision(9, terms={"uptime_target": "99.9"})))],
              [("SLA drafted", lambda: clean("SLA"))]),
    "ST-04": ([("clause dropped", lambda: draft_edit("NDA", set_clause("8", None)))], [("clean", lambda: clean("NDA"))]),
    "PV-01": ([("value without decision", lambda: draft_edit("SOW", set_field("end_date", value="2026-09-09")))],
              [("clean", lambda: clean("SOW"))]),
    "PV-03": ([("unknown decision", lambda: draft_edit(
                   "SOW", set_field("venue", decision_ids=(f"{MEETING_ID}-d999",))))],
              [("clean", lambda: clean("SOW"))]),
    "PV-04": ([("fee at 0.4", lambda: edit("SOW", 7, confidence=0.4))],
              [("fee at the threshold", lambda: edit("SOW", 7, confidence=0.6)),
               ("optional field at 0.4", lambda: edit("SOW", 11, confidence=0.4))]),
    "PV-05": ([("term restated differently", lambda: plus("SOW", decision(13, terms={"term": "12 months"}))),
               ("provider changed", lambda: plus("SOW", decision(13, terms={"provider": "Initech LLC"})))],
              [("term restated the same", lambda: plus("SOW", decision(13, terms={"term": "6 months"}))),
               ("provider restated by short name", lambda: plus("SOW", decision(13, terms={"provider": "Acme"})))]),
    "PV-07": ([("fee in an NDA meeting", lambda: plus("NDA", decision(9, terms={"fee_total": "EUR 10.00"})))],
              [("clean", lambda: clean("NDA"))]),
    "PV-09": ([("other meeting", lambda: checked_against("NDA", meeting(meeting_id="other-meeting")))],
              [("clean", lambda: clean("NDA"))]),
    "PT-01": ([("one party", lambda: edit("SOW", 1, terms={"provider": "Acme Corp"}, parties=("Acme Corp",)))],
              [("two parties", lambda: clean("SOW")),
               ("two parties without roles", lambda: edit("SOW", 1, terms={}))]),
    "PT-04": ([("same org twice", lambda: edit("SOW", 1, terms={"provider": "Acme Corp", "customer": "ACME corp."}))],
              [("clean", lambda: clean("SOW"))]),
    "PT-02": ([("no roles stated", lambda: edit("SOW", 1, terms={}))], [("clean", lambda: clean("SOW"))]),
    "PT-03": ([("names not in quote", lambda: edit("SOW", 1, citations=(
                   clean("SOW").decisions.decisions[0].citations[0].model_copy(update={"quote": "They serve them."}),)))],
              [("clean", lambda: clean("SOW"))]),
    "PT-05": ([("short name", lambda: edit("SOW", 1, terms={"provider": "Acme", "customer": "Globex Ltd"},
                                           parties=("Acme", "Globex Ltd")))],
              [("clean", lambda: clean("SOW"))]),
    "PT-08": ([("two legal forms", lambda: plus("SOW", decision(13, "Acme Inc signs.", parties=("Acme Inc",))))],
              [("short form only", lambda: plus("SOW", decision(13, "Acme signs.", parties=("Acme",))))]),
    "DT-04": ([("relative date", lambda: merge_terms("SOW", 10, effective_date="next Monday"))],
              [("clean", lambda: clean("SOW"))]),
    "DT-01": ([("ends before start", lambda: merge_terms("SOW", 10, term="", end_date="2026-01-01"))],
              [("ends after start", lambda: merge_terms("SOW", 10, end_date="2026-09-09"))]),
    "DT-02": ([("deliverable before start", lambda: due_on("SOW", 4, D(2026, 3, 5))),
               ("milestone after end", lambda: merge_terms("SOW", 10, term="1 month"))],
              [("clean", lambda: clean("SOW"))]),
    "DT-03": ([("backdated", lambda: merge_terms("SOW", 10, effective_date="2026-02-01"))],
              [("starts on meeting day", lambda: merge_terms("SOW", 10, effective_date="2026-03-02"))]),
    "DT-10": ([("starts in 2027", lambda: merge_terms("NDA", 3, effective_date="2027-06-01"))],
              [("clean", lambda: clean("NDA"))]),
    "DT-11": ([("deadline already passed", lambda: due_on("SOW", 4, D(2026, 2, 20)))], [("clean", lambda: clean("SOW"))]),
    "DT-09": ([("due on Saturday", lambda: due_on("SOW", 4, D(2026, 3, 14)))], [("clean", lambda: clean("SOW"))]),
    "DT-07": ([("no renewal or notice", lambda: without("SOW", 11))],
              [("notice only", lambda: merge_terms("SOW", 11, renewal=""))]),
    "DT-05": ([("notice longer than term", lambda: merge_terms("SOW", 11, termination_notice="9 months")),
               ("auto-renewal without notice", lambda: merge_terms("SLA", 9, termination_notice=""))],
              [("clean", lambda: clean("SLA"))]),
    "DT-12": ([("end date off the term", lambda: merge_terms("SOW", 10, end_date="2026-12-31"))],
              [("end date one day short", lambda: merge_terms("SOW", 10, end_date="2026-09-08"))]),
    "DT-13": ([("vague term", lambda: merge_terms("SOW", 10, term="a good while"))],
              [("open-ended term", lambda: merge_terms("NDA", 3, term="until terminated"))]),
    "MN-01": ([("second fee", lambda: plus("SOW", decision(13, terms={"fee_total": "EUR 50000.00"})))],
              [("fee restated", lambda: plus("SOW", decision(13, terms={"fee_total": "EUR 48,000.00"})))]),
    "MN-02": ([("fee without currency", lambda: edit("SOW", 7, terms={"fee_total": "48000"}, amounts=()))],
              [("clean", lambda: clean("SOW"))]),
    "MN-10": ([("milestone in dollars", lambda: edit("SOW", 6, amounts=(amount("$28,000", "28000", "USD"),)))],
              [("clean", lambda: clean("SOW"))]),
    "MN-03": ([("milestones short", lambda: edit("SOW", 6, amounts=(amount("€25,000", "25000"),)))],
              [("milestones add up", lambda: clean("SOW"))]),
    "MN-05": ([("fee without payment terms", lambda: without("SOW", 8))], [("clean", lambda: clean("SOW"))]),
    "MN-06": ([("120 days to pay", lambda: merge_terms("SOW", 8, payment_terms="120 days")),
               ("zero fee", lambda: edit("SOW", 7, terms={"fee_total": "EUR 0.00"}, amounts=()))],
              [("90 days to pay", lambda: merge_terms("SOW", 8, payment_terms="90 days"))]),
    "LW-02": ([("law only", lambda: terms("SOW", 12, governing_law="England and Wales"))],
              [("clean", lambda: clean("SOW"))]),
    "LW-06": ([("venue only", lambda: terms("SOW", 12, venue="the courts of London"))],
              [("clean", lambda: clean("SOW"))]),
    "LW-04": ([("unreviewed law", lambda: merge_terms("NDA", 5, governing_law="Ruritania"))],
              [("reviewed law with prefix", lambda: merge_terms("NDA", 5, governing_law="the laws of New York"))]),
    "LW-05": ([("both forums", lambda: merge_terms("NDA", 5, venue="arbitration in London or the London courts"))],
              [("clean", lambda: clean("NDA"))]),
    "ND-02": ([("period TBD", lambda: without("NDA", 4)),
               ("perpetual", lambda: terms("NDA", 4, confidentiality_period="perpetual"))],
              [("clean", lambda: clean("NDA"))]),
    "ND-03": ([("one-way, two disclosers", lambda: plus(
                   "NDA",
                   decision(6, terms={"nda_direction": "one_way", "discloser": "Acme Corp"}),
                   decision(7, terms={"discloser": "Globex Ltd"}))),
               ("mutual with a discloser", lambda: plus("NDA", decision(6, terms={"discloser": "Acme Corp"})))],
              [("one-way, one discloser", lambda: plus(
                   "NDA", decision(6, terms={"nda_direction": "one_way", "discloser": "Acme Corp"})))]),
    "ND-07": ([("one-way, no discloser", lambda: merge_terms("NDA", 1, nda_direction="one-way"))],
              [("one-way with discloser", lambda: merge_terms("NDA", 1, nda_direction="one_way", discloser="Acme Corp"))]),
    "ND-04": ([("exclusivity in NDA", lambda: plus("NDA", decision(6, terms={"exclusivity": "12 months"})))],
              [("clean", lambda: clean("NDA"))]),
    "ND-06": ([("confidentiality shorter", lambda: terms("NDA", 4, confidentiality_period="1 year"))],
              [("confidentiality longer", lambda: clean("NDA"))]),
    "SW-03": ([("milestone undated", lambda: edit("SOW", 6, due_date=None))], [("clean", lambda: clean("SOW"))]),
    "SW-10": ([("deliverable without owner", lambda: edit("SOW", 4, owner=None))], [("clean", lambda: clean("SOW"))]),
    "SW-04": ([("no acceptance", lambda: without("SOW", 9))], [("clean", lambda: clean("SOW"))]),
    "SW-12": ([("no total fee", lambda: without("SOW", 7))], [("clean", lambda: clean("SOW"))]),
    "SL-01": ([("150", lambda: merge_terms("SLA", 3, uptime_target="150")),
               ("0", lambda: merge_terms("SLA", 3, uptime_target="0")),
               ("words", lambda: merge_terms("SLA", 3, uptime_target="three nines"))],
              [("99.9", lambda: clean("SLA")), ("100", lambda: merge_terms("SLA", 3, uptime_target="100"))]),
    "SL-13": ([("100", lambda: merge_terms("SLA", 3, uptime_target="100"))], [("99.9", lambda: clean("SLA"))]),
    "SL-03": ([("credits, no target", lambda: merge_terms("SLA", 3, uptime_target=""))],
              [("clean", lambda: clean("SLA"))]),
    "SL-02": ([("target, no credits", lambda: without("SLA", 6))], [("clean", lambda: clean("SLA"))]),
    "SL-14": ([("150% credit", lambda: terms("SLA", 6, service_credit="150% of the monthly fee"))],
              [("clean", lambda: clean("SLA"))]),
    "SL-06": ([("P1 slower", lambda: terms("SLA", 4, response_time="8 hours"))],
              [("clean", lambda: clean("SLA"))]),
    "SL-09": ([("no timezone", lambda: terms("SLA", 7, support_hours="9:00-17:00 weekdays"))],
              [("24x7", lambda: clean("SLA")), ("CET", lambda: terms("SLA", 7, support_hours="9:00-17:00 CET weekdays"))]),
    "MU-03": ([("no term", lambda: merge_terms("MOU", 6, term=""))], [("clean", lambda: clean("MOU"))]),
    "MU-04": ([("only Acme contributes", lambda: without("MOU", 4))], [("both contribute", lambda: clean("MOU"))]),
    "MU-02": ([("fee in MoU", lambda: plus("MOU", decision(8, terms={"fee_total": "EUR 1000.00"})))],
              [("clean", lambda: clean("MOU"))]),
    "MU-05": ([("no period", lambda: plus("MOU", decision(8, terms={"exclusivity": "exclusive partners in Poland"})))],
              [("six months", lambda: plus("MOU", decision(8, terms={"exclusivity": "exclusive for 6 months"})))]),
    "MU-07": ([("all binding", lambda: terms("MOU", 5, binding_provisions="all provisions are binding"))],
              [("only some", lambda: clean("MOU")),
               ("all non-binding", lambda: terms("MOU", 5, binding_provisions="all provisions are non-binding"))]),
}


def _params(fires: bool):
    index = 0 if fires else 1
    return [
        pytest.param(rule_id, build, id=f"{rule_id}-{label}")
        for rule_id, cases in CASES.items()
        for label, build in cases[index]
    ]


@pytest.mark.parametrize("rule_id, build", _params(fires=True))
def test_rule_fires_on_its_problem(rule_id, build):
    findings = build().findings()
    assert rule_id in {f.rule_id for f in findings}


@pytest.mark.parametrize("rule_id, build", _params(fires=False))
def test_rule_stays_quiet_on_a_near_miss(rule_id, build):
    findings = build().findings()
    assert rule_id not in {f.rule_id for f in findings}, [f.message for f in findings if f.rule_id == rule_id]


def test_every_registered_rule_has_a_firing_and_a_quiet_case():
    assert {r.rule_id for r in RULES} == set(CASES)
    assert all(fires and quiet for fires, quiet in CASES.values())


@pytest.mark.parametrize("rule_id, build", _params(fires=True))
def test_finding_message_names_its_field_and_citation(rule_id, build):
    for finding in (f for f in build().findings() if f.rule_id == rule_id):
        if finding.field:
            assert finding.field in finding.message
        if finding.citation:
            assert cite(finding.citation) in finding.message
