from __future__ import annotations

import copy
import json

import pytest

from bridge_pipeline.errors import BadInputError
from bridge_pipeline.rendering.bundle import (
    BundleValidationError,
    build_bundle,
    bundle_schema,
    render_json,
    validate_bundle,
)
from bridge_pipeline_tests.rendering import samples


def _draft_bundle() -> dict:
    return build_bundle(samples.meeting(), samples.draft(), samples.decisions(), samples.findings(), None)


def _record_bundle() -> dict:
    return build_bundle(samples.meeting(), None, samples.decisions(), (), samples.no_draft())


def test_schema_is_a_draft_2020_12_schema_with_descriptions():
    schema = bundle_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert all("description" in spec for spec in schema["properties"].values())


def test_draft_bundle_validates_and_marks_tbd_fields():
    bundle = _draft_bundle()
    validate_bundle(bundle)
    effective = next(f for f in bundle["fields"] if f["name"] == "effective_date")
    assert effective["tbd"] is True and effective["value"] is None
    assert bundle["document"]["kind"] == "contract_draft"
    assert bundle["generated_for"] == "2026-03-05"
    assert bundle["no_draft_reason"] is None


def test_decision_record_bundle_validates_with_reason_and_no_fields():
    bundle = _record_bundle()
    validate_bundle(bundle)
    assert bundle["document"]["document_id"] == "zoom-2026-03-05-acme-nordlys-decision-record"
    assert bundle["fields"] == [] and bundle["clauses"] == []
    assert bundle["no_draft_reason"].startswith("No agreement type")


def test_amounts_keep_decimal_precision_as_text():
    fee = next(d for d in _draft_bundle()["decisions"] if d["decision_id"].endswith("d003"))
    assert fee["amounts"] == [{"value": "48000.00", "currency": "EUR", "text": "€48,000"}]


def test_invalid_bundle_error_names_the_bad_path():
    bundle = copy.deepcopy(_draft_bundle())
    bundle["fields"][1]["citations"][0]["start_s"] = "twelve minutes"
    with pytest.raises(BundleValidationError) as caught:
        validate_bundle(bundle)
    assert caught.value.path == "$.fields[1].citations[0].start_s"
    assert "$.fields[1].citations[0].start_s" in str(caught.value)
    assert "zoom-2026-03-05-acme-nordlys-nda" in str(caught.value)


def test_tbd_flag_contradicting_value_is_rejected():
    bundle = copy.deepcopy(_draft_bundle())
    bundle["fields"][0]["tbd"] = True
    with pytest.raises(BundleValidationError, match=r"\$\.fields\[0\]\.value"):
        validate_bundle(bundle)


def test_decision_record_without_reason_is_rejected():
    bundle = copy.deepcopy(_record_bundle())
    bundle["no_draft_reason"] = None
    with pytest.raises(BundleValidationError, match=r"\$\.no_draft_reason"):
        validate_bundle(bundle)


def test_unknown_top_level_property_is_rejected():
    bundle = dict(_draft_bundle(), exported_at="2026-03-05T10:00:00Z")
    with pytest.raises(BundleValidationError, match="exported_at"):
        validate_bundle(bundle)


def test_bundle_needs_exactly_one_of_draft_or_no_draft_record():
    with pytest.raises(BadInputError, match="exactly one"):
        build_bundle(samples.meeting(), samples.draft(), samples.decisions(), (), samples.no_draft())


def test_render_json_is_sorted_indented_utf8_with_trailing_newline():
    raw = render_json(_draft_bundle())
    text = raw.decode("utf-8")
    assert text.endswith("}\n")
    assert "Łukasz Wróbel" in text
    assert text.startswith('{\n  "clauses"')
    assert json.loads(text) == _draft_bundle()
    assert render_json(_draft_bundle()) == raw
