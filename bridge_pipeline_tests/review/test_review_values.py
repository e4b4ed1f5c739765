"""Counsel's values are checked against the field's kind before they are stored, and put in the drafts' form."""

from __future__ import annotations

import pytest

from bridge_pipeline.drafting.review import review_value
from bridge_pipeline.drafting.templates import load_template
from bridge_pipeline.errors import BadInputError

SOW = {s.name: s for s in load_template("SOW").fields}
SLA = {s.name: s for s in load_template("SLA").fields}


@pytest.mark.parametrize(
    ("spec", "typed", "stored"),
    [
        (SOW["fee_total"], "eur 48000", "EUR 48,000.00"),
        (SOW["fee_total"], "EUR 5,000 per month", "EUR 5,000.00 per month"),
        (SOW["effective_date"], " 2027-01-31 ", "2027-01-31"),
        (SOW["term"], "2 years", "2 years"),
        (SOW["term"], "until terminated by either party", "until terminated by either party"),
        (SOW["governing_law"], "  the laws of\\nIreland ", "the laws of\\nIreland"),
        (SOW["governing_law"], "", None),
        (SOW["governing_law"], "   ", None),
    ],
)
def test_values_are_stored_in_the_drafts_form(spec, typed, stored):
    assert review_value(spec, typed.replace("\\n", "\n")) == (stored.replace("\\n", " ") if stored else None)


@pytest.mark.parametrize(
    ("spec", "typed", "named"),
    [
        (SOW["fee_total"], "48k", "Total fee must be a currency code and an amount"),
        (SOW["effective_date"], "next Friday", "must be a calendar date as YYYY-MM-DD"),
        (SOW["effective_date"], "2027-02-30", "must be a calendar date as YYYY-MM-DD"),
        (SOW["term"], "a while", "must be a number and a unit"),
        (SOW["governing_law"], "x" * 2001, "longer than 2000 characters"),
    ],
)
def test_a_value_of_the_wrong_form_is_refused_naming_the_field(spec, typed, named):
    with pytest.raises(BadInputError) as refused:
        review_value(spec, typed)
    assert refused.value.location == spec.name and named in str(refused.value)


def test_percent_fields_take_a_bare_number_or_a_percentage():
    (percent,) = [s for s in SLA.values() if s.kind == "percent"][:1]
    assert review_value(percent, "99.90") == "99.9%" and review_value(percent, "99.5%") == "99.5%"
    with pytest.raises(BadInputError):
        review_value(percent, "high")
