"""General decisions in calls: proposals settled by a yes, confirmations that borrow their subject, and
which voices of a large call count."""

from __future__ import annotations

from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline_tests.extraction.meetings import synthetic_meeting

# Lines that carry no decision, action or contract term: they only give speakers their share of the talk.
_FILLER = "Status is green on our side."


def extract(lines):
    info, transcript = synthetic_meeting(lines, title="Platform sync")
    return OfflineExtractor().extract(info, transcript, "UTC").decisions


def decisions(lines):
    return [d for d in extract(lines) if d.kind == "decision"]


def large_call(*body: tuple[str, str]) -> list[tuple[str, str]]:
    """Ten speakers: a chair who talks most, one lead, and eight people who speak once or twice."""
    opening = [("Chair", "Welcome everyone, let's get started.")]
    warm_up = [("Chair", _FILLER)] * 14 + [("Lead", _FILLER)] * 7
    rare = [(f"Dev {n}", _FILLER) for n in range(8)]
    return opening + warm_up + rare + list(body)


def cited(decision) -> list[int]:
    return [c.utterance_index for c in decision.citations]


def test_proposal_put_as_a_question_is_a_decision_once_answered_yes():
    [decision] = decisions([
        ("Ana", "How about we ship the parser in release four, and keep the importer for release five?"),
        ("Ben", "Yeah, sure."),
    ])
    assert decision.text.startswith("How about we ship the parser")
    assert cited(decision) == [0, 1]


def test_proposal_question_left_unanswered_is_not_a_decision():
    assert decisions([
        ("Ana", "How about we ship the parser in release four?"),
        ("Ben", "The build server was down all morning, by the way."),
    ]) == []


def test_one_proposal_said_in_two_sentences_is_one_decision():
    [decision] = decisions([
        ("Ana", "How about we freeze the schema on Friday? Would that work for everyone?"),
        ("Ben", "Yes, that works."),
    ])
    assert decision.text.endswith("Would that work for everyone?")


def test_short_confirmation_settles_the_proposal_before_it_and_cites_both():
    [decision] = decisions([
        ("Ana", "Is it okay if we just say the importer is our candidate for now?"),
        ("Ana", "Anyone opposed to that?"),
        ("Ana", "Okay."),
        ("Ana", "Then let's do that."),
    ])
    assert decision.text == "Is it okay if we just say the importer is our candidate for now? Then let's do that."
    assert cited(decision) == [0, 3]


def test_decision_that_names_no_subject_borrows_the_sentence_before_it():
    [decision] = decisions([
        ("Ana", "Next Monday is a public holiday, so most of you will be off. The default will be canceling."),
    ])
    assert decision.text.startswith("Next Monday is a public holiday")
    [citation] = decision.citations
    assert citation.quote == "Next Monday is a public holiday, so most of you will be off. The default will be canceling."


def test_speaker_accepting_in_the_same_breath_makes_a_plain_plan_a_decision():
    hedged_plan = [("Ana", "I think we can just merge this.")]
    accepted_plan = [("Ana", "I agree with the review, I think it's fine, we can just merge this.")]
    assert decisions(hedged_plan) == []
    assert len(decisions(accepted_plan)) == 1


PLAN = "We'll start adding the other clients to the network."


def test_plan_mentioned_by_a_side_voice_of_a_large_call_is_not_a_decision():
    said_by_side_voice = decisions(large_call(("Dev 3", PLAN), ("Chair", "Sounds good.")))
    said_by_chair = decisions(large_call(("Chair", PLAN), ("Lead", "Sounds good.")))
    assert said_by_side_voice == []
    assert [d.text for d in said_by_chair] == [PLAN]


def test_explicit_agreement_counts_whoever_states_it_in_a_large_call():
    [decision] = decisions(large_call(("Dev 3", "Last call we agreed that the new opcode is mandatory for the next devnet.")))
    assert decision.citations[0].speaker == "Dev 3"


def test_same_plan_from_a_quiet_participant_counts_in_a_small_meeting():
    [decision] = decisions([("Ana", _FILLER)] * 8 + [("Ben", PLAN), ("Ana", "Sounds good.")])
    assert [c.speaker for c in decision.citations] == ["Ben", "Ana"]


def test_status_remark_of_a_side_voice_is_no_action_item_but_the_chairs_request_is():
    items = [d for d in extract(large_call(
        ("Dev 5", "I'll have a look at the flaky test."),
        ("Chair", "Lead, could you review the deposit fix before Monday?"),
        ("Lead", "Sure, I can do that."),
    )) if d.kind == "action_item"]
    assert [(item.owner, item.citations[0].speaker) for item in items] == [("Lead", "Chair")]
