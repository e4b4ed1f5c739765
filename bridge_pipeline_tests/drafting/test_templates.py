"""Templates are data: every type loads, reads only vocabulary terms and declares what its clauses use."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bridge_pipeline.drafting import templates
from bridge_pipeline.drafting.templates import TemplateSpec, load_template, placeholders_in
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.extraction.vocabulary import CONTRACT_TYPES, TERM_KEYS

COMMON_FIELDS = {"effective_date", "term", "renewal", "termination_notice", "governing_law", "venue"}
TYPE_FIELDS = {
    "NDA": {"party_a", "party_b", "direction", "purpose", "confidentiality_period"},
    "MOU": {"party_a", "party_b", "purpose", "scope", "responsibilities", "binding_provisions", "exclusivity"},
    "SOW": {"provider", "customer", "services_description", "deliverables", "milestones", "fee_total",
            "payment_terms", "invoice_cadence", "acceptance"},
    "SLA": {"provider", "customer", "service", "uptime_target", "measurement_window", "response_time", "other_severities",
            "service_credits", "support_hours"},
}


@pytest.mark.parametrize("contract_type", CONTRACT_TYPES)
def test_each_type_template_loads_with_version_fields_and_clauses(contract_type):
    spec = load_template(contract_type)
    assert spec.contract_type == contract_type
    assert spec.version and spec.title
    assert COMMON_FIELDS | TYPE_FIELDS[contract_type] <= {f.name for f in spec.fields}
    assert len(spec.clauses) >= 7


@pytest.mark.parametrize("contract_type", CONTRACT_TYPES)
def test_template_fields_read_only_vocabulary_terms_and_clauses_use_only_declared_fields(contract_type):
    spec = load_template(contract_type)
    assert all(key in TERM_KEYS for f in spec.fields for key in f.from_terms)
    declared = {f.name for f in spec.fields} | set(templates.CONTEXT_NAMES)
    used = {name for c in spec.clauses for name in placeholders_in(c.body)}
    assert used <= declared
    # Every non-list field a lawyer fills should be visible in the clause text.
    visible = {f.name for f in spec.fields if f.name != "other_parties"}
    assert visible <= used


def test_required_flags_come_from_the_yaml():
    assert load_template("NDA").field_spec("confidentiality_period").required is True
    assert load_template("SOW").field_spec("milestones").required is False
    assert load_template("MOU").field_spec("binding_provisions").required is True
    assert load_template("SLA").field_spec("fee_recurring").required is False


def _minimal_spec(**overrides) -> dict:
    spec = {
        "contract_type": "NDA",
        "version": "0.1",
        "title": "Test",
        "evidence": [["nda_direction"]],
        "fields": [
            {"name": "party_a", "label": "A", "required": True, "kind": "party"},
            {"name": "party_b", "label": "B", "required": True, "kind": "party"},
        ],
        "clauses": [{"number": "1", "heading": "Parties", "body": "{party_a} and {party_b}"}],
    }
    spec.update(overrides)
    return spec


def test_minimal_spec_is_valid():
    assert TemplateSpec.model_validate(_minimal_spec()).field_spec("party_a").kind == "party"


@pytest.mark.parametrize(
    "overrides, complaint",
    [
        ({"clauses": [{"number": "1", "heading": "X", "body": "{party_a} pays {fee}"}]}, "undeclared fields ['fee']"),
        ({"clauses": [{"number": "1", "heading": "X", "body": "{party_a:>10}"}]}, "plain field name"),
        ({"evidence": [["uptime_percent"]]}, "TERM_KEYS"),
        ({"fields": [{"name": "party_a", "label": "A", "required": True, "kind": "party", "from_terms": ["buyer"]},
                     {"name": "party_b", "label": "B", "required": True, "kind": "party"}]}, "buyer"),
        ({"fields": [{"name": "party_a", "label": "A", "required": True, "kind": "party"}]}, "two party fields"),
        ({"fields": [{"name": "party_a", "label": "A", "required": True, "kind": "party"},
                     {"name": "party_a", "label": "B", "required": True, "kind": "party"}]}, "duplicate"),
    ],
)
def test_invalid_template_is_rejected_with_the_reason(overrides, complaint):
    with pytest.raises(ValidationError, match=complaint.replace("[", r"\[").replace("]", r"\]")):
        TemplateSpec.model_validate(_minimal_spec(**overrides))


def test_broken_template_file_raises_configuration_error_naming_the_file(tmp_path, monkeypatch):
    (tmp_path / "nda.yaml").write_text("contract_type: NDA\nversion: '1'\n", encoding="utf-8")
    monkeypatch.setattr(templates, "TEMPLATES_DIR", tmp_path)
    load_template.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="nda.yaml"):
            load_template("NDA")
    finally:
        monkeypatch.undo()
        load_template.cache_clear()
    assert load_template("NDA").contract_type == "NDA"


def test_unknown_contract_type_has_no_template():
    with pytest.raises(ConfigurationError, match="MSA"):
        load_template("MSA")
