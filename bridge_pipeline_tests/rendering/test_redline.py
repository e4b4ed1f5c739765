"""Exports of a later version: the redline in every format, both meetings named, files named per version."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader

from bridge_pipeline.drafting.drafter import draft_meeting
from bridge_pipeline.models import DealLink
from bridge_pipeline.rendering.bundle import build_bundle, validate_bundle
from bridge_pipeline.rendering.docx import render_docx
from bridge_pipeline.rendering.document import RelatedRecords, document_for_draft
from bridge_pipeline.rendering.exporter import render_all
from bridge_pipeline.rendering.markdown import render_markdown
from bridge_pipeline.rendering.pdf import render_pdf
from bridge_pipeline_tests.drafting.decision_builders import clean_sow_decisions, decisions_of
from bridge_pipeline_tests.drafting.deal_builders import (
    FIRST_ID,
    LATER_ID,
    TITLE_1,
    TITLE_2,
    change_request,
    first_meeting,
    later_meeting,
    sow_v2,
)

FIRST_LABEL = f"2026-03-02 · {TITLE_1}"
LATER_LABEL = f"2026-03-09 · {TITLE_2}"
LINK = DealLink(meeting_id=LATER_ID, deal_id=FIRST_ID, continues_meeting_id=FIRST_ID, reason="continues deal x: test")


def _related() -> RelatedRecords:
    return RelatedRecords(deal=LINK, meetings={FIRST_ID: first_meeting()}, decisions=clean_sow_decisions().decisions)


def _later_decisions():
    return decisions_of(*change_request(), meeting_id=LATER_ID)


def _first_draft():
    return draft_meeting(first_meeting(), clean_sow_decisions()).drafts[0]


def _document(draft=None):
    return document_for_draft(later_meeting(), draft or sow_v2(), (), _later_decisions(), related=_related())


def _bundle(draft=None):
    return build_bundle(later_meeting(), draft or sow_v2(), _later_decisions(), (), None, related=_related())


def test_redline_lists_each_changed_field_with_the_meeting_behind_each_side():
    redline = _document().redline
    assert redline.heading == "Changes since version 1"
    assert (redline.before_label, redline.after_label) == ("Version 1", "Version 2")
    fee = next(r for r in redline.rows if r.label == "Total fee")
    assert [p.text for p in fee.before] == ["EUR 48,000.00 (said: “€48,000”)"]
    assert [p.text for p in fee.after] == ["EUR 52,500.00 (said: “€52,500”)"]
    assert fee.before_source.startswith(FIRST_LABEL) and "d007" in fee.before_source
    assert fee.after_source.startswith(LATER_LABEL) and "d001" in fee.after_source
    assert FIRST_LABEL in redline.note


def test_provenance_names_the_meeting_of_every_citation_when_a_draft_cites_two():
    doc = _document()
    assert doc.provenance_names_meetings
    meetings = {r.meeting for r in doc.provenance_rows}
    assert meetings == {FIRST_LABEL, LATER_LABEL}
    services = next(r for r in doc.provenance_rows if r.item == "Services")
    assert (services.meeting, services.decision_id) == (FIRST_LABEL, "d003")


def test_version_2_exports_are_named_apart_from_version_1():
    doc, bundle = _document(), _bundle()
    files = render_all(doc, bundle, f"{FIRST_ID}-sow-v2")
    assert sorted(files) == [f"{FIRST_ID}-sow-v2.{ext}" for ext in ("docx", "json", "md", "pdf")]
    assert next(r.value for r in doc.meta_rows if r.label == "Deal") == LINK.reason


def test_version_1_has_no_redline_and_no_meeting_column():
    doc = document_for_draft(first_meeting(), _first_draft(), (), clean_sow_decisions())
    assert doc.redline is None and not doc.provenance_names_meetings
    assert doc.document_id == f"{FIRST_ID}-sow"


def test_markdown_shows_the_change_as_a_diff_and_as_struck_and_underlined_cells():
    text = render_markdown(_document()).decode("utf-8")
    assert "## Changes since version 1" in text
    diff = text.split("```diff\n", 1)[1].split("\n```", 1)[0].splitlines()
    assert "@@ Total fee @@" in diff
    assert "- EUR 48,000.00 (said: “€48,000”)" in diff and "+ EUR 52,500.00 (said: “€52,500”)" in diff
    assert "~~EUR 48,000.00 (said: “€48,000”)~~" in text and "<ins>EUR 52,500.00 (said: “€52,500”)</ins>" in text
    assert "| Meeting |" in text and FIRST_LABEL in text and LATER_LABEL in text


def test_markdown_diff_fence_outgrows_backticks_in_meeting_text():
    draft = sow_v2()
    fee = next(c for c in draft.changes if c.name == "fee_total")
    odd = fee.model_copy(update={"after": fee.after.model_copy(update={"value": "EUR 1 ``` then text"})})
    draft = draft.model_copy(update={"changes": (odd,)})
    text = render_markdown(_document(draft)).decode("utf-8")
    assert "````diff\n" in text and "+ EUR 1 ``` then text" in text


def test_docx_redline_strikes_the_old_value_and_underlines_the_new():
    with zipfile.ZipFile(io.BytesIO(render_docx(_document()))) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert "Changes since version 1" in body
    old = body.index("EUR 48,000.00")
    new = body.index("EUR 52,500.00")
    assert "<w:strike/>" in body[body.rindex("<w:r>", 0, old):old]
    assert '<w:u w:val="single"/>' in body[body.rindex("<w:r>", 0, new):new]


def test_pdf_redline_is_rendered_and_stays_byte_identical():
    first, second = render_pdf(_document()), render_pdf(_document())
    assert first == second
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(first)).pages)
    assert "Changes since version 1" in text
    assert "EUR 48,000.00" in text and "EUR 52,500.00" in text


def test_bundle_carries_the_redline_the_deal_and_the_other_meeting():
    bundle = _bundle()
    validate_bundle(bundle)
    assert bundle["schema_version"] == "1.1"
    assert bundle["document"]["document_id"] == f"{FIRST_ID}-sow-v2"
    assert (bundle["document"]["version"], bundle["document"]["previous_version"]) == (2, 1)
    assert bundle["deal"] == {"deal_id": FIRST_ID, "continues_meeting_id": FIRST_ID, "reason": LINK.reason}
    assert bundle["other_meetings"] == [
        {"id": FIRST_ID, "title": TITLE_1, "partition_date": "2026-03-02", "started_at": "2026-03-02T15:00:00+00:00"}
    ]
    redline = bundle["redline"]
    assert (redline["previous_version"], redline["previous_meeting_id"]) == (1, FIRST_ID)
    fee = next(c for c in redline["changes"] if c["field"] == "fee_total")
    assert (fee["kind"], fee["before"]["value"], fee["after"]["value"]) == ("changed", "EUR 48,000.00", "EUR 52,500.00")
    assert {c["meeting_id"] for c in fee["before"]["citations"]} == {FIRST_ID}
    assert {c["meeting_id"] for c in fee["after"]["citations"]} == {LATER_ID}


def test_version_1_bundle_has_no_redline_and_still_validates():
    bundle = build_bundle(first_meeting(), _first_draft(), clean_sow_decisions(), (), None)
    validate_bundle(bundle)
    assert bundle["redline"] is None and bundle["document"]["previous_version"] is None
    assert bundle["other_meetings"] == [] and bundle["deal"] is None
