"""Extraction and drafting recognise the same contract names, from the one table in the vocabulary."""

from __future__ import annotations

import pytest

from bridge_pipeline.drafting.contract_type import decision_scope, recognised_type
from bridge_pipeline.extraction.terms.contract_names import contract_intent, contracts_mentioned
from bridge_pipeline.extraction.vocabulary import CONTRACT_ACRONYMS, CONTRACT_LONG_NAMES, CONTRACT_TYPES
from bridge_pipeline_tests.drafting.decision_builders import decision


def _table_spellings() -> list[tuple[str, str]]:
    """Every spelling in the table, with each hyphen of a long name also said as a space or left out."""
    spellings = [(code, name) for code in CONTRACT_TYPES for name in CONTRACT_ACRONYMS[code]]
    for code in CONTRACT_TYPES:
        for name in CONTRACT_LONG_NAMES[code]:
            variants = {name, name.replace("-", " "), name.replace("-", "")}
            spellings += [(code, variant) for variant in sorted(variants)]
    return spellings


TABLE_SPELLINGS = _table_spellings()

# Written out by hand so that a name dropped from the table fails here.
SPOKEN_SPELLINGS = [
    ("NDA", "NDA"),
    ("NDA", "NDAs"),
    ("NDA", "mNDA"),
    ("NDA", "mutual NDA"),
    ("NDA", "non-disclosure agreement"),
    ("NDA", "Non-Disclosure Agreement"),
    ("NDA", "nondisclosure agreement"),
    ("NDA", "non disclosure agreement"),
    ("NDA", "confidentiality agreement"),
    ("MOU", "MOU"),
    ("MOU", "MoU"),
    ("MOU", "MoUs"),
    ("MOU", "memorandum of understanding"),
    ("MOU", "Memorandum of Understanding"),
    ("SOW", "SOW"),
    ("SOW", "SoW"),
    ("SOW", "statement of work"),
    ("SOW", "Statements of Work"),
    ("SLA", "SLA"),
    ("SLA", "service level agreement"),
    ("SLA", "service-level agreement"),
    ("SLA", "Service Level Agreements"),
    ("SLA", "service levels"),
]


@pytest.mark.parametrize("code, spelling", TABLE_SPELLINGS + SPOKEN_SPELLINGS)
def test_every_spelling_is_recognised_by_extraction_and_drafting(code, spelling):
    sentence = f"Next week we sign the {spelling} with Globex."
    assert contracts_mentioned(sentence) == (code,)
    assert decision_scope(decision(1, sentence)) == {code}
    assert recognised_type(spelling) == code


@pytest.mark.parametrize("code, spelling", [(c, s) for c, s in TABLE_SPELLINGS if s in CONTRACT_LONG_NAMES[c]])
def test_long_names_count_in_any_case(code, spelling):
    for written in (spelling.upper(), spelling.lower(), spelling.title()):
        sentence = f"{written} it is."
        assert contracts_mentioned(sentence) == (code,)
        assert decision_scope(decision(1, sentence)) == {code}
        assert recognised_type(written) == code


@pytest.mark.parametrize("value, code", [("nda", "NDA"), ("Sow", "SOW"), ("mou", "MOU"), ("sla.", "SLA")])
def test_a_term_value_names_its_type_in_any_case(value, code):
    assert recognised_type(value) == code


@pytest.mark.parametrize(
    "sentence",
    [
        "We sow the seeds of this in May.",
        "Sow the wheat after the rain.",
        "Ping me on Slack, the slalom photos are in Islamabad.",
        "The translation is done.",
        "Sla and mou are not how anyone writes an agreement.",
        "The MOUSE and the SOWN field.",
        "Our service level was good; the agreement stands.",
        "We call it a letter of intent.",
    ],
)
def test_words_that_only_look_like_contract_names_are_not_recognised(sentence):
    assert contracts_mentioned(sentence) == ()
    assert decision_scope(decision(1, sentence)) == frozenset()


@pytest.mark.parametrize("value", ["MSA", "letter of intent", "sowing", "SLAB", "agreement", ""])
def test_other_values_are_not_a_type_we_draft(value):
    assert recognised_type(value) is None


def test_names_are_reported_in_order_of_appearance_and_wanted_by_phrasing():
    sentence = "First the SoW, then a service-level agreement and an mNDA."
    assert contracts_mentioned(sentence) == ("SOW", "SLA", "NDA")
    assert decision_scope(decision(1, sentence)) == {"SOW", "SLA", "NDA"}
    assert contract_intent("We need a nondisclosure agreement before Friday.") == ["NDA"]
    assert contract_intent("The SoW mentions the MOU.") == []
