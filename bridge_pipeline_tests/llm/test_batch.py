"""Backfills through the Batch API: one upload, one batch, polls, then extraction runs from the cache."""

from __future__ import annotations

import json

from bridge_pipeline_tests.llm.meetings import short_meeting

MEETINGS = [short_meeting(f"b{n}", f"We agreed to archive dataset {n} next week.") for n in range(4)]


def test_batch_flow_answers_every_meeting_and_extraction_then_makes_no_calls(fake, make_extractor, sleeps):
    extractor = make_extractor(use_batch=True, batch_poll_interval_s=7.0)
    report = extractor.prepare(MEETINGS, "UTC")
    assert (report.submitted, report.answered, report.failed, report.status) == (4, 4, {}, "completed")
    assert fake.calls("files.create") == 1 and fake.calls("batches.create") == 1
    assert fake.calls("batches.retrieve") == 2 and sleeps == [7.0, 7.0]
    assert fake.calls("files.content") == 1
    uploaded = next(f for f in fake.files.values() if f.purpose == "batch")
    lines = [json.loads(line) for line in uploaded.data.decode().splitlines()]
    assert {line["url"] for line in lines} == {"/v1/chat/completions"}
    assert all(line["body"]["response_format"]["json_schema"]["strict"] for line in lines)
    results = [extractor.extract(info, transcript, "UTC") for info, transcript in MEETINGS]
    assert fake.calls("chat.completions") == 0
    assert all(len(r.decisions) == 1 for r in results)
    assert extractor.usage.batch_requests == 4 and extractor.usage.cache_hits == 4
    # Batch tokens are billed at half price.
    price = extractor.settings.price
    full = price.cost_usd(extractor.usage.prompt_tokens, 0, extractor.usage.completion_tokens)
    assert abs(extractor.usage.cost_usd - full / 2) < 1e-9


def test_second_prepare_of_the_same_meetings_uploads_nothing(fake, make_extractor):
    make_extractor(use_batch=True).prepare(MEETINGS, "UTC")
    report = make_extractor(use_batch=True).prepare(MEETINGS, "UTC")
    assert report.submitted == 0 and report.already_cached == 4
    assert fake.calls("files.create") == 1 and fake.calls("batches.create") == 1


def test_without_use_batch_prepare_does_nothing(fake, make_extractor):
    assert make_extractor().prepare(MEETINGS, "UTC") is None
    assert fake.requests == []


def test_failed_batch_leaves_meetings_to_the_direct_path(fake, make_extractor):
    fake.batch_outcome = "failed"
    extractor = make_extractor(use_batch=True)
    report = extractor.prepare(MEETINGS, "UTC")
    assert report.status == "failed" and len(report.failed) == 4
    assert "scripted batch failure" in next(iter(report.failed.values()))
    for info, transcript in MEETINGS:
        extractor.extract(info, transcript, "UTC")
    assert fake.calls("chat.completions") == 4


def test_lines_the_batch_answered_with_an_error_are_asked_again_directly(fake, make_extractor):
    fake.fail_chat(500, match="dataset 2", times=1)
    extractor = make_extractor(use_batch=True)
    report = extractor.prepare(MEETINGS, "UTC")
    assert report.answered == 3 and list(report.failed) == ["meeting b2, part 1"]
    for info, transcript in MEETINGS:
        extractor.extract(info, transcript, "UTC")
    assert fake.calls("chat.completions") == 1


def test_batch_that_does_not_finish_in_time_is_cancelled(fake, make_extractor):
    fake.batch_polls_to_finish = 100
    extractor = make_extractor(use_batch=True, batch_poll_interval_s=10.0, batch_timeout_s=0.0)
    report = extractor.prepare(MEETINGS, "UTC")
    assert report.status.startswith("cancelled") and len(report.failed) == 4
    assert fake.calls("batches.cancel") == 1
