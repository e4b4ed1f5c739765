"""Which sentences announce a decision: doubts and deferrals to a later channel do not."""

from __future__ import annotations

import pytest

from bridge_pipeline.extraction.decision_cues import read_decision_cue
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline_tests.extraction.meetings import synthetic_meeting


@pytest.mark.parametrize(
    "sentence",
    [
        "Well, I'm still not convinced that we should do framed intersection.",
        "Not a solution that we should go for.",
        "We are not sold on shipping it in this fork.",
    ],
)
def test_doubt_about_a_course_of_action_is_not_a_decision(sentence):
    assert read_decision_cue(sentence) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "I'd say we can take it async in the meantime.",
        "We will need to do this async.",
        "I guess we'll handle that async as well.",
    ],
)
def test_moving_a_topic_out_of_the_call_is_not_a_decision(sentence):
    assert read_decision_cue(sentence) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "We're convinced, so we will go with the blob schedule from the spec.",
        "Agreed, let's go with option B.",
        "We decided to include the EIP in devnet five.",
    ],
)
def test_decisions_stated_outright_still_count(sentence):
    cue = read_decision_cue(sentence)
    assert cue is not None and cue.strength == 0.8


def test_deferred_topic_yields_no_decision_in_a_meeting():
    info, transcript = synthetic_meeting(
        [
            ("Chair", "Welcome to the call."),
            ("Chair", "This needs more thought, let's take it async."),
            ("Dev", "Sounds good."),
            ("Chair", "We decided to ship devnet five on Monday."),
        ]
    )
    decisions = OfflineExtractor().extract(info, transcript, "UTC").decisions
    assert [d.citations[0].utterance_index for d in decisions if d.kind == "decision"] == [3]
