"""A replace rewrites exactly one (day, stage) partition, atomically, and re-running it changes nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from bridge_pipeline.models import MeetingDrafts
from bridge_pipeline.storage.store import PipelineStore, StorageConflictError
from bridge_pipeline_tests.storage import sample_records as s

A, B = s.DAY_A, s.DAY_B


def _fill_day(store: PipelineStore, day, prefix: str) -> None:
    m1, m2 = f"{prefix}1", f"{prefix}2"
    store.replace_meetings(day, [s.meeting(m1, day), s.meeting(m2, day)], [s.problem("raw_recordings", "x", day)])
    store.replace_transcripts(day, [s.transcript(m1), s.transcript(m2)], [s.problem("transcripts", m2, day)])
    store.replace_decisions(day, [s.meeting_decisions(m1), s.meeting_decisions(m2, 0)], [])
    store.replace_drafts(day, [s.meeting_drafts(m1, day), s.no_draft(m2, day)], [s.problem("contract_drafts", m2, day)])
    store.replace_qa_findings(day, [s.finding(m1, "tbd-field")])
    store.replace_exports(
        day, [s.exported_file(m1, "pdf", day)], [s.withheld(m1)], [s.problem("contract_exports", m1, day)]
    )


def _snapshot(store: PipelineStore, day):
    return (
        store.load_meetings(day),
        store.load_transcripts(day),
        store.load_decisions(day),
        store.load_drafts(day),
        store.load_qa_findings(day),
        store.load_exports(day),
        store.load_problems(day),
    )


def test_replacing_a_day_twice_gives_the_same_rows_and_records(store: PipelineStore):
    _fill_day(store, A, "a")
    counts, records = store.row_counts(A), _snapshot(store, A)

    _fill_day(store, A, "a")

    assert store.row_counts(A) == counts
    assert _snapshot(store, A) == records
    assert counts == {
        "meetings": 2,
        "ingest_problems": 4,
        "transcripts": 2,
        "utterances": 6,
        "meeting_decisions": 2,
        "decisions": 2,
        "meeting_drafts": 2,
        "drafts": 2,
        "deal_links": 0,
        "qa_findings": 1,
        "exports": 2,
    }


def test_replacing_day_a_leaves_day_b_untouched(store: PipelineStore):
    _fill_day(store, A, "a")
    _fill_day(store, B, "b")
    counts_b, records_b = store.row_counts(B), _snapshot(store, B)

    store.replace_meetings(A, [], [])
    store.replace_transcripts(A, [], [])
    store.replace_decisions(A, [], [])
    store.replace_drafts(A, [], [])
    store.replace_qa_findings(A, [])
    store.replace_exports(A, [], [], [])

    assert set(store.row_counts(A).values()) == {0}
    assert store.row_counts(B) == counts_b
    assert _snapshot(store, B) == records_b


def test_replacing_one_stage_leaves_other_stages_and_their_problems(store: PipelineStore):
    _fill_day(store, A, "a")
    before = store.row_counts(A)

    store.replace_transcripts(A, [s.transcript("a1", lines=1)], [])

    after = store.row_counts(A)
    assert after["transcripts"] == 1 and after["utterances"] == 1
    assert {k: v for k, v in after.items() if k not in ("transcripts", "utterances", "ingest_problems")} == {
        k: v for k, v in before.items() if k not in ("transcripts", "utterances", "ingest_problems")
    }
    assert store.load_problems(A, stage="transcripts") == []
    assert [p.stage for p in store.load_problems(A)] == ["raw_recordings", "contract_drafts", "contract_exports"]


def test_failed_replace_rolls_back_and_keeps_previous_rows(store: PipelineStore):
    _fill_day(store, A, "a")
    counts, records = store.row_counts(A), _snapshot(store, A)
    duplicate = s.meeting_decisions("a1")  # two MeetingDecisions for a1 break the unique meeting_id

    with pytest.raises(StorageConflictError, match="2026-01-05"):
        store.replace_decisions(A, [s.meeting_decisions("a2", 1), duplicate, duplicate], [s.problem("decisions", "z")])

    assert store.row_counts(A) == counts
    assert _snapshot(store, A) == records


def test_decision_id_already_stored_on_another_day_fails_without_touching_either_day(store: PipelineStore):
    store.replace_decisions(A, [s.meeting_decisions("m1")], [])
    store.replace_decisions(B, [s.meeting_decisions("b1")], [])

    with pytest.raises(StorageConflictError, match="decisions"):
        store.replace_decisions(B, [s.meeting_decisions("m1")], [])

    assert list(store.load_decisions(A)) == ["m1"]
    assert list(store.load_decisions(B)) == ["b1"]


def test_later_versions_of_a_draft_can_be_stored_on_later_days(store: PipelineStore):
    first = s.draft("m1", A, version=1)
    second = s.draft("m1", B, version=2)

    store.replace_drafts(A, [MeetingDrafts(meeting_id="m1", drafts=(first,))])
    store.replace_drafts(B, [MeetingDrafts(meeting_id="m1-followup", drafts=(second,))])

    assert store.load_drafts(A)["m1"].drafts == (first,)
    assert store.load_drafts(B)["m1-followup"].drafts == (second,)
    with pytest.raises(StorageConflictError):
        store.replace_drafts(B, [MeetingDrafts(meeting_id="m1-followup", drafts=(s.draft("m1", B, version=1),))])


def test_problem_from_another_stage_is_refused_before_anything_is_deleted(store: PipelineStore):
    store.replace_meetings(A, [s.meeting("m1")], [])

    with pytest.raises(ValueError, match="'transcripts'"):
        store.replace_meetings(A, [], [s.problem("transcripts", "m1")])

    assert store.load_meetings(A) == [s.meeting("m1")]


def test_record_from_another_day_is_refused_naming_the_meeting(store: PipelineStore):
    with pytest.raises(ValueError, match="meeting m1 belongs to partition 2026-01-06, not 2026-01-05"):
        store.replace_meetings(A, [s.meeting("m1", B)], [])
    with pytest.raises(ValueError, match="draft m2-sow v1"):
        store.replace_drafts(A, [s.meeting_drafts("m2", B)], [])


def test_unknown_stage_name_is_refused_when_loading_problems(store: PipelineStore):
    with pytest.raises(ValueError, match="'qa'"):
        store.load_problems(A, stage="qa")


def test_concurrent_replaces_of_different_days_all_land(store: PipelineStore):
    days = [s.DAY_A + dt.timedelta(days=n) for n in range(4)]
    errors: list[BaseException] = []

    def fill(day: dt.date) -> None:
        try:
            for _ in range(3):
                _fill_day(store, day, f"d{day.day}-")
        except BaseException as exc:  # collected so the assertion shows it
            errors.append(exc)

    threads = [threading.Thread(target=fill, args=(day,)) for day in days]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    assert [store.row_counts(day)["utterances"] for day in days] == [6, 6, 6, 6]
