import pytest

from bridge_pipeline.extraction.durations import find_durations
from bridge_pipeline.extraction.parties import PartyRoster, find_organisations


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a two-year term", "2 years"),
        ("three years of confidentiality", "3 years"),
        ("a 12-month term", "12 months"),
        ("ten business days to review", "10 business days"),
        ("within one hour", "1 hour"),
        ("eighteen months", "18 months"),
        ("twenty-four months", "24 months"),
        ("sixty days' notice", "60 days"),
    ],
)
def test_duration_is_normalised_to_number_and_unit(text, expected):
    [duration] = find_durations(text)
    assert duration.normalised == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the contracting entity is Kowalczyk Logistics Sp. z o.o., not the holding", ["Kowalczyk Logistics Sp. z o.o."]),
        ("between Helios Cloud Ltd and Banco Miraflores S.A.", ["Helios Cloud Ltd", "Banco Miraflores S.A."]),
        ("So Aurora Bioinformatics Oy and Instituto Sakura KK.", ["Aurora Bioinformatics Oy", "Instituto Sakura KK"]),
        ("And on ours it's Nordlicht Analytics GmbH.", ["Nordlicht Analytics GmbH"]),
        ("Acme Inc. and Globex LLC sign today", ["Acme Inc.", "Globex LLC"]),
        ("we carry on as usual", []),
    ],
)
def test_organisations_are_found_by_their_legal_form(text, expected):
    assert find_organisations(text) == expected


def test_short_name_resolves_to_the_organisation_named_earlier():
    roster = PartyRoster()
    roster.learn("Nordlicht Analytics GmbH and Instituto Sakura KK")
    assert roster.mentioned_in("Nordlicht will provide it and Sakura the data") == [
        "Nordlicht Analytics GmbH", "Instituto Sakura KK",
    ]


def test_surname_inside_a_person_name_is_not_the_company():
    roster = PartyRoster(people=("Zofia Kowalczyk",))
    roster.learn("Kowalczyk Logistics Sp. z o.o.")
    assert roster.mentioned_in("Zofia Kowalczyk agreed") == []
    assert roster.mentioned_in("with Kowalczyk disclosing") == ["Kowalczyk Logistics Sp. z o.o."]
