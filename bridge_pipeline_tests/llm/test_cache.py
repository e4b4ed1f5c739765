"""Answers are cached by content hash in the blob store: an unchanged meeting costs no request."""

from __future__ import annotations

import datetime as dt

from bridge_pipeline.extraction.llm.cache import CACHE_PREFIX
from bridge_pipeline.models import Transcript
from bridge_pipeline.pipeline import extract_day
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline_tests.llm.meetings import short_meeting, vendor_call


def day_of_meetings():
    return [short_meeting(f"m{n}", f"We agreed to move release {n} to next week.") for n in range(3)]


def test_re_extracting_an_unchanged_meeting_makes_zero_calls(fake, make_extractor, blobs):
    extractor = make_extractor()
    first = extractor.extract(*vendor_call(), "UTC")
    assert fake.calls() == 1
    keys = blobs.list(CACHE_PREFIX)
    assert len(keys) == 1 and keys[0].startswith("cache/llm/") and keys[0].endswith(".json")
    again = make_extractor().extract(*vendor_call(), "UTC")  # a new extractor, as in the next run
    assert fake.calls() == 1
    assert again == first


def test_changing_one_meeting_of_a_day_makes_exactly_one_call(fake, make_extractor):
    meetings = day_of_meetings()
    for info, transcript in meetings:
        make_extractor().extract(info, transcript, "UTC")
    assert fake.calls() == 3
    info, transcript = meetings[1]
    edited = transcript.utterances[1].model_copy(update={"text": "We agreed to move release 1 to next month."})
    meetings[1] = (info, Transcript(meeting_id=info.meeting_id, utterances=(transcript.utterances[0], edited, transcript.utterances[2])))
    extractor = make_extractor()
    for info, transcript in meetings:
        extractor.extract(info, transcript, "UTC")
    assert fake.calls() == 4
    assert (extractor.usage.cache_hits, extractor.usage.cache_misses, extractor.usage.api_requests) == (2, 1, 1)


def test_another_model_or_prompt_version_does_not_reuse_the_answer(fake, make_extractor, monkeypatch):
    make_extractor().extract(*vendor_call(), "UTC")
    make_extractor(model="gpt-5.4").extract(*vendor_call(), "UTC")
    assert fake.calls() == 2
    import bridge_pipeline.extraction.llm.cache as cache_module

    monkeypatch.setattr(cache_module, "PROMPT_VERSION", "extract-test/99")
    make_extractor().extract(*vendor_call(), "UTC")
    assert fake.calls() == 3


def test_unreadable_cache_entry_is_asked_again(fake, make_extractor, blobs):
    make_extractor().extract(*vendor_call(), "UTC")
    (key,) = blobs.list(CACHE_PREFIX)
    blobs.put(key, b"{broken")
    make_extractor().extract(*vendor_call(), "UTC")
    assert fake.calls() == 2


def test_extract_day_twice_makes_no_second_round_of_calls(fake, make_extractor, tmp_path):
    day = dt.date(2026, 5, 14)
    store = PipelineStore(f"sqlite:///{tmp_path / 'line.sqlite3'}")
    store.migrate()
    meetings = day_of_meetings()
    store.replace_meetings(day, [info for info, _ in meetings], [])
    store.replace_transcripts(day, [transcript for _, transcript in meetings], [])
    extract_day(day, store, make_extractor(), "UTC")
    assert fake.calls() == 3
    report = extract_day(day, store, make_extractor(), "UTC")
    assert fake.calls() == 3
    assert report.counts["meetings"] == 3 and report.counts["decisions"] == 3
