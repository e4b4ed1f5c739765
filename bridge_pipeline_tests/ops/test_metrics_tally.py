"""Recording metrics without Dagster: tallies per unit of work, their JSON in the event log, API attempt outcomes."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from bridge_pipeline.extraction.llm.errors import RetryableFailure
from bridge_pipeline.http.api_client import status_outcome
from bridge_pipeline.http.retry import RetriesSpent, RetryPolicy
from bridge_pipeline.observability import metrics
from bridge_pipeline.observability.metrics import (
    API_REQUEST_DURATION,
    FAMILIES,
    MEETINGS_PROCESSED,
    STAGE_DURATION,
    Family,
    Tally,
    collecting,
)


def test_nothing_is_recorded_outside_a_collecting_block():
    metrics.count(MEETINGS_PROCESSED, stage="transcripts", source="inbox")
    with collecting() as tally:
        metrics.count(MEETINGS_PROCESSED, 2, stage="transcripts", source="inbox")
    metrics.count(MEETINGS_PROCESSED, stage="transcripts", source="inbox")
    assert tally.value(MEETINGS_PROCESSED, stage="transcripts", source="inbox") == 2


def test_nested_blocks_both_see_the_inner_work_and_threads_see_only_their_own():
    seen: dict[str, Tally] = {}

    def tick(name: str, calls: int, started: threading.Barrier) -> None:
        with collecting() as tally:
            started.wait()  # both ticks record at the same time, as sensors in a code server's threads do
            for _ in range(calls):
                metrics.observe(API_REQUEST_DURATION, 0.01, api=name, outcome="ok")
        seen[name] = tally

    with collecting() as outer:
        metrics.count(MEETINGS_PROCESSED, stage="raw_recordings", source="teams")
        with collecting() as inner:
            metrics.count(MEETINGS_PROCESSED, stage="raw_recordings", source="teams")
        started = threading.Barrier(2)
        threads = [threading.Thread(target=tick, args=(name, n, started)) for name, n in (("graph", 3), ("zoom", 5))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert outer.value(MEETINGS_PROCESSED, stage="raw_recordings", source="teams") == 2
    assert inner.value(MEETINGS_PROCESSED, stage="raw_recordings", source="teams") == 1
    # A thread starts with an empty context: neither tick's calls leak into the other or into `outer`.
    assert seen["graph"].histogram(API_REQUEST_DURATION, api="graph", outcome="ok").count == 3
    assert seen["graph"].histogram(API_REQUEST_DURATION, api="zoom", outcome="ok") is None
    assert seen["zoom"].histogram(API_REQUEST_DURATION, api="zoom", outcome="ok").count == 5
    assert outer.histogram(API_REQUEST_DURATION, api="graph", outcome="ok") is None


def test_json_round_trip_adds_up_and_keeps_buckets_on_their_edges():
    first, second = Tally(), Tally()
    for value in (0.05, 0.05, 0.3, 500.0):
        first.observe(STAGE_DURATION, value, stage="draft_qa")
    first.count(MEETINGS_PROCESSED, 3, stage="draft_qa", source="zoom")
    second.observe(STAGE_DURATION, 0.1, stage="draft_qa")
    total = Tally()
    total.add_json(first.to_json())
    total.add_json(second.to_json())

    histogram = total.histogram(STAGE_DURATION, stage="draft_qa")
    assert histogram.count == 5 and histogram.sum == pytest.approx(500.5)
    cumulative = dict(zip((*STAGE_DURATION.buckets, float("inf")), histogram.cumulative()))
    assert cumulative[0.05] == 2  # an observation on an edge counts in that bucket (`le`)
    assert cumulative[0.1] == 3 and cumulative[0.5] == 4 and cumulative[300.0] == 4 and cumulative[float("inf")] == 5
    assert total.value(MEETINGS_PROCESSED, stage="draft_qa", source="zoom") == 3


def test_buckets_written_with_other_edges_land_in_the_next_current_bucket_and_unknown_families_are_skipped():
    old = {
        "version": 1,
        "counters": {"bridge_no_longer_defined": [[{}, 4]]},
        "histograms": {STAGE_DURATION.name: [[{"stage": "decisions"}, {"count": 3, "sum": 1.0,
                                                                         "buckets": {"0.07": 2, "+Inf": 1}}]]},
    }
    total = Tally()
    total.add_json(old)
    histogram = total.histogram(STAGE_DURATION, stage="decisions")
    assert histogram.count == 3
    assert histogram.buckets[STAGE_DURATION.buckets.index(0.1)] == 2 and histogram.buckets[-1] == 1
    assert "bridge_no_longer_defined" not in total.counters


def test_a_label_the_family_does_not_have_is_refused():
    with pytest.raises(ValueError, match="no label"):
        Tally().count(MEETINGS_PROCESSED, stage="x", sources="typo")


def test_every_family_name_is_a_valid_prometheus_name_with_bridge_prefix():
    for name, family in FAMILIES.items():
        assert isinstance(family, Family) and name == family.name
        assert name.startswith("bridge_") and not name.endswith("_total")
        assert family.buckets is None or list(family.buckets) == sorted(family.buckets)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(200, "ok"), (302, "ok"), (404, "error"), (401, "error"), (429, "throttled"), (503, "retryable_error"),
     (500, "retryable_error")],
)
def test_an_answers_outcome_follows_the_retry_rules(status, outcome):
    assert status_outcome(status) == outcome


def test_a_policy_naming_an_api_times_each_attempt_by_outcome():
    policy = replace(RetryPolicy(max_attempts=3, budget_s=10, backoff_initial_s=0.0, backoff_max_s=0.0), api="openai")
    failures = [RetryableFailure("HTTP 429", retry_after_s=0.0), RetryableFailure("HTTP 500")]

    def attempt() -> str:
        if failures:
            raise failures.pop(0)
        return "answer"

    with collecting() as tally:
        assert policy.run(attempt, retryable=lambda e: isinstance(e, RetryableFailure), sleep=lambda s: None) == "answer"
        with pytest.raises(RetriesSpent):
            replace(policy, max_attempts=1).run(lambda: (_ for _ in ()).throw(RetryableFailure("HTTP 502")),
                                                retryable=lambda e: True, sleep=lambda s: None)
        with pytest.raises(ValueError):
            policy.run(lambda: (_ for _ in ()).throw(ValueError("bad request")), retryable=lambda e: False)
        RetryPolicy().run(lambda: "unnamed", retryable=lambda e: False)  # no api: nothing recorded
    counts = {outcome: tally.histogram(API_REQUEST_DURATION, api="openai", outcome=outcome).count
              for outcome in ("ok", "throttled", "retryable_error", "error")}
    assert counts == {"ok": 1, "throttled": 1, "retryable_error": 2, "error": 1}
    assert set(tally.histograms[API_REQUEST_DURATION.name]) == {("openai", o) for o in counts}
