from __future__ import annotations

from bridge_pipeline.models import WATERMARK
from bridge_pipeline.rendering.document import document_for_decision_record, document_for_draft
from bridge_pipeline.rendering.markdown import render_markdown
from bridge_pipeline_tests.rendering import samples


def _markdown(title: str = "Acme × Nordlys: NDA & pilot pricing") -> str:
    doc = document_for_draft(samples.meeting(title=title), samples.draft(), samples.findings(), samples.decisions())
    return render_markdown(doc).decode("utf-8")


def test_markdown_starts_and_ends_with_the_watermark():
    lines = _markdown().rstrip("\n").splitlines()
    assert WATERMARK in lines[0]
    assert WATERMARK in lines[-1]


def test_markdown_shows_tbd_for_an_unfilled_field_on_the_cover_table():
    text = _markdown()
    assert "| Effective date \\* | **TBD** |" in text
    assert "## Open points (TBD)" in text


def test_markdown_escapes_table_pipes_and_emphasis_in_meeting_titles():
    text = _markdown(title="Q1 | *draft* [link](x)")
    assert "| Meeting | Q1 \\| \\*draft\\* \\[link\\](x) |" in text


def test_markdown_keeps_non_latin_names_as_utf8():
    assert "Łukasz Wróbel" in _markdown()


def test_decision_record_markdown_has_reason_and_no_qa_section():
    doc = document_for_decision_record(samples.meeting(), samples.decisions(), samples.no_draft())
    text = render_markdown(doc).decode("utf-8")
    assert "### 1. Why no contract draft was made" in text
    assert "Review findings" not in text


def test_clause_paragraph_starting_like_a_list_item_stays_a_paragraph():
    draft = samples.draft()
    numbered = draft.clauses[0].model_copy(update={"body": "1. Acme shall pay.\n\n- not a bullet"})
    draft = draft.model_copy(update={"clauses": (numbered, *draft.clauses[1:])})
    doc = document_for_draft(samples.meeting(), draft, (), samples.decisions())
    lines = render_markdown(doc).decode("utf-8").splitlines()
    assert "1\\. Acme shall pay." in lines
    assert "\\- not a bullet" in lines
