from __future__ import annotations

import pytest

from bridge_pipeline.errors import BadInputError
from bridge_pipeline.models import WATERMARK
from bridge_pipeline.rendering.document import (
    RenderDocument,
    clock_time,
    document_for_decision_record,
    document_for_draft,
)
from bridge_pipeline_tests.rendering import samples


def _draft_document() -> RenderDocument:
    return document_for_draft(samples.meeting(), samples.draft(), samples.findings(), samples.decisions())


def test_tbd_fields_are_listed_as_open_points_and_shown_tbd_on_the_cover():
    doc = _draft_document()
    assert doc.open_points[0].startswith("Effective date (required): TBD")
    assert len(doc.open_points) == 2
    tbd_rows = [r for r in doc.cover_rows if r.is_tbd]
    assert [r.label for r in tbd_rows] == ["Effective date", "Confidentiality period"]
    assert all(r.value == "TBD" and r.source == "" for r in tbd_rows)


def test_cover_row_source_names_short_decision_id_speaker_and_clock_time():
    law = next(r for r in _draft_document().cover_rows if r.label == "Governing law")
    assert law.source == "d002 · Zofia Kowalczyk 00:12:31"


def test_cover_row_keeps_the_spoken_phrase_next_to_a_normalised_value():
    fee = next(r for r in _draft_document().cover_rows if r.label == "Pilot fee")
    assert fee.value == "EUR 48000.00 (said: “€48,000”)"


def test_provenance_links_fields_and_the_clauses_that_carry_their_values():
    rows = _draft_document().provenance_rows
    assert ("Governing law", "Delaware", "d002", "Zofia Kowalczyk", "00:12:31") in [
        (r.item, r.value, r.decision_id, r.speaker, r.time) for r in rows
    ]
    clause_rows = [r for r in rows if r.item.startswith("§")]
    assert {r.item for r in clause_rows} == {"§1 Parties", "§3 Governing law"}


def test_citation_from_an_earlier_meeting_is_shown_in_a_meeting_column():
    draft = samples.draft()
    earlier = samples.citation(7, "Søren Møller", 65.0, "Delaware, as last time.", meeting_id="zoom-2026-02-20-acme")
    law = draft.field("governing_law").model_copy(
        update={"citations": (earlier,), "decision_ids": ("zoom-2026-02-20-acme-d004",)}
    )
    draft = draft.model_copy(update={"fields": tuple(law if f.name == "governing_law" else f for f in draft.fields)})
    doc = document_for_draft(samples.meeting(), draft, (), samples.decisions())
    assert doc.provenance_names_meetings
    row = next(r for r in doc.provenance_rows if r.item == "Governing law")
    # Without the earlier meeting's record at hand, its id stands in for its date and title.
    assert (row.meeting, row.decision_id, row.time) == ("zoom-2026-02-20-acme", "d004", "00:01:05")
    own = next(r for r in doc.provenance_rows if r.item == "Second party")
    assert own.meeting == "2026-03-05 · Acme × Nordlys: NDA & pilot pricing"


def test_qa_rows_are_ordered_most_severe_first():
    findings = samples.findings()[::-1]
    doc = document_for_draft(samples.meeting(), samples.draft(), findings, samples.decisions())
    assert [r.severity for r in doc.qa_rows] == ["warning", "info"]


def test_clause_body_blank_lines_become_separate_paragraphs():
    purpose = _draft_document().sections[1]
    assert purpose.title == "2. Purpose"
    assert purpose.paragraphs == ("Evaluating a pilot.", "Nothing here obliges either Party to proceed.")


def test_draft_from_another_meeting_is_refused_with_both_ids_named():
    with pytest.raises(BadInputError, match="zoom-2026-03-05-acme-nordlys.*other-meeting"):
        document_for_draft(samples.meeting(), samples.draft("other-meeting"), (), samples.decisions())


def test_decision_record_gives_reason_and_lists_action_items_with_owner_and_due_date():
    doc = document_for_decision_record(samples.meeting(), samples.decisions(), samples.no_draft())
    assert doc.kind == "decision_record"
    assert doc.document_id == "zoom-2026-03-05-acme-nordlys-decision-record"
    why, agreed, actions = doc.sections
    assert why.paragraphs == ("No agreement type was discussed; only follow-ups were assigned.",)
    assert len(agreed.paragraphs) == 3
    assert "Owner: Søren Møller — Due: 2026-03-06 (said: “by Friday”)" in actions.paragraphs[0]
    assert "Owner: TBD — Due: TBD" in actions.paragraphs[1]
    assert doc.open_points == ("Action item d005 has no owner and no due date: TBD",)
    assert doc.qa_rows is None
    assert len(doc.provenance_rows) == 5


def test_characters_xml_cannot_carry_are_dropped_from_every_text():
    doc = document_for_draft(samples.meeting(title="Kick\x00off\x0b call"), samples.draft(), (), samples.decisions())
    assert doc.meta_rows[0].value == "Kickoff call"
    assert doc.watermark == WATERMARK


@pytest.mark.parametrize(("seconds", "expected"), [(0, "00:00:00"), (59.9, "00:00:59"), (3725.2, "01:02:05")])
def test_clock_time_floors_to_whole_seconds(seconds, expected):
    assert clock_time(seconds) == expected
