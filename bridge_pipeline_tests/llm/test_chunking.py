"""Long meetings go out in overlapping chunks; what two chunks both found comes back as one decision."""

from __future__ import annotations

import re

from bridge_pipeline.extraction.llm.chunking import merge_items, split_into_chunks
from bridge_pipeline.extraction.llm.schema import ExtractedItem
from bridge_pipeline.models import Transcript, Utterance
from bridge_pipeline_tests.extraction.meetings import synthetic_meeting
from bridge_pipeline_tests.llm.answers import item


def transcript(count: int, words: int = 40) -> Transcript:
    return Transcript(
        meeting_id="long",
        utterances=tuple(
            Utterance(index=i, speaker="Speaker", start_s=i * 10.0, end_s=i * 10.0 + 9, text=f"Point {i}. " + "word " * words)
            for i in range(count)
        ),
    )


def test_chunks_cover_every_utterance_in_order_and_overlap():
    chunks = split_into_chunks(transcript(100), max_chars=3000, overlap_utterances=3)
    assert len(chunks) > 3
    assert chunks[0].first_index == 0 and chunks[-1].last_index == 99
    for before, after in zip(chunks, chunks[1:]):
        assert after.first_index == before.last_index + 1 - 3
    for chunk in chunks:
        assert chunk.total == len(chunks)
        assert sum(len(u.text) + len(u.speaker) + 24 for u in chunk.utterances) <= 3000


def test_an_utterance_longer_than_a_chunk_gets_a_chunk_of_its_own():
    long = Transcript(meeting_id="m", utterances=(
        Utterance(index=0, speaker="A", start_s=0, end_s=1, text="x " * 3000),
        Utterance(index=1, speaker="B", start_s=1, end_s=2, text="short"),
    ))
    chunks = split_into_chunks(long, max_chars=1000, overlap_utterances=2)
    assert [(c.first_index, c.last_index) for c in chunks] == [(0, 0), (1, 1)]


def test_same_decision_from_two_chunks_merges_into_one_citing_both_places():
    first = ExtractedItem.model_validate(item("We agreed to ship the beta on devnet 5", [10, 11], confidence=0.7))
    second = ExtractedItem.model_validate(item("Agreed: the beta ships on devnet 5", [11, 12], confidence=0.9))
    other = ExtractedItem.model_validate(item("Next call moves to Thursday", [11], confidence=0.6))
    merged = merge_items([first, second, other])
    assert len(merged) == 2
    assert merged[0].text == second.text and merged[0].utterances == [11, 12, 10]
    assert merged[1] == other


def test_items_with_conflicting_values_stay_apart():
    a = ExtractedItem.model_validate(item("Fee agreed", [3], terms={"fee_total": "EUR 48000.00"}))
    b = ExtractedItem.model_validate(item("Fee agreed", [3], terms={"fee_total": "EUR 52000.00"}))
    assert len(merge_items([a, b])) == 2


def test_long_meeting_is_asked_in_parts_and_overlap_duplicates_merge(fake, make_extractor):
    lines = [("Chair", f"Update number {i} on the client work " + "and details " * 12) for i in range(30)]
    lines[15] = ("Chair", "We agreed to ship the beta on devnet five.")
    info, meeting = synthetic_meeting(lines, meeting_id="long-call")

    def answer_for(body):
        prompt = body["messages"][1]["content"]
        shown = {int(n) for n in re.findall(r"^\[(\d+)\]", prompt, re.MULTILINE)}
        # Every part that shows utterance 15 reports the decision, worded slightly differently.
        if 15 not in shown:
            return {"items": []}
        wording = "We agreed to ship the beta on devnet five" if min(shown) == 0 else "Agreed: the beta ships on devnet five"
        return {"items": [item(wording, [15])]}

    fake.script_chat(answer_for)
    result = make_extractor(max_chunk_chars=1500, chunk_overlap_utterances=4).extract(info, meeting, "UTC")
    assert fake.calls() >= 3
    assert sum("[15] " in body["messages"][1]["content"] for body in fake.chat_bodies) >= 2
    assert len(result.decisions) == 1
    assert [c.utterance_index for c in result.decisions[0].citations] == [15]
