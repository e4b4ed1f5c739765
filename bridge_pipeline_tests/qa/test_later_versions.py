"""QA of a later version: provenance from earlier meetings of the deal is accepted when their decisions are given."""

from __future__ import annotations

from bridge_pipeline.qa.runner import run_qa
from bridge_pipeline_tests.drafting.decision_builders import clean_sow_decisions, decisions_of
from bridge_pipeline_tests.drafting.deal_builders import LATER_ID, change_request, later_meeting, sow_v2


def _qa(draft, *, with_earlier: bool = True):
    earlier = clean_sow_decisions().decisions if with_earlier else ()
    return run_qa(draft, decisions_of(*change_request(), meeting_id=LATER_ID), later_meeting(), earlier_decisions=earlier)


def test_carried_forward_citations_of_the_deals_earlier_meeting_are_not_dangling():
    assert [f for f in _qa(sow_v2()) if f.rule_id == "PV-03"] == []


def test_without_the_earlier_decisions_carried_forward_fields_are_reported_as_dangling():
    dangling = [f for f in _qa(sow_v2(), with_earlier=False) if f.rule_id == "PV-03"]
    assert {f.field for f in dangling} >= {"provider", "services_description"}
    assert all(f.severity == "blocking" for f in dangling)


def test_version_2_keeps_version_1s_draft_id_without_a_wrong_meeting_finding():
    assert [f for f in _qa(sow_v2()) if f.rule_id == "PV-09"] == []


def test_a_later_version_that_names_no_previous_meeting_is_reported():
    orphan = sow_v2().model_copy(update={"previous_meeting_id": None})
    assert [f.rule_id for f in _qa(orphan) if f.rule_id == "PV-09"] == ["PV-09"]


def test_the_changed_fee_and_restated_milestones_add_up_so_nothing_blocks_the_export():
    findings = _qa(sow_v2())
    assert [f for f in findings if f.severity == "blocking"] == []
