"""Which sentences state work to take away, and which only run the call or soften the promise."""

from __future__ import annotations

import pytest

from bridge_pipeline.extraction.action_cues import PeopleDirectory, read_action

PEOPLE = PeopleDirectory(("Ana Souza", "Ben Okafor"))


@pytest.mark.parametrize(
    "sentence",
    [
        "I'll update the agenda afterwards.",
        "I'll upload the recording to the team drive.",
        "Actually, could you post it in there?",
        "I'm gonna just post it right over here for reference.",
        "I would love to talk to Thomas about it, but he is not on the call.",
    ],
)
def test_running_the_call_and_wishes_are_not_action_items(sentence):
    assert read_action(sentence, "Ana Souza", PEOPLE) is None


def test_wish_that_others_act_is_a_request():
    cue = read_action("I would love, like, clients to take a look at the branch.", "Ana Souza", PEOPLE)
    assert cue is not None and cue.requested


@pytest.mark.parametrize("sentence", ["I'll check it out.", "I'll ping him afterwards."])
def test_promise_that_names_no_task_is_vague(sentence):
    cue = read_action(sentence, "Ana Souza", PEOPLE)
    assert cue is not None and cue.vague


def test_promise_with_its_task_is_not_vague():
    cue = read_action("I'll check the deposit logs after the call.", "Ana Souza", PEOPLE)
    assert cue is not None and not cue.vague and cue.owner == "Ana Souza"


@pytest.mark.parametrize(
    "sentence",
    [
        "It's a JSON file, and I'll be able to share some examples later.",
        "If you have any comments, please take a look into this PR.",
        "I'll try to send the benchmark numbers.",
    ],
)
def test_softened_promises_and_open_invitations_are_hedged(sentence):
    cue = read_action(sentence, "Ana Souza", PEOPLE)
    assert cue is not None and cue.hedged


def test_plain_promise_is_not_hedged():
    cue = read_action("I'll send the benchmark numbers by Friday.", "Ana Souza", PEOPLE)
    assert cue is not None and not cue.hedged
