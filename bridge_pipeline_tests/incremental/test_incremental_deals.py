"""Deals across days: a later day never touches an earlier one, and a later day's meeting that builds on an
earlier day's drafts is redone on its next run once that earlier day was re-drafted."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bridge_pipeline_tests.incremental.line import STAGES, CountingExtractor, Line

DAY_1, DAY_2, DAY_3 = dt.date(2026, 5, 14), dt.date(2026, 5, 15), dt.date(2026, 5, 16)
CALL, FOLLOW_UP, REVIEW = 0, 1, 2  # indices of the first group's meetings in the synthetic day


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def first_day_run(tmp_path_factory: pytest.TempPathFactory) -> Line:
    """Day 1: the first group (call, its follow-up, review, partnership, stand-up), run. Day 2, not run yet:
    another follow-up of the first group's deal, then the second group's five meetings."""
    line = Line(tmp_path_factory.mktemp("days") / "line")
    line.build_day(DAY_1, 5)
    line.add_meeting(DAY_2, FOLLOW_UP, _at(DAY_2, 8))
    for index in range(5, 10):
        line.add_meeting(DAY_2, index, _at(DAY_2, 9 + index))
    line.run(DAY_1)
    return line


@pytest.fixture
def line(first_day_run: Line, tmp_path: Path) -> Line:
    return first_day_run.copy(tmp_path / "line")


def _id(line: Line, day: dt.date, label: str) -> str:
    (found,) = [m.meeting_id for m in line.store.load_meetings(day) if label in m.meeting_id]
    return found


def _sow(line: Line, day: dt.date, meeting_id: str):
    (draft,) = [d for d in line.store.load_drafts(day)[meeting_id].drafts if d.contract_type == "SOW"]
    return draft


def _fresh_copy(line: Line, tmp_path: Path, *days: dt.date) -> Line:
    fresh = Line(tmp_path / "fresh")
    shutil.copytree(line.inbox, fresh.inbox, dirs_exist_ok=True)
    for day in days:
        fresh.run(day)
    return fresh


def _raise_the_fee(line: Line, day: dt.date, call: str) -> None:
    """A higher fee and a last milestone that still adds up to it, so QA withholds nothing."""
    line.edit_transcript(day, call, "€48,000", "€49,500")
    line.edit_transcript(day, call, "€30,000", "€31,500")


def test_a_follow_up_on_a_later_day_leaves_the_earlier_day_untouched(line: Line):
    rows, files = line.rows(DAY_1), line.files(DAY_1)

    assert line.run(DAY_2).rewritten == set()

    call, later = _id(line, DAY_1, "vendor-call-0000"), _id(line, DAY_2, "vendor-followup-0001")
    sow = _sow(line, DAY_2, later)
    assert (sow.version, sow.deal_id) == (3, call)  # v1 the call, v2 its same-day follow-up, v3 this one
    assert line.rows(DAY_1) == rows and line.files(DAY_1) == files
    extractor = CountingExtractor()
    again = line.run(DAY_1, extractor=extractor)
    assert again.nothing() and again.rewritten == set() and extractor.calls == []
    assert line.rows(DAY_1) == rows and line.files(DAY_1) == files


def test_redrafting_an_earlier_day_redoes_the_later_days_dependent_meeting_only(line: Line, tmp_path: Path):
    line.run(DAY_2)
    call, later = _id(line, DAY_1, "vendor-call-0000"), _id(line, DAY_2, "vendor-followup-0001")
    others = {m.meeting_id for m in line.store.load_meetings(DAY_2)} - {later}
    rows, files = line.rows_of(DAY_2, others), line.files_of(DAY_2, others)

    _raise_the_fee(line, DAY_1, call)
    first_day = line.run(DAY_1)
    assert first_day.meetings("drafted") == {call, _id(line, DAY_1, "vendor-followup-0001")}

    extractor = CountingExtractor()
    work = line.run(DAY_2, extractor=extractor)

    # Its own transcript did not change, so it is not read again; it is drafted, checked and exported again.
    assert extractor.calls == [] and work.meetings("parsed") == set()
    for stage in ("drafted", "checked", "exported"):
        assert work.meetings(stage) == {later}, stage
    assert work.rewritten == {later}
    assert line.rows_of(DAY_2, others) == rows and line.files_of(DAY_2, others) == files
    fresh = _fresh_copy(line, tmp_path, DAY_1, DAY_2)
    for day in (DAY_1, DAY_2):
        assert line.rows(day, with_ids=False) == fresh.rows(day, with_ids=False)
        assert line.file_bytes(day) == fresh.file_bytes(day)


def test_a_change_outside_the_deal_on_the_earlier_day_leaves_the_later_day_alone(line: Line):
    line.run(DAY_2)
    rows, files = line.rows(DAY_2), line.files(DAY_2)

    line.edit_transcript(DAY_1, _id(line, DAY_1, "service-review-0002"), "10%", "12%")
    assert line.run(DAY_1).meetings("drafted") == {_id(line, DAY_1, "service-review-0002")}

    again = line.run(DAY_2)
    assert again.nothing() and again.rewritten == set()
    assert line.rows(DAY_2) == rows and line.files(DAY_2) == files


def test_a_day_drafted_late_makes_the_later_day_redo_the_version_it_took(tmp_path: Path):
    line = Line(tmp_path / "line")
    line.add_meeting(DAY_1, CALL, _at(DAY_1, 9))
    line.add_meeting(DAY_3, FOLLOW_UP, _at(DAY_3, 9))
    line.add_meeting(DAY_3, REVIEW, _at(DAY_3, 10))
    line.run(DAY_1)
    line.run(DAY_3)
    call, third = _id(line, DAY_1, "vendor-call"), _id(line, DAY_3, "vendor-followup")
    review = _id(line, DAY_3, "service-review")
    assert _sow(line, DAY_3, third).version == 2
    review_rows, review_files = line.rows_of(DAY_3, {review}), line.files_of(DAY_3, {review})

    # Day 2's follow-up arrives after day 3 was drafted: it takes version 2 and day 3's version 2 goes.
    second = line.add_meeting(DAY_2, FOLLOW_UP, _at(DAY_2, 9))
    line.run(DAY_2)
    assert _sow(line, DAY_2, second).version == 2
    (problem,) = line.store.load_problems(DAY_2, stage="contract_drafts")
    assert f"re-materialize {DAY_3.isoformat()}" in problem.problem

    work = line.run(DAY_3)

    for stage in ("drafted", "checked", "exported"):
        assert work.meetings(stage) == {third}, stage
    assert work.rewritten == {third}
    assert _sow(line, DAY_3, third).version == 3
    assert [d.version for d in line.store.load_draft_history(f"{call}-sow")] == [1, 2, 3]
    # Version 2's files went with it; what is there now is version 3's (exported or withheld by QA).
    names = [name.split("/", 1)[1] for name in line.files_of(DAY_3, {third})]
    assert names and all(name.startswith(f"{call}-sow-v3.") for name in names)
    assert line.rows_of(DAY_3, {review}) == review_rows and line.files_of(DAY_3, {review}) == review_files
    fresh = _fresh_copy(line, tmp_path, DAY_1, DAY_2, DAY_3)
    assert line.rows(DAY_3, with_ids=False) == fresh.rows(DAY_3, with_ids=False)
    assert line.file_bytes(DAY_3) == fresh.file_bytes(DAY_3)


def test_every_stage_keeps_every_meeting_of_both_days_on_a_second_pass(line: Line):
    line.run(DAY_2)
    for day in (DAY_1, DAY_2):
        work = line.run(day)
        assert work.nothing() and work.rewritten == set(), {stage: work.meetings(stage) for stage in STAGES}

