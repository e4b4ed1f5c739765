"""429, 5xx, timeouts and bad answers are retried within a budget; then that meeting fails and the day goes on."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace

import pytest

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.extraction.llm.errors import LanguageModelError
from bridge_pipeline.extraction.llm.settings import LANGUAGE_MODEL_RETRY
from bridge_pipeline.pipeline import extract_day
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline_tests.llm.meetings import short_meeting, vendor_call


def test_a_429_storm_ends_in_a_clear_error_within_the_attempt_budget(fake, make_extractor, sleeps):
    fake.fail_chat(429, times=None)
    started = time.monotonic()
    with pytest.raises(LanguageModelError) as raised:
        make_extractor().extract(*vendor_call(), "UTC")
    message = str(raised.value)
    assert fake.calls() == 4  # max_attempts of the test policy, not one more
    assert len(sleeps) == 3 and all(0 < s <= 2.0 for s in sleeps)
    assert "meeting vendor-call, part 1" in message and "after 4 attempt(s)" in message and "HTTP 429" in message
    assert time.monotonic() - started < 5


def test_the_time_budget_stops_retrying_before_the_attempts_run_out(fake, make_extractor, sleeps):
    fake.fail_chat(429, times=None, retry_after="20")
    extractor = make_extractor(retry=replace(LANGUAGE_MODEL_RETRY, max_attempts=10, budget_s=15.0, backoff_initial_s=0.1, backoff_max_s=1.0))
    with pytest.raises(LanguageModelError) as raised:
        extractor.extract(*vendor_call(), "UTC")
    assert fake.calls() == 1 and sleeps == []
    assert "15s budget" in str(raised.value)


def test_retry_after_is_honoured(fake, make_extractor, sleeps):
    fake.fail_chat(429, times=1, retry_after="1.5")
    make_extractor().extract(*vendor_call(), "UTC")
    assert fake.calls() == 2 and sleeps == [1.5]


def test_server_errors_are_retried_until_an_answer_comes(fake, make_extractor):
    fake.fail_chat(500, times=2)
    fake.fail_chat(503, times=1)
    extractor = make_extractor()
    extractor.extract(*vendor_call(), "UTC")
    assert fake.calls() == 4 and extractor.usage.retries == 3


def test_a_slow_answer_past_the_request_timeout_is_retried(fake, make_extractor):
    fake.slow("chat.completions", 2.0, times=1)
    extractor = make_extractor(request_timeout_s=0.5)
    extractor.extract(*vendor_call(), "UTC")
    assert len(fake.chat_bodies) >= 1 and extractor.usage.api_requests == 2


def test_a_refused_key_fails_at_once_as_configuration(fake, make_extractor):
    with pytest.raises(ConfigurationError) as raised:
        make_extractor(api_key="sk-wrong-key-123456").extract(*vendor_call(), "UTC")
    assert fake.calls() == 1
    assert "HTTP 401" in str(raised.value)


def test_exhausted_quota_is_not_retried(fake, make_extractor):
    fake.fail("chat.completions", 429, payload={"error": {"message": "You exceeded your current quota", "type": "insufficient_quota",
                                                          "code": "insufficient_quota"}})
    with pytest.raises(LanguageModelError, match="quota exhausted"):
        make_extractor().extract(*vendor_call(), "UTC")
    assert fake.calls() == 1


def test_one_meeting_failing_does_not_stop_the_rest_of_the_day(fake, make_extractor, tmp_path):
    day = dt.date(2026, 5, 14)
    store = PipelineStore(f"sqlite:///{tmp_path / 'line.sqlite3'}")
    store.migrate()
    meetings = [short_meeting("calm", "We agreed to keep the schedule."), short_meeting("stormy", "We agreed to cut scope.")]
    store.replace_meetings(day, [info for info, _ in meetings], [])
    store.replace_transcripts(day, [transcript for _, transcript in meetings], [])
    fake.fail_chat(429, match="cut scope", times=None)
    extractor = make_extractor()
    report = extract_day(day, store, extractor, "UTC")
    assert report.counts["meetings"] == 1 and report.counts["decisions"] == 1
    (problem,) = report.problems
    assert problem.location == "stormy" and "429" in problem.problem
    assert set(store.load_decisions(day)) == {"calm"}
    assert extractor.usage.meetings_failed == 1
