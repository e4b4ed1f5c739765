"""Counsel's review in every export: the approval or request under the title, values counsel set marked on the cover
page and in the provenance appendix, nothing of it on a draft counsel has not touched, and counsel's text kept inert."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import docx
import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader

from bridge_pipeline.drafting.drafter import clause_context, draft_meeting
from bridge_pipeline.drafting.review import apply_review, cover_fingerprint, reviewed_fields
from bridge_pipeline.models import WATERMARK, ContractDraft, ReviewAction
from bridge_pipeline.rendering.bundle import build_bundle, render_json, validate_bundle
from bridge_pipeline.rendering.document import RenderDocument, document_for_draft
from bridge_pipeline.rendering.docx import render_docx
from bridge_pipeline.rendering.exporter import render_all
from bridge_pipeline.rendering.markdown import render_markdown
from bridge_pipeline.rendering.pdf import render_pdf
from bridge_pipeline_tests.drafting.deal_builders import LATER_ID, change_request, first_meeting, later_meeting, sow_v2
from bridge_pipeline_tests.drafting.decision_builders import clean_sow_decisions, decisions_of

REVIEWER = "Maria Lindqvist"
AT = dt.datetime(2026, 3, 4, 16, 30, tzinfo=dt.timezone.utc)
LAW_NOTE = "Client's standard terms"
VENUE_NOTE = "To be agreed with the client"
APPROVED = "Approved by Maria Lindqvist on 2026-03-04: Fine to send"
LAW_MARK = f"Set by counsel: {REVIEWER}, 2026-03-04 — {LAW_NOTE}; drafted value: England and Wales"
VENUE_MARK = f"Left open by counsel: {REVIEWER}, 2026-03-04 — {VENUE_NOTE}; drafted value: the courts of London"
HOSTILE_REVIEWER = "<script>alert(1)</script> **bold** ](javascript:x)"
HOSTILE_NOTE = "=cmd|' /C calc'!A0 <img src=x onerror=alert(1)> [click](javascript:x) </para><font name=x>林"


def _action(draft: ContractDraft, n: int, action: str, field: str | None = None, value: str | None = None,
            note: str = "", reviewer: str = REVIEWER) -> ReviewAction:
    return ReviewAction(
        action_id=n,
        recorded_at=AT + dt.timedelta(minutes=n),
        reviewer=reviewer,
        action=action,
        draft_id=draft.draft_id,
        draft_version=draft.version,
        meeting_id=draft.meeting_id,
        partition_date=draft.partition_date,
        field_name=field,
        after_value=value,
        note=note,
    )


def _drafted() -> ContractDraft:
    return draft_meeting(first_meeting(), clean_sow_decisions()).drafts[0]


def _reviewed(verdict: str = "approve", *, reviewer: str = REVIEWER, law_note: str = LAW_NOTE,
              verdict_note: str = "Fine to send") -> ContractDraft:
    """Counsel corrects the governing law, leaves the venue open on purpose, then approves (or asks for changes)."""
    draft = _drafted()
    values = [
        _action(draft, 1, "set_value", "governing_law", "Ireland", law_note, reviewer),
        _action(draft, 2, "set_value", "venue", None, VENUE_NOTE, reviewer),
    ]
    fingerprint = cover_fingerprint(draft, reviewed_fields(draft.fields, values))
    verdict_action = _action(draft, 3, verdict, value=fingerprint if verdict == "approve" else None,
                             note=verdict_note, reviewer=reviewer)
    return apply_review(draft, [*values, verdict_action], clause_context(first_meeting(), "UTC"))


def _document(draft: ContractDraft) -> RenderDocument:
    return document_for_draft(first_meeting(), draft, (), clean_sow_decisions())


def _bundle(draft: ContractDraft) -> dict:
    return build_bundle(first_meeting(), draft, clean_sow_decisions(), (), None)


def _markdown(draft: ContractDraft) -> str:
    return render_markdown(_document(draft)).decode("utf-8")


def _pdf_text(draft: ContractDraft) -> str:
    pages = PdfReader(io.BytesIO(render_pdf(_document(draft)))).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _docx(draft: ContractDraft) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(_document(draft))))


def _docx_text(document: docx.document.Document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    headers = [p.text for section in document.sections for p in section.header.paragraphs]
    return "\n".join(headers + [p.text for p in document.paragraphs] + cells)


def _header(table) -> list[str]:
    return [cell.text for cell in table.rows[0].cells]


def _appendix(markdown: str) -> str:
    return markdown.split("## Appendix A: Provenance", 1)[1]


@pytest.fixture(scope="module")
def approved() -> ContractDraft:
    return _reviewed()


# --- the render document ---------------------------------------------------------------------------


def test_document_carries_the_approval_and_marks_counsels_values(approved):
    doc = _document(approved)
    assert (doc.review_line.status, doc.review_line.text) == ("approved", APPROVED)
    cover = {r.label: r for r in doc.cover_rows}
    law, venue = cover["Governing law"], cover["Courts or seat of arbitration"]
    assert (law.value, law.source, law.set_by_counsel) == ("Ireland", LAW_MARK, True)
    assert (venue.value, venue.is_tbd, venue.source) == ("TBD", True, VENUE_MARK)
    assert not cover["Total fee"].set_by_counsel
    left_open = f"Courts or seat of arbitration (required): TBD, left open by counsel ({REVIEWER}, 2026-03-04): {VENUE_NOTE}"
    assert left_open in doc.open_points
    assert [(r.label, r.value, r.reviewer, r.reviewed_on, r.note, r.drafted_value) for r in doc.counsel_rows] == [
        ("Governing law", "Ireland", REVIEWER, "2026-03-04", LAW_NOTE, "England and Wales"),
        ("Courts or seat of arbitration", "TBD", REVIEWER, "2026-03-04", VENUE_NOTE, "the courts of London"),
    ]
    assert doc.watermark == WATERMARK


def test_a_request_for_changes_names_reviewer_date_and_note():
    doc = _document(_reviewed("request_changes", verdict_note="Fee schedule missing"))
    assert (doc.review_line.status, doc.review_line.text) == (
        "changes_requested",
        "Changes requested by Maria Lindqvist on 2026-03-04: Fee schedule missing",
    )


def test_a_value_counsel_changed_in_a_later_version_names_counsel_in_the_redline():
    draft = sow_v2()
    fee = _action(draft, 1, "set_value", "fee_total", "EUR 50,000.00", "Discount agreed by phone")
    reviewed = apply_review(draft, [fee], clause_context(later_meeting(), "UTC"))
    doc = document_for_draft(later_meeting(), reviewed, (), decisions_of(*change_request(), meeting_id=LATER_ID))
    row = next(r for r in doc.redline.rows if r.label == "Total fee")
    assert row.after_source == (
        f"Set by counsel: {REVIEWER}, 2026-03-04 — Discount agreed by phone; drafted value: EUR 52,500.00"
    )
    assert doc.review_line is None  # values set, nothing approved yet


# --- each format -------------------------------------------------------------------------------------


def test_markdown_shows_the_approval_under_the_title_and_counsel_in_the_appendix(approved):
    text = _markdown(approved)
    lines = text.splitlines()
    assert lines[lines.index("# Statement of Work") + 4] == f"**{APPROVED}**"
    assert WATERMARK in lines[0] and WATERMARK in lines[-1]
    assert f"| Governing law \\* | Ireland | {LAW_MARK} |" in text
    assert f"| Courts or seat of arbitration \\* | **TBD** | {VENUE_MARK} |" in text
    appendix = _appendix(text)
    assert "### Set by counsel at review" in appendix
    assert f"| Governing law | Ireland | {REVIEWER} | 2026-03-04 | {LAW_NOTE} | England and Wales |" in appendix
    venue = f"| Courts or seat of arbitration | TBD | {REVIEWER} | 2026-03-04 | {VENUE_NOTE} | the courts of London |"
    assert venue in appendix


def test_pdf_shows_the_approval_and_counsel_in_the_appendix_with_the_watermark_on_every_page(approved):
    data = render_pdf(_document(approved))
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]
    assert APPROVED in pages[0]
    assert all(WATERMARK in page for page in pages)
    text = " ".join(pages)
    appendix = text.split("Appendix A: Provenance", 1)[1]
    assert "Set by counsel at review" in appendix and LAW_NOTE in appendix and VENUE_NOTE in appendix
    assert f"Ireland {REVIEWER} 2026-03-04" in appendix
    assert "Set by counsel: Maria Lindqvist," in text and "Left open by counsel: Maria Lindqvist," in text


def test_docx_shows_the_approval_under_the_title_and_counsel_in_the_appendix(approved):
    document = _docx(approved)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:3] == [approved.title, "SOW draft · version 1 · template 1.2.0", APPROVED]
    assert document.sections[0].header.paragraphs[0].text == WATERMARK
    counsel = next(t for t in document.tables if _header(t)[2:3] == ["Set by counsel"])
    assert [c.text for c in counsel.rows[1].cells] == [
        "Governing law", "Ireland", REVIEWER, "2026-03-04", LAW_NOTE, "England and Wales"
    ]
    assert paragraphs.index("Set by counsel at review") > paragraphs.index("Appendix A: Provenance")
    cover = next(t for t in document.tables if _header(t) == ["Field", "Value", "Source"])
    rows = {row.cells[0].text: (row.cells[1].text, row.cells[2].text) for row in cover.rows[1:]}
    assert rows["Governing law *"] == ("Ireland", LAW_MARK)
    assert rows["Courts or seat of arbitration *"] == ("TBD", VENUE_MARK)


def test_bundle_carries_the_review_and_each_value_counsel_set(approved):
    bundle = _bundle(approved)
    validate_bundle(bundle)
    assert bundle["schema_version"] == "1.2"
    assert bundle["review"] == {
        "status": "approved", "reviewer": REVIEWER, "reviewed_at": "2026-03-04T16:33:00+00:00", "note": "Fine to send"
    }
    fields = {f["name"]: f for f in bundle["fields"]}
    law, venue = fields["governing_law"], fields["venue"]
    assert (law["value"], law["decision_ids"], law["citations"]) == ("Ireland", [], [])
    assert law["review"] == {
        "reviewer": REVIEWER, "reviewed_at": "2026-03-04T16:31:00+00:00", "note": LAW_NOTE,
        "drafted_value": "England and Wales",
    }
    assert (venue["value"], venue["tbd"], venue["review"]["drafted_value"]) == (None, True, "the courts of London")
    assert "review" not in fields["fee_total"]


def test_bundle_of_values_set_but_not_yet_approved_has_a_null_review():
    draft = _drafted()
    reviewed = apply_review(
        draft, [_action(draft, 1, "set_value", "governing_law", "Ireland")], clause_context(first_meeting(), "UTC")
    )
    bundle = _bundle(reviewed)
    validate_bundle(bundle)
    assert (bundle["schema_version"], bundle["review"]) == ("1.2", None)


def test_a_review_in_a_bundle_that_says_1_1_is_rejected(approved):
    bundle = dict(_bundle(approved), schema_version="1.1")
    with pytest.raises(Exception, match="1.2"):
        validate_bundle(bundle)


def test_reviewed_exports_are_byte_identical_twice(approved):
    doc, bundle = _document(approved), _bundle(approved)
    assert render_all(doc, bundle, doc.document_id) == render_all(doc, bundle, doc.document_id)


# --- a draft counsel has not touched -----------------------------------------------------------------


def test_an_unreviewed_draft_shows_nothing_of_review_in_any_format():
    draft = _drafted()
    doc = _document(draft)
    assert doc.review_line is None and doc.counsel_rows == () and not any(r.set_by_counsel for r in doc.cover_rows)
    for text in (_markdown(draft), _pdf_text(draft), _docx_text(_docx(draft))):
        assert "Approved by" not in text and "by counsel:" not in text and "Set by counsel" not in text
        assert WATERMARK in text
    bundle = _bundle(draft)
    assert bundle["schema_version"] == "1.1" and "review" not in bundle
    assert all("review" not in f for f in bundle["fields"])


# --- counsel's text stays text -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile() -> ContractDraft:
    return _reviewed(reviewer=HOSTILE_REVIEWER, law_note=HOSTILE_NOTE, verdict_note=HOSTILE_NOTE)


def test_hostile_reviewer_and_note_stay_literal_text_in_markdown(hostile):
    text = _markdown(hostile)
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in html and "<img" not in html and "<font" not in html
    assert "<a " not in html  # no link at all, so none to javascript:
    assert "<strong>bold</strong>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold** ](javascript:x)" in html
    assert "=cmd|' /C calc'!A0" in html.replace("&#x27;", "'").replace("&quot;", '"')
    # Every table row keeps its cell count: no pipe in counsel's text opened a new cell.
    counsel_rows = [line for line in _appendix(text).splitlines() if line.startswith("| Governing law |")]
    assert counsel_rows and all(line.count(" | ") == 5 for line in counsel_rows)


def test_hostile_reviewer_and_note_stay_inert_in_docx(hostile):
    data = render_docx(_document(hostile))
    document = docx.Document(io.BytesIO(data))
    text = _docx_text(document)
    assert f"Approved by {HOSTILE_REVIEWER} on 2026-03-04: {HOSTILE_NOTE}" in text
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode("utf-8")
        relations = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".rels"))
    assert "<script" not in body and "<img" not in body
    assert "instrText" not in body and "fldSimple" not in body and "w:hyperlink" not in body  # no fields, no links
    assert 'TargetMode="External"' not in relations


def test_hostile_reviewer_and_note_stay_text_in_pdf(hostile):
    data = render_pdf(_document(hostile))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert "<script>alert(1)</script>" in text and "=cmd|' /C calc'!A0" in text and "</para><font name=x>林" in text
    assert b"/JavaScript" not in data and b"/URI" not in data and b"/Launch" not in data


def test_hostile_reviewer_and_note_are_kept_verbatim_in_a_valid_bundle(hostile):
    bundle = _bundle(hostile)
    validate_bundle(bundle)
    assert bundle["review"]["reviewer"] == HOSTILE_REVIEWER and bundle["review"]["note"] == HOSTILE_NOTE
    assert json.loads(render_json(bundle)) == bundle
