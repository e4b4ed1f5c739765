from __future__ import annotations

import io
import zipfile

import docx
import pytest

from bridge_pipeline.models import WATERMARK
from bridge_pipeline.rendering.document import document_for_decision_record, document_for_draft
from bridge_pipeline.rendering.docx import render_docx
from bridge_pipeline_tests.rendering import samples


@pytest.fixture(scope="module")
def draft_docx() -> bytes:
    doc = document_for_draft(samples.meeting(), samples.draft(), samples.findings(), samples.decisions())
    return render_docx(doc)


def test_docx_header_of_every_section_carries_the_watermark(draft_docx):
    document = docx.Document(io.BytesIO(draft_docx))
    assert document.sections
    for section in document.sections:
        assert section.header.paragraphs[0].text == WATERMARK


def test_docx_footer_has_watermark_and_page_x_of_y_fields(draft_docx):
    document = docx.Document(io.BytesIO(draft_docx))
    footer = document.sections[0].footer.paragraphs[0]
    assert WATERMARK in footer.text
    instructions = [node.text.strip() for node in footer._p.iter() if node.tag.endswith("}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]


def test_docx_cover_table_shows_values_and_tbd(draft_docx):
    document = docx.Document(io.BytesIO(draft_docx))
    cover = next(t for t in document.tables if t.rows[0].cells[0].text == "Field")
    rows = {row.cells[0].text: (row.cells[1].text, row.cells[2].text) for row in cover.rows[1:]}
    assert rows["Governing law *"] == ("Delaware", "d002 · Zofia Kowalczyk 00:12:31")
    assert rows["Second party *"][0] == "Nordlys Øresund ApS"
    assert rows["Effective date *"] == ("TBD", "")


def test_docx_uses_word_title_and_heading_styles(draft_docx):
    styles = [(p.style.name, p.text) for p in docx.Document(io.BytesIO(draft_docx)).paragraphs]
    assert styles[0] == ("Title", samples.draft().title)
    assert ("Heading 1", "Open points (TBD)") in styles
    assert ("Heading 2", "3. Governing law") in styles
    assert ("List Bullet", "Effective date (required): TBD, not settled in the meeting") in styles


def test_docx_core_properties_come_from_the_document_not_the_clock(draft_docx):
    props = docx.Document(io.BytesIO(draft_docx)).core_properties
    assert props.author == "bridge_pipeline"
    assert props.created.date() == samples.DAY
    assert props.modified.date() == samples.DAY
    assert props.identifier == "zoom-2026-03-05-acme-nordlys-nda"


def test_docx_zip_entries_are_dated_with_the_issue_day(draft_docx):
    with zipfile.ZipFile(io.BytesIO(draft_docx)) as package:
        stamps = {entry.date_time for entry in package.infolist()}
    assert stamps == {(2026, 3, 5, 0, 0, 0)}


def test_docx_renders_identical_bytes_twice(draft_docx):
    doc = document_for_draft(samples.meeting(), samples.draft(), samples.findings(), samples.decisions())
    assert render_docx(doc) == draft_docx


def test_decision_record_docx_lists_action_items():
    doc = document_for_decision_record(samples.meeting(), samples.decisions(), samples.no_draft())
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(render_docx(doc))).paragraphs)
    assert "Why no contract draft was made" in text
    assert "Owner: Søren Møller" in text
