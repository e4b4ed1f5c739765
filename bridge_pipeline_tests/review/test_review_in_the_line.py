"""Counsel's review in the line: values counsel set win, approvals hold for what was approved, and the next
meeting of the deal starts from the reviewed version."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bridge_pipeline import pipeline
from bridge_pipeline.drafting.review import REVIEWED_NOTE, cover_fingerprint
from bridge_pipeline.models import ContractDraft, ReviewAction
from bridge_pipeline_tests.incremental.line import Line

DAY_1, DAY_2 = dt.date(2026, 5, 14), dt.date(2026, 5, 15)
REVIEWER = "counsel@acme.example"

KICKOFF = [
    "Anna Berg (Acme): Thanks for joining. Acme Ltd is the customer here, and Nordlicht Analytics GmbH provides the work.",
    "Jonas Weber (Nordlicht): Agreed. The scope is a data platform migration.",
    "Anna Berg (Acme): We agree the fixed fee is €48,000 for the whole statement of work.",
    "Jonas Weber (Nordlicht): Yes, €48,000 is agreed.",
    "Anna Berg (Acme): Governing law we leave open for now.",
    "Jonas Weber (Nordlicht): Fine, we come back on governing law.",
]


def _write(line: Line, day: dt.date, stem: str, title: str, lines: list[str], hour: int) -> None:
    folder = line.day_folder(day)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    meta = {"title": title, "started_at": f"{day.isoformat()}T{hour:02d}:00:00+00:00"}
    (folder / f"{stem}.meta.json").write_text(json.dumps(meta), encoding="utf-8")


def _sow(line: Line, day: dt.date) -> ContractDraft:
    (draft,) = [d for md in line.store.load_drafts(day).values() for d in md.drafts if d.contract_type == "SOW"]
    return draft


def _act(line: Line, draft: ContractDraft, action: str, field: str | None = None, value: str | None = None,
         note: str = "") -> ReviewAction:
    before = draft.field(field).value if field else None
    return line.store.reviews.append(
        ReviewAction(
            recorded_at=dt.datetime.now(dt.timezone.utc),
            reviewer=REVIEWER,
            action=action,
            draft_id=draft.draft_id,
            draft_version=draft.version,
            meeting_id=draft.meeting_id,
            partition_date=draft.partition_date,
            field_name=field,
            before_value=before,
            after_value=value,
            note=note,
        )
    )


def _approve(line: Line, draft: ContractDraft, fields=None) -> ReviewAction:
    reviewed = draft if fields is None else draft.model_copy(update={"fields": fields})
    return _act(line, draft, "approve", value=cover_fingerprint(reviewed), note="fine to send")


def _bundle(line: Line, day: dt.date, draft: ContractDraft) -> dict:
    name = f"{draft.draft_id}.json" if draft.version == 1 else f"{draft.draft_id}-v{draft.version}.json"
    (path,) = [p for p in (line.blobs.root / pipeline.export_prefix(day)).rglob(name)]
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def line(tmp_path: Path) -> Line:
    line = Line(tmp_path / "line")
    _write(line, DAY_1, "kickoff", "Nordlicht / Acme — statement of work", KICKOFF, 9)
    line.run(DAY_1)
    return line


def _follow_up(line: Line, extra: list[str]) -> None:
    _write(
        line,
        DAY_2,
        "follow-up",
        "Nordlicht / Acme — statement of work, follow-up",
        [
            "Anna Berg (Acme): Good to see you again, Nordlicht Analytics GmbH and Acme Ltd on the statement of work.",
            *extra,
        ],
        10,
    )


def test_a_filled_value_and_an_approval_reach_the_draft_its_qa_and_its_exports(line: Line):
    draft = _sow(line, DAY_1)
    assert draft.field("governing_law").is_tbd
    _act(line, draft, "set_value", "governing_law", "the laws of Ireland", note="agreed by e-mail on 15 May")
    filled = draft.field("governing_law").model_copy(update={"value": "the laws of Ireland"})
    fields = tuple(filled if f.name == "governing_law" else f for f in draft.fields)
    _approve(line, draft, fields)

    work = line.run(DAY_1)

    assert work.extracted == [] and len(work.drafted) == 1  # only drafting onwards redone, for that meeting
    reviewed = _sow(line, DAY_1)
    law = reviewed.field("governing_law")
    assert law.value == "the laws of Ireland" and law.review is not None
    assert (law.review.reviewer, law.review.note, law.review.extracted_value) == (
        REVIEWER, "agreed by e-mail on 15 May", None)
    assert reviewed.review is not None and reviewed.review.status == "approved"
    assert reviewed.field("fee_total") == draft.field("fee_total")  # the rest is as drafted
    clauses = " ".join(c.body for c in reviewed.clauses)
    assert "the laws of Ireland" in clauses and "TBD (Governing law)" not in clauses and REVIEWED_NOTE in clauses
    findings = [f for f in line.store.load_qa_findings(DAY_1) if f.draft_id == draft.draft_id]
    assert not [f for f in findings if f.field == "governing_law"]
    bundle = json.dumps(_bundle(line, DAY_1, reviewed))
    assert "the laws of Ireland" in bundle and REVIEWER in bundle

    rows, files = line.rows(DAY_1), line.file_bytes(DAY_1)
    again = line.run(DAY_1)
    assert again.nothing() and line.rows(DAY_1) == rows and line.file_bytes(DAY_1) == files


def test_an_approval_does_not_cover_a_value_changed_after_it(line: Line):
    draft = _sow(line, DAY_1)
    _approve(line, draft)
    line.run(DAY_1)
    assert _sow(line, DAY_1).review.status == "approved"

    _act(line, draft, "set_value", "fee_total", "EUR 50,000.00", note="fee corrected after approval")
    line.run(DAY_1)

    reviewed = _sow(line, DAY_1)
    assert reviewed.field("fee_total").value == "EUR 50,000.00"
    assert reviewed.review is None  # the approval was of EUR 48,000.00


def test_changes_requested_stands_until_an_approval(line: Line):
    draft = _sow(line, DAY_1)
    _act(line, draft, "request_changes", note="scope is too thin")
    line.run(DAY_1)
    assert (_sow(line, DAY_1).review.status, _sow(line, DAY_1).review.note) == ("changes_requested", "scope is too thin")
    _approve(line, draft)
    line.run(DAY_1)
    assert _sow(line, DAY_1).review.status == "approved"


def test_a_value_counsel_set_survives_the_next_meeting_that_does_not_change_it(line: Line):
    draft = _sow(line, DAY_1)
    _act(line, draft, "set_value", "governing_law", "the laws of Ireland", note="from the term sheet")
    _approve(line, draft)  # of the drafted cover page: no longer matches once the law is filled
    line.run(DAY_1)
    _follow_up(line, [
        "Jonas Weber (Nordlicht): Payment terms: thirty days from invoice, agreed?",
        "Anna Berg (Acme): Yes, thirty days from invoice is agreed.",
    ])

    line.run(DAY_2)

    v2 = _sow(line, DAY_2)
    assert (v2.draft_id, v2.version) == (draft.draft_id, 2)
    law = v2.field("governing_law")
    assert law.value == "the laws of Ireland" and law.review is not None and law.review.reviewer == REVIEWER
    assert "governing_law" not in {c.name for c in v2.changes}
    assert v2.review is None  # a new version is not approved until counsel approves it


def test_the_next_meeting_changing_a_reviewed_value_wins_and_the_redline_shows_it(line: Line):
    draft = _sow(line, DAY_1)
    _act(line, draft, "set_value", "fee_total", "EUR 52,000.00", note="fee per the signed quote")
    line.run(DAY_1)
    _follow_up(line, [
        "Jonas Weber (Nordlicht): We agreed to raise the fixed fee to €55,000 for the statement of work.",
        "Anna Berg (Acme): Yes, €55,000 is agreed.",
    ])

    line.run(DAY_2)

    v2 = _sow(line, DAY_2)
    assert v2.field("fee_total").value == "EUR 55,000.00" and v2.field("fee_total").review is None
    (change,) = [c for c in v2.changes if c.name == "fee_total"]
    assert change.before.value == "EUR 52,000.00" and change.before.review is not None


def test_the_next_meeting_restating_the_value_counsel_corrected_away_keeps_counsel_s_value(line: Line):
    draft = _sow(line, DAY_1)
    _act(line, draft, "set_value", "fee_total", "EUR 52,000.00", note="fee per the signed quote")
    line.run(DAY_1)
    _follow_up(line, [
        "Jonas Weber (Nordlicht): As before, the fixed fee is €48,000 for the statement of work.",
        "Anna Berg (Acme): Yes, €48,000 is agreed.",
    ])

    line.run(DAY_2)

    v2 = _sow(line, DAY_2)
    assert v2.field("fee_total").value == "EUR 52,000.00" and v2.field("fee_total").review is not None
    assert "fee_total" not in {c.name for c in v2.changes}
