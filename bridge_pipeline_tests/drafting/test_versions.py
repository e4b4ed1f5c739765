"""A later meeting of a deal as the next version of its draft: carried forward, overridden, and what changed."""

from __future__ import annotations

import datetime as dt

from bridge_pipeline.drafting.versions import field_changes
from bridge_pipeline.models import DraftField
from bridge_pipeline_tests.drafting.decision_builders import clean_nda_decisions, clean_sow_decisions, decision
from bridge_pipeline_tests.drafting.deal_builders import (
    DAY_2,
    FIRST_ID,
    LATER_ID,
    TITLE_1,
    change_request,
    continue_deal,
    later,
    sow_v2,
)


def test_later_meeting_makes_version_2_of_the_same_draft_in_the_same_deal():
    draft = sow_v2()
    assert (draft.draft_id, draft.version) == (f"{FIRST_ID}-sow", 2)
    assert draft.meeting_id == LATER_ID and draft.partition_date == DAY_2
    assert draft.deal_id == FIRST_ID and draft.previous_meeting_id == FIRST_ID
    assert "Version 2 of" in draft.type_reason


def test_fields_the_later_meeting_does_not_state_are_carried_forward_with_their_original_citations():
    draft = sow_v2()
    services = draft.field("services_description")
    assert services.value == "Migration of the billing platform to the new cloud"
    assert {c.meeting_id for c in services.citations} == {FIRST_ID}
    assert services.decision_ids == (f"{FIRST_ID}-d003",)


def test_a_restated_different_value_wins_and_the_change_cites_both_meetings():
    draft = sow_v2()
    fee = draft.field("fee_total")
    assert fee.value == "EUR 52,500.00"
    assert {c.meeting_id for c in fee.citations} == {LATER_ID}
    change = next(c for c in draft.changes if c.name == "fee_total")
    assert (change.kind, change.before.value, change.after.value) == ("changed", "EUR 48,000.00", "EUR 52,500.00")
    assert {c.meeting_id for c in change.before.citations} == {FIRST_ID}
    assert {c.meeting_id for c in change.after.citations} == {LATER_ID}


def test_a_value_stated_again_unchanged_cites_both_meetings_and_is_not_a_change():
    draft = sow_v2()
    law = draft.field("governing_law")
    assert law.value == "England and Wales"
    assert [c.meeting_id for c in law.citations] == [FIRST_ID, LATER_ID]
    assert law.decision_ids == (f"{FIRST_ID}-d012", f"{LATER_ID}-d006")
    assert "governing_law" not in {c.name for c in draft.changes}


def test_list_items_stated_again_are_updated_in_place_and_new_ones_added():
    deliverables = sow_v2().field("deliverables")
    assert deliverables.value == (
        "Migration plan (due 2026-03-23, owner: Acme Corp); Admin training (due 2026-04-20, owner: Acme Corp)"
    )
    # The earlier meeting had one deliverable, restated with a new date; nothing of it is left behind.
    assert deliverables.decision_ids == (f"{LATER_ID}-d002", f"{LATER_ID}-d003")


def test_an_unrestated_list_item_keeps_its_place_and_its_earlier_citation():
    first = clean_sow_decisions()
    extra = decision(13, "Also a runbook by April.", topic="sow", terms={"deliverable": "Runbook"},
                     due=dt.date(2026, 4, 10), owner="Acme Corp", kind="action_item")
    first = first.model_copy(update={"decisions": first.decisions + (extra,)})
    draft = continue_deal(change_request(), first).drafts[0]
    deliverables = draft.field("deliverables")
    assert deliverables.value.split("; ") == [
        "Migration plan (due 2026-03-23, owner: Acme Corp)",
        "Runbook (due 2026-04-10, owner: Acme Corp)",
        "Admin training (due 2026-04-20, owner: Acme Corp)",
    ]
    assert f"{FIRST_ID}-d013" in deliverables.decision_ids


def test_a_restated_payment_schedule_replaces_the_earlier_one_whole():
    milestones = sow_v2().field("milestones")
    assert milestones.value.split("; ") == [
        "Plan sign-off (due 2026-03-27, EUR 20,000.00)",
        "Cut-over and training (due 2026-04-30, EUR 32,500.00)",
    ]
    assert {c.meeting_id for c in milestones.citations} == {LATER_ID}


def test_a_party_only_named_later_does_not_displace_the_roles_of_the_deal():
    draft = sow_v2()
    assert draft.field("provider").value == "Acme Corp"
    assert draft.field("customer").value == "Globex Ltd"
    assert draft.field("other_parties").is_tbd
    assert {c.meeting_id for c in draft.field("provider").citations} == {FIRST_ID}


def test_a_role_the_later_meeting_states_replaces_the_earlier_party():
    outcome = continue_deal(change_request()[:1] + [
        later(8, "Initech GmbH takes over delivery from Acme.", topic="parties",
              terms={"provider": "Initech GmbH"}, parties=("Initech GmbH",)),
        later(9, "Deliverables stay as they are, a plan.", topic="sow", terms={"deliverable": "Migration plan"},
              due=dt.date(2026, 3, 16), owner="Acme Corp", kind="action_item"),
    ])
    draft = outcome.drafts[0]
    assert draft.field("provider").value == "Initech GmbH"
    assert "provider" in {c.name for c in draft.changes}


def test_clause_text_uses_the_merged_values_and_says_where_earlier_ones_came_from():
    draft = sow_v2()
    text = " ".join(c.body for c in draft.clauses)
    assert "EUR 52,500.00" in text and "EUR 48,000.00" not in text
    about = draft.clauses[0].body
    assert "version 1 was prepared from the meeting" in about and TITLE_1 in about


def test_an_earlier_draft_the_meeting_does_not_change_gets_no_new_version():
    outcome = continue_deal(
        [later(1, "I'll send the signed NDA back by Friday.", owner="Dan Brooks", kind="action_item")],
        clean_nda_decisions(),
    )
    assert outcome.drafts == ()
    assert outcome.no_draft is not None and outcome.deal.deal_id == FIRST_ID


def test_a_meeting_that_calls_for_the_type_again_gets_a_version_even_without_changes():
    outcome = continue_deal(
        [later(1, "Confidentiality stays three years.", topic="nda", terms={"confidentiality_period": "3 years"})],
        clean_nda_decisions(),
    )
    (nda,) = outcome.drafts
    assert (nda.version, nda.changes) == (2, ())
    assert [c.meeting_id for c in nda.field("confidentiality_period").citations] == [FIRST_ID, LATER_ID]


def test_an_earlier_draft_the_meeting_changes_gets_a_new_version_naming_the_change():
    outcome = continue_deal(
        [later(1, "Let's make it New York law instead.", topic="law", terms={"governing_law": "New York"})],
        clean_nda_decisions(),
    )
    (nda,) = outcome.drafts
    assert (nda.contract_type, nda.version) == ("NDA", 2)
    assert "Governing law" in nda.type_reason
    assert [(c.name, c.before.value, c.after.value) for c in nda.changes] == [
        ("governing_law", "Delaware", "New York")
    ]


def test_drafting_the_same_inputs_twice_gives_the_same_version():
    assert continue_deal(change_request()) == continue_deal(change_request())


def test_field_changes_name_added_values_and_skip_equal_ones():
    before = (DraftField(name="term", label="Term", required=True), DraftField(name="law", label="Law", required=True, value="Delaware"))
    after = (
        DraftField(name="term", label="Term", required=True, value="2 years"),
        DraftField(name="law", label="Law", required=True, value="Delaware"),
    )
    (change,) = field_changes(before, after)
    assert (change.name, change.kind) == ("term", "added")
