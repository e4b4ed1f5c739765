"""Who leads a call: in a large call people who rarely speak are side voices; in a small meeting nobody is."""

from __future__ import annotations

from bridge_pipeline.extraction.speaker_roles import side_voices
from bridge_pipeline.models import Utterance


def utterances(*counts: tuple[str, int]) -> tuple[Utterance, ...]:
    names = [name for name, count in counts for _ in range(count)]
    return tuple(Utterance(index=i, speaker=name, start_s=5.0 * i, end_s=5.0 * i + 4, text="Status is green.")
                 for i, name in enumerate(names))


def test_rare_speakers_of_a_large_call_are_side_voices_and_leads_are_not():
    call = utterances(("Chair", 20), ("Lead", 9), *((f"Dev {n}", 2) for n in range(6)))
    assert side_voices(call, "Chair") == frozenset(f"Dev {n}" for n in range(6))


def test_nobody_in_a_small_meeting_is_a_side_voice():
    negotiation = utterances(("Ana", 20), ("Ben", 2), ("Carla", 1))
    assert side_voices(negotiation, "Ana") == frozenset()


def test_meeting_without_a_chair_has_no_side_voices():
    assert side_voices((), None) == frozenset()
