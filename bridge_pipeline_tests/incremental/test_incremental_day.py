"""Within a day, each stage redoes only the meetings whose inputs changed and keeps the others' rows and files.

The day is the benchmark's synthetic day: groups of five meetings (vendor call, its follow-up later the
same day, service review, partnership call, stand-up), each group with its own parties.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bridge_pipeline_tests.incremental.line import STAGES, CountingExtractor, Line, Work, synthetic_day

DAY = dt.date(2026, 5, 14)
MEETINGS = 10


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Line, Work]:
    """The day built and run once from nothing; each test works on a copy of it."""
    line = Line(tmp_path_factory.mktemp("day") / "line")
    line.build_day(DAY, MEETINGS)
    return line, line.run(DAY)


@pytest.fixture
def line(first_run: tuple[Line, Work], tmp_path: Path) -> Line:
    return first_run[0].copy(tmp_path / "line")


def _ids(line: Line) -> list[str]:
    return [m.meeting_id for m in sorted(line.store.load_meetings(DAY), key=lambda m: m.started_at)]


def _fresh_copy(line: Line, tmp_path: Path) -> Line:
    """A new line over a copy of the same inbox, run once from nothing."""
    import shutil

    fresh = Line(tmp_path / "fresh")
    shutil.copytree(line.inbox, fresh.inbox, dirs_exist_ok=True)
    fresh.run(DAY)
    return fresh


def test_rerunning_an_unchanged_day_does_no_work_and_keeps_rows_and_files(line: Line, first_run):
    first = first_run[1]
    for stage in ("parsed", "extracted", "drafted", "exported"):
        assert len(first.meetings(stage)) == MEETINGS, stage
    assert len(first.meetings("checked")) == MEETINGS - MEETINGS // 5  # the stand-ups have no draft to check
    rows, files = line.rows(DAY), line.files(DAY)

    extractor = CountingExtractor()
    again = line.run(DAY, extractor=extractor)

    assert extractor.calls == [] and again.nothing() and again.rewritten == set()
    # Same rows down to their ids, same files down to inode and mtime: nothing was rewritten.
    assert line.rows(DAY) == rows
    assert line.files(DAY) == files
    for stage, report in again.reports.items():
        if stage == "raw_recordings":
            continue
        assert report.counts.get("meetings_kept") == MEETINGS and "meetings_redone" not in report.counts, stage
        changed = {k: v for k, v in report.counts.items() if k not in ("meetings_kept", "meetings_redone")}
        assert changed == {
            k: v for k, v in first.reports[stage].counts.items() if k not in ("meetings_kept", "meetings_redone")
        }, stage


def test_adding_one_meeting_redoes_only_that_meeting(line: Line, tmp_path: Path):
    earlier = set(_ids(line))
    rows, files = line.rows_of(DAY, earlier), line.files_of(DAY, earlier)

    # A vendor call of a new group, started in the middle of the day (before half of the others).
    middle = synthetic_day.meeting_start(DAY, 4, MEETINGS) + dt.timedelta(minutes=5)
    added = line.add_meeting(DAY, 2 * 5 * 100, middle)
    extractor = CountingExtractor()
    work = line.run(DAY, extractor=extractor)

    assert extractor.calls == [added]
    for stage in STAGES:
        assert work.meetings(stage) == {added}, stage
    assert work.rewritten == set()  # the new meeting's rows were added, no other row deleted or updated
    assert line.rows_of(DAY, earlier) == rows
    assert line.files_of(DAY, earlier) == files
    assert line.files_of(DAY, {added})
    # The day now holds exactly what a run over all eleven meetings from nothing stores.
    fresh = _fresh_copy(line, tmp_path)
    assert line.rows(DAY, with_ids=False) == fresh.rows(DAY, with_ids=False)
    assert line.file_bytes(DAY) == fresh.file_bytes(DAY)


def test_changing_one_transcript_redoes_that_meeting_only(line: Line, tmp_path: Path):
    ids = _ids(line)
    review = ids[7]  # the second group's service review: nothing else builds on it
    assert "service-review" in review
    others = set(ids) - {review}
    rows, files = line.rows_of(DAY, others), line.files_of(DAY, others)

    line.edit_transcript(DAY, review, "10%", "12%")
    extractor = CountingExtractor()
    work = line.run(DAY, extractor=extractor)

    assert extractor.calls == [review]
    for stage in STAGES:
        assert work.meetings(stage) == {review}, stage
    assert work.rewritten == {review}
    assert line.rows_of(DAY, others) == rows
    assert line.files_of(DAY, others) == files
    fresh = _fresh_copy(line, tmp_path)
    assert line.rows(DAY, with_ids=False) == fresh.rows(DAY, with_ids=False)
    assert line.file_bytes(DAY) == fresh.file_bytes(DAY)


def test_changing_a_vendor_call_redoes_its_follow_up_of_the_same_day_too(line: Line, tmp_path: Path):
    ids = _ids(line)
    call, follow_up = ids[5], ids[6]
    assert "vendor-call" in call and "vendor-followup" in follow_up
    others = set(ids) - {call, follow_up}
    rows, files = line.rows_of(DAY, others), line.files_of(DAY, others)

    # A higher fee and a last milestone that still adds up to it, so QA withholds nothing.
    line.edit_transcript(DAY, call, "€48,000", "€49,500")
    line.edit_transcript(DAY, call, "€30,000", "€31,500")
    extractor = CountingExtractor()
    work = line.run(DAY, extractor=extractor)

    # Only the call is read again; the follow-up is redrafted because the deal it continues changed.
    assert extractor.calls == [call] and work.meetings("parsed") == {call}
    for stage in ("drafted", "checked", "exported"):
        assert work.meetings(stage) == {call, follow_up}, stage
    assert line.store.load_exports(DAY)[1] == []
    assert work.rewritten == {call, follow_up}
    assert line.rows_of(DAY, others) == rows
    assert line.files_of(DAY, others) == files
    fresh = _fresh_copy(line, tmp_path)
    assert line.rows(DAY, with_ids=False) == fresh.rows(DAY, with_ids=False)
    assert line.file_bytes(DAY) == fresh.file_bytes(DAY)


def test_removing_a_meeting_drops_its_rows_and_files_and_keeps_the_rest(line: Line, tmp_path: Path):
    ids = _ids(line)
    gone = ids[9]  # a stand-up
    others = set(ids) - {gone}
    rows, files = line.rows_of(DAY, others), line.files_of(DAY, others)
    for path in line.day_folder(DAY).glob("weekly-standup-0009*"):
        path.unlink()

    work = line.run(DAY)

    assert work.nothing() and work.rewritten == {gone}
    assert line.rows_of(DAY, {gone}) == {name: [] for name in rows}
    assert line.files_of(DAY, {gone}) == {}
    assert line.rows_of(DAY, others) == rows and line.files_of(DAY, others) == files


def test_a_new_extractor_version_redoes_every_meeting(line: Line):
    extractor = CountingExtractor(name="offline-rules/2-next")
    work = line.run(DAY, extractor=extractor)

    assert sorted(extractor.calls) == sorted(_ids(line))
    assert work.meetings("drafted") == set(_ids(line))  # every MeetingDecisions names the new extractor
    assert {md.extractor for md in line.store.load_decisions(DAY).values()} == {"offline-rules/2-next"}
    assert work.meetings("parsed") == set()


def test_a_new_timezone_redoes_every_meeting(line: Line):
    extractor = CountingExtractor()
    work = line.run(DAY, extractor=extractor, timezone="Europe/Berlin")

    assert sorted(extractor.calls) == sorted(_ids(line))
    assert work.meetings("drafted") == set(_ids(line))
    assert work.meetings("parsed") == set()
    # Back to UTC: redone again, since the stored rows are Berlin's now.
    extractor = CountingExtractor()
    line.run(DAY, extractor=extractor)
    assert len(extractor.calls) == MEETINGS


def test_a_deleted_export_file_is_rendered_again(line: Line):
    ids = _ids(line)
    (victim,) = [p for p in (line.blobs.root / "exports" / DAY.isoformat() / ids[2]).iterdir() if p.suffix == ".pdf"]
    victim.unlink()

    work = line.run(DAY)

    assert work.meetings("exported") == {ids[2]} and work.meetings("drafted") == set()
    assert work.rewritten == {ids[2]}
    assert victim.is_file()


def test_a_meeting_that_fails_a_stage_is_tried_again_on_the_next_run(line: Line):
    ids = _ids(line)
    review = ids[2]

    class Failing(CountingExtractor):
        def extract(self, meeting, transcript, timezone):
            if meeting.meeting_id == review:
                self.calls.append(meeting.meeting_id)
                from bridge_pipeline.errors import BadInputError

                raise BadInputError(meeting.meeting_id, "the model gave up")
            return super().extract(meeting, transcript, timezone)

    line.edit_transcript(DAY, review, "10%", "12%")
    failing = Failing()
    line.run(DAY, extractor=failing)
    assert failing.calls == [review]
    assert [p.location for p in line.store.load_problems(DAY, stage="decisions")] == [review]
    assert review not in line.store.load_decisions(DAY)

    extractor = CountingExtractor()
    work = line.run(DAY, extractor=extractor)
    assert extractor.calls == [review] and work.meetings("drafted") == {review}
    assert line.store.load_problems(DAY, stage="decisions") == []


@pytest.mark.postgres
def test_on_postgresql_a_rerun_keeps_every_row_and_a_new_meeting_only_adds_its_own(
    tmp_path: Path, postgres_database_url: str
):
    line = Line(tmp_path / "pg", database_url=postgres_database_url)
    try:
        earlier = set(line.build_day(DAY, 5))
        line.run(DAY)
        rows = line.rows(DAY)

        extractor = CountingExtractor()
        assert line.run(DAY, extractor=extractor).nothing() and extractor.calls == []
        # A PostgreSQL sequence never hands out an id twice: equal ids are the very same rows.
        assert line.rows(DAY) == rows

        added = line.add_meeting(DAY, 5, synthetic_day.meeting_start(DAY, 2, 5) + dt.timedelta(minutes=5))
        work = line.run(DAY)
        for stage in ("parsed", "extracted", "drafted", "exported"):
            assert work.meetings(stage) == {added}, stage
        before = {name: [r for r in found if r.get("meeting_id") in earlier] for name, found in rows.items()}
        assert line.rows_of(DAY, earlier) == before
    finally:
        line.store.dispose()
