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


@pytest.mark.parametrize(
    "sentence",
    [
        "How about we ship the parser in release four, and keep the importer for release five?",
        "Can we just agree not to support the legacy endpoint?",
        "Is it okay if we freeze the schema on Friday?",
        "How do people feel about moving the launch to March?",
        "Anyone opposed to that?",
        "Does that sound good, Priya?",
    ],
)
def test_proposal_put_to_the_room_needs_a_yes(sentence):
    cue = read_decision_cue(sentence)
    assert cue is not None and cue.needs_assent


@pytest.mark.parametrize(
    "sentence",
    [
        "Are we good to go?",
        "So for the migration, anything else we should discuss?",
        "I don't know what the next step is to get it approved.",
        "Should we just move on to the next point?",
    ],
)
def test_readiness_checks_and_open_questions_are_not_proposals(sentence):
    assert read_decision_cue(sentence) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "So we will have, basically, two presentations today.",
        "Because now we will have a proper formal specification of those pieces.",
        "We keep the old signer, because we will just use the audited bindings.",
        "So yeah, let's proceed with Mateo's presentation then.",
        "I would say that we have fixed most of the cases.",
        "I'd say we need all clients to implement it first.",
    ],
)
def test_descriptions_reasons_and_reports_are_not_decisions(sentence):
    assert read_decision_cue(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        # A pattern with \S: lower-casing it must not turn it into "whitespace".
        ("In that case, we'll get that fix merged in today as well.", 0.8),
        ("786 it is, and yeah.", 0.8),
        ("We came to an agreement that the cache stays off by default.", 0.8),
        ("Next week we will not have this call because people are travelling.", 0.8),
        ("I would say we just close the two PRs and keep things as they are.", 0.8),
        ("It reads better, because it matches the branch name, so let's just keep it as next.", 0.8),
        ("Right, okay, let's, push the deadline change out of this release.", 0.5),
        ("Okay, so the idea is to have the staging cluster as the target.", 0.5),
        ("Perhaps we can revisit the launch date on the next call.", 0.5),
        ("So I'll say we can tentatively go with option three.", 0.8),
    ],
)
def test_decision_language_found_in_real_speech(sentence, strength):
    cue = read_decision_cue(sentence)
    assert cue is not None and cue.strength == strength and not cue.needs_assent
