"""The same organisation is recognised under different spellings, and roles are never guessed."""

from __future__ import annotations

import pytest

from bridge_pipeline.drafting.drafter import draft_meeting
from bridge_pipeline.drafting.parties import has_legal_suffix, org_key
from bridge_pipeline.drafting.party_fields import named_parties
from bridge_pipeline_tests.drafting.decision_builders import decision, decisions_of, meeting


@pytest.mark.parametrize("spelling", ["ACME Corp.", "Acme corp", "acme", "The Acme Corporation", "Acme, Inc."])
def test_spellings_of_one_organisation_share_a_key(spelling):
    assert org_key(spelling) == org_key("Acme Corp")


def test_different_organisations_keep_different_keys():
    assert org_key("Acme Corp") != org_key("Acme Logistics Ltd")
    assert org_key("Kowalczyk Sp. z o.o.") == "kowalczyk"


@pytest.mark.parametrize("name, expected", [("Globex Ltd", True), ("Initech GmbH", True), ("Globex", False),
                                            ("Smith & Sons", False), ("Kowalczyk Sp. z o.o.", True),
                                            ("Banco Miraflores S.A.", True), ("Nordlicht B.V.", True)])
def test_legal_form_detection(name, expected):
    assert has_legal_suffix(name) is expected


def test_named_parties_keep_first_mention_order_and_prefer_the_legal_spelling():
    parties = named_parties([
        decision(1, parties=("Globex",)),
        decision(2, parties=("Acme",), terms={"provider": "Acme"}),
        decision(3, parties=("Globex Ltd",)),
    ])
    assert [p.name for p in parties] == ["Globex Ltd", "Acme"]
    assert [d.decision_id[-4:] for d in parties[0].decisions] == ["d001", "d003"]


def _sow_with(*party_decisions):
    base = [
        decision(10, "Deliver a plan.", terms={"contract_type": "SOW", "deliverable": "Plan"}),
    ]
    return draft_meeting(meeting(), decisions_of(*party_decisions, *base)).drafts[0]


def test_roles_come_from_role_terms():
    draft = _sow_with(decision(1, "Acme Corp serves Globex Ltd.", terms={"provider": "Acme Corp", "customer": "Globex Ltd"}))
    assert (draft.field("provider").value, draft.field("customer").value) == ("Acme Corp", "Globex Ltd")


def test_last_open_role_is_filled_by_elimination():
    draft = _sow_with(
        decision(1, "Acme Corp and Globex Ltd.", parties=("Globex Ltd", "Acme Corp")),
        decision(2, "Acme Corp provides it.", terms={"provider": "Acme Corp"}),
    )
    assert draft.field("customer").value == "Globex Ltd"
    assert draft.field("customer").decision_ids == ("inbox-2026-03-02-acme-globex-d001",)
    assert draft.field("other_parties").is_tbd


def test_parties_without_roles_are_listed_not_guessed_for_a_sow():
    draft = _sow_with(decision(1, "Acme Corp and Globex Ltd.", parties=("Acme Corp", "Globex Ltd")))
    assert draft.field("provider").is_tbd and draft.field("customer").is_tbd
    assert draft.field("other_parties").value == "Acme Corp; Globex Ltd"


def test_nda_parties_follow_order_of_mention_with_the_discloser_first():
    decisions = decisions_of(
        decision(1, "Globex Ltd and Acme Corp.", terms={"contract_type": "NDA"}, parties=("Globex Ltd", "Acme Corp")),
        decision(2, "Acme Corp discloses.", terms={"nda_direction": "one_way", "discloser": "Acme Corp"}),
    )
    draft = draft_meeting(meeting(), decisions).drafts[0]
    assert (draft.field("party_a").value, draft.field("party_b").value) == ("Acme Corp", "Globex Ltd")


def test_a_bare_short_name_folds_into_the_one_legal_name_it_abbreviates():
    parties = named_parties([
        decision(1, parties=("Kowalczyk",)),
        decision(2, parties=("Nordlicht Analytics GmbH", "Kowalczyk Logistics Sp. z o.o.")),
    ])
    assert [p.name for p in parties] == ["Kowalczyk Logistics Sp. z o.o.", "Nordlicht Analytics GmbH"]
    assert [d.decision_id[-4:] for d in parties[0].decisions] == ["d001", "d002"]


def test_an_ambiguous_short_name_stays_separate():
    parties = named_parties([decision(1, parties=("Acme", "Acme Logistics Ltd", "Acme Holdings Inc"))])
    assert [p.name for p in parties] == ["Acme", "Acme Logistics Ltd", "Acme Holdings Inc"]


def test_a_role_given_by_short_name_takes_the_legal_name_the_meeting_gave():
    draft = _sow_with(
        decision(1, "Nordlicht provides it.", terms={"provider": "Nordlicht"}),
        decision(2, "Nordlicht Analytics GmbH and Kowalczyk Logistics Sp. z o.o.",
                 parties=("Nordlicht Analytics GmbH", "Kowalczyk Logistics Sp. z o.o.")),
    )
    provider = draft.field("provider")
    assert (provider.value, provider.original_text) == ("Nordlicht Analytics GmbH", "Nordlicht")
    assert [i[-4:] for i in provider.decision_ids] == ["d002", "d001"]  # the role statement last
    assert draft.field("customer").value == "Kowalczyk Logistics Sp. z o.o."
    assert draft.field("other_parties").is_tbd
