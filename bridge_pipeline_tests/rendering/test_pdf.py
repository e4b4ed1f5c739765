from __future__ import annotations

import io
import re

import pypdf
import pytest
from reportlab.lib import colors

from bridge_pipeline.models import WATERMARK
from bridge_pipeline.rendering.document import document_for_draft
from bridge_pipeline.rendering.fonts import uncovered_characters, viewer_font_characters
from bridge_pipeline.rendering.pdf import render_pdf
from bridge_pipeline_tests.rendering import samples


@pytest.fixture(scope="module")
def long_pdf_pages() -> list[str]:
    doc = document_for_draft(samples.meeting(), samples.long_draft(), samples.findings(), samples.decisions())
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(doc)))
    return [page.extract_text() for page in reader.pages]


def test_watermark_is_on_every_page_of_a_multi_page_pdf(long_pdf_pages):
    assert len(long_pdf_pages) > 5
    missing = [n for n, text in enumerate(long_pdf_pages, start=1) if WATERMARK not in text]
    assert missing == []


def test_every_page_footer_says_page_x_of_the_real_total(long_pdf_pages):
    total = len(long_pdf_pages)
    for number, text in enumerate(long_pdf_pages, start=1):
        assert f"Page {number} of {total}" in text


def test_pdf_text_keeps_polish_danish_spanish_names_and_euro_sign(long_pdf_pages):
    text = "\n".join(long_pdf_pages)
    for expected in ("Łukasz Wróbel", "Søren Møller", "José Núñez", "€10,000", "“as discussed”"):
        assert expected in text


def test_pdf_renders_identical_bytes_twice():
    doc = document_for_draft(samples.meeting(), samples.draft(), samples.findings(), samples.decisions())
    assert render_pdf(doc) == render_pdf(doc)


def test_pdf_dates_are_the_issue_day():
    doc = document_for_draft(samples.meeting(), samples.draft(), (), samples.decisions())
    metadata = pypdf.PdfReader(io.BytesIO(render_pdf(doc))).metadata
    assert metadata["/CreationDate"].startswith("D:20260305000000")
    assert metadata["/Subject"] == WATERMARK


def test_japanese_title_keeps_its_text_in_the_pdf_without_failing():
    doc = document_for_draft(samples.meeting(title="東京キックオフ会議 with Łukasz"), samples.draft(), (), samples.decisions())
    first_page = pypdf.PdfReader(io.BytesIO(render_pdf(doc))).pages[0].extract_text()
    assert "東京キックオフ会議 with Łukasz" in first_page


def test_uncovered_characters_reports_what_no_pdf_font_can_draw():
    assert uncovered_characters("Łukasz Wróbel € “ok” Ωμέγα Жанна") == set()
    assert uncovered_characters("Tibetan ༀ") == {"ༀ"}
    assert viewer_font_characters("東京 서울 Łódź") == {"東", "京", "서", "울"}


def test_hostile_markup_and_a_huge_quote_do_not_break_layout():
    quote = "<b>unclosed & " + "word " * 4000
    hostile = samples.citation(99, "Mallory <script>", 10.0, quote)
    draft = samples.draft()
    law = draft.field("governing_law").model_copy(update={"citations": (hostile,), "value": "</para> & <font>"})
    draft = draft.model_copy(update={"fields": tuple(law if f.name == "governing_law" else f for f in draft.fields)})
    doc = document_for_draft(samples.meeting(), draft, (), samples.decisions())
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_pdf(doc))).pages)
    assert "</para> & <font>" in text
    assert len(re.findall(r"word", text)) >= 4000


def _five_line_rows_table():
    from bridge_pipeline.rendering.pdf_cells import CellStyle, text_table

    style = CellStyle("Helvetica", 8, 10, colors.black)
    rows = [("Item", "Quote")] + [(f"row {n}", "line " * 5) for n in range(3)]
    return text_table(rows, [100, 40], [style, style], header_style=style)  # one word a line: five-line rows


def test_the_rest_of_a_split_table_moves_to_the_next_page_instead_of_a_sliver_under_the_first_part():
    table = _five_line_rows_table()
    table.wrap(140, 1000)
    header, row = table._rowHeights[0], table._rowHeights[1]
    first, rest = table.split(140, header + row + 25)  # room for the header, one row and two lines of the next
    assert len(first._cellvalues) == 2 and first.hAlign == rest.hAlign == "LEFT"
    assert rest.split(140, header + 25) == []  # the next row is short: it goes whole to the next page
    fresh = _five_line_rows_table()
    assert len(fresh.split(140, header + 25)) == 2  # a table's start still splits its first row at the page end
