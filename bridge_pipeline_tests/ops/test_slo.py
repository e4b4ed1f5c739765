"""Latency SLO arithmetic and the timing rows it reads."""

from __future__ import annotations

import datetime as dt

import pytest

from bridge_pipeline.observability.slo import TRANSCRIPT_TO_EXPORT, LatencyTarget, evaluate, judge
from bridge_pipeline.storage.stage_timings import TimingStore, p95
from bridge_pipeline.storage.store import PipelineStore

D1, D2 = dt.date(2026, 5, 14), dt.date(2026, 5, 15)
T0 = dt.datetime(2026, 5, 14, 9, 0, tzinfo=dt.timezone.utc)


def test_p95_is_the_nearest_rank_value():
    assert p95([]) is None
    assert p95([4.0]) == 4.0
    assert p95(list(range(1, 21))) == 19
    assert p95(list(range(1, 101))) == 95


@pytest.mark.parametrize("value, verdict", [(None, "no_data"), (3.0, "ok"), (15.0, "ok"), (15.1, "warn"), (30.5, "fail")])
def test_judging_against_the_transcript_to_export_target(value, verdict):
    assert judge(value, TRANSCRIPT_TO_EXPORT) == verdict


def test_the_worst_day_decides_and_each_day_is_listed():
    target = LatencyTarget("t", warn_above_s=1.0, fail_above_s=2.0, what="seconds")
    outcome = evaluate(target, {D2: [0.1, 0.2], D1: [0.5, 1.5]})
    assert outcome.verdict == "warn"
    assert [d.day for d in outcome.days] == [D1, D2]
    assert outcome.worst_p95_s == 1.5
    assert "| 2026-05-14 | 1.500 | 2 | warn |" in outcome.table()


@pytest.fixture
def timings(tmp_path):
    store = PipelineStore(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    store.migrate()
    yield TimingStore(store.engine)
    store.dispose()


def test_unchanged_transcript_keeps_its_clock_across_reruns(timings):
    assert timings.record_available(D1, [("m1", "sha-a"), ("m2", "sha-b")], T0) == 2
    timings.record_exported(D1, T0 + dt.timedelta(seconds=4))
    assert timings.record_available(D1, [("m1", "sha-a"), ("m2", "sha-b")], T0 + dt.timedelta(hours=5)) == 0
    assert timings.record_exported(D1, T0 + dt.timedelta(hours=5, seconds=3)) == []
    assert [m.seconds for m in timings.meeting_latencies(D1)] == [4.0, 4.0]


def test_a_changed_transcript_restarts_its_clock_and_a_removed_one_is_dropped(timings):
    timings.record_available(D1, [("m1", "sha-a"), ("m2", "sha-b")], T0)
    timings.record_exported(D1, T0 + dt.timedelta(seconds=4))
    later = T0 + dt.timedelta(hours=1)
    assert timings.record_available(D1, [("m1", "sha-a2")], later) == 1
    (m1,) = timings.meeting_latencies(D1)
    assert (m1.meeting_id, m1.available_at, m1.exported_at) == ("m1", later, None)
    assert timings.record_exported(D1, later + dt.timedelta(seconds=2)) == ["m1"]


def test_stage_timings_keep_the_latest_runs_newest_first(timings):
    for i in range(5):
        start = T0 + dt.timedelta(minutes=i)
        timings.record_stage(D1, f"run-{i}", "contract_drafts", start, start + dt.timedelta(seconds=i + 1), meetings=2)
    rows = timings.stage_timings(D1, "contract_drafts", latest=3)
    assert [r.run_id for r in rows] == ["run-4", "run-3", "run-2"]
    assert rows[0].seconds == 5.0 and rows[0].seconds_per_meeting == 2.5


def test_recording_a_stage_twice_in_one_run_replaces_it(timings):
    timings.record_stage(D1, "run-1", "draft_qa", T0, T0 + dt.timedelta(seconds=9), meetings=1)
    timings.record_stage(D1, "run-1", "draft_qa", T0, T0 + dt.timedelta(seconds=1), meetings=1)
    assert [r.seconds for r in timings.stage_timings(D1)] == [1.0]
