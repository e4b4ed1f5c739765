"""The offline extractor's rules on small meetings written for one behaviour each."""

from __future__ import annotations

import datetime as dt

import pytest

from bridge_pipeline.errors import BadInputError, ConfigurationError
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline.models import Transcript, Utterance
from bridge_pipeline_tests.extraction.meetings import SAMPLE_INBOX, sample_meeting, sample_stems, synthetic_meeting

SOW_TITLE = "Acme / Globex statement of work"


def extract(lines, *, title=SOW_TITLE, timezone="UTC", **kwargs):
    info, transcript = synthetic_meeting(lines, title=title, **kwargs)
    return OfflineExtractor().extract(info, transcript, timezone).decisions


def test_rejected_offer_is_dropped_and_the_accepted_one_wins():
    decisions = extract([
        ("Ana", "For the statement of work we propose a fixed fee of €45,000."),
        ("Ben", "No, that doesn't work for us."),
        ("Ana", "Then €48,000 for the whole scope?"),
        ("Ben", "Agreed, €48,000."),
    ])
    fees = [d for d in decisions if "fee_total" in d.terms]
    assert [d.terms["fee_total"] for d in fees] == ["EUR 48000.00"]
    assert [c.utterance_index for c in fees[0].citations] == [2, 3]


def test_counter_offer_replaces_an_unanswered_first_offer():
    decisions = extract([
        ("Ana", "The fee would be €60,000 for the statement of work."),
        ("Ben", "We were thinking €50,000."),
        ("Ana", "€50,000 is fine with us."),
    ])
    assert [d.terms["fee_total"] for d in decisions if "fee_total" in d.terms] == ["EUR 50000.00"]


def test_a_proposal_nobody_takes_up_states_no_term():
    unconfirmed = extract([
        ("Ana", "Maybe payment could be thirty days from invoice."),
        ("Ben", "Let me think about the rest of the schedule."),
    ])
    agreed = extract([
        ("Ana", "Payment thirty days from invoice."),
        ("Ben", "Yes, agreed."),
    ])
    assert not [d for d in unconfirmed if "payment_terms" in d.terms]
    [high] = [d for d in agreed if "payment_terms" in d.terms]
    assert high.terms["payment_terms"] == "30 days" and high.confidence >= 0.5


def test_first_person_commitment_is_owned_by_the_speaker():
    decisions = extract([("Ana Lucía Pérez", "I'll send the updated schedule by Monday.")])
    [item] = [d for d in decisions if d.kind == "action_item"]
    assert item.owner == "Ana Lucía Pérez"
    assert item.due_date.value == dt.date(2026, 5, 18)
    assert item.due_date.text == "by Monday"


def test_named_commitment_is_owned_by_the_named_participant():
    decisions = extract([
        ("Zofia Kowalczyk", "To wrap up: Lukasz will send the data export tomorrow."),
        ("Łukasz Wróbel", "Yes."),
    ])
    [item] = [d for d in decisions if d.kind == "action_item"]
    assert item.owner == "Łukasz Wróbel"
    assert item.due_date.value == dt.date(2026, 5, 15)


def test_request_is_owned_by_whoever_accepts_it():
    decisions = extract([
        ("Ana", "Can you review the data processing annex by Friday?"),
        ("Ben", "Sure, I can do that."),
    ])
    [item] = [d for d in decisions if d.kind == "action_item"]
    assert item.owner == "Ben"
    assert item.due_date.value == dt.date(2026, 5, 15)
    assert [c.utterance_index for c in item.citations] == [0, 1]


def test_refused_request_is_not_an_action_item():
    decisions = extract([
        ("Ana", "Can you review the data processing annex by Friday?"),
        ("Ben", "No, I can't do that this week."),
    ])
    assert [d for d in decisions if d.kind == "action_item"] == []


def test_screen_sharing_and_chat_links_are_not_action_items():
    decisions = extract([
        ("Ana", "I'll share my screen."),
        ("Ben", "I will post the link in the chat."),
    ])
    assert decisions == ()


def test_hedged_question_without_answer_is_not_a_decision():
    decisions = extract([
        ("Ana", "Maybe we should move the weekly sync to Tuesdays?"),
        ("Ben", "Let me think about it."),
    ])
    assert [d for d in decisions if d.kind == "decision"] == []


def test_general_decision_with_assent_cites_the_assent():
    decisions = extract([
        ("Ana", "We agreed to ship the importer on devnet next week."),
        ("Ben", "Sounds good."),
    ], title="Platform sync")
    [decision] = decisions
    assert decision.topic == "general" and decision.terms == {}
    assert [c.utterance_index for c in decision.citations] == [0, 1]


def test_meeting_that_names_no_agreement_states_no_contract_terms():
    decisions = extract([
        ("Ana", "The cloud bill went up by about $1,200 last month."),
        ("Ben", "Okay, that's fine, thirty days from invoice as usual."),
    ], title="Team sync")
    assert all(d.terms == {} for d in decisions)


def test_relative_dates_count_from_the_meeting_day_in_the_configured_timezone():
    lines = [("Ana", "I'll send the minutes tomorrow.")]
    # 23:30 in New York on Thursday is already Friday in UTC.
    late = dict(started_at="2026-05-14T23:30:00-04:00")
    [in_new_york] = extract(lines, timezone="America/New_York", **late)
    [in_utc] = extract(lines, timezone="UTC", **late)
    assert in_new_york.due_date.value == dt.date(2026, 5, 15)
    assert in_utc.due_date.value == dt.date(2026, 5, 16)


def test_meeting_without_start_time_counts_from_its_partition_date():
    info, transcript = synthetic_meeting([("Ana", "I'll send the minutes tomorrow.")])
    info = info.model_copy(update={"started_at": None, "partition_date": dt.date(2026, 3, 2)})
    [item] = OfflineExtractor().extract(info, transcript, "UTC").decisions
    assert item.due_date.value == dt.date(2026, 3, 3)


def test_unknown_timezone_is_a_configuration_error_naming_it():
    info, transcript = synthetic_meeting([("Ana", "I'll send the minutes tomorrow.")])
    with pytest.raises(ConfigurationError, match="Mars/Olympus"):
        OfflineExtractor().extract(info, transcript, "Mars/Olympus")


def test_empty_transcript_yields_no_decisions():
    info, _ = synthetic_meeting([("Ana", "Hello.")])
    empty = Transcript(meeting_id=info.meeting_id, utterances=())
    result = OfflineExtractor().extract(info, empty, "UTC")
    assert result.decisions == () and result.meeting_id == info.meeting_id


@pytest.mark.skipif(not SAMPLE_INBOX.is_dir(), reason="sample_inbox is not in this checkout")
def test_a_two_hour_meeting_keeps_every_citation_inside_the_transcript():
    # 1500 utterances built from the contract-heavy sample meetings; a distinct word ending every line
    # keeps the extractor from reusing answers it worked out for an identical line.
    source = [u for stem in sample_stems() for u in sample_meeting(stem)[1].utterances]
    utterances = tuple(
        Utterance(index=i, speaker=u.speaker, start_s=5.0 * i, end_s=5.0 * i + 4, text=f"{u.text} Noted, {_word(i)}.")
        for i, u in enumerate((source * 10)[:1500])
    )
    info, _ = sample_meeting("vendor-call-nordlicht-kowalczyk")
    transcript = Transcript(meeting_id=info.meeting_id, utterances=utterances)
    # Speed is measured by bench/bench_stages.py; here only what a long meeting yields.
    result = OfflineExtractor().extract(info, transcript, "UTC")
    assert result.decisions
    cited = [c.utterance_index for d in result.decisions for c in d.citations]
    assert cited and all(0 <= index < len(utterances) for index in cited)




def _word(number: int) -> str:
    letters = ""
    while True:
        number, rest = divmod(number, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
        if number == 0:
            return f"item{letters}"


def test_transcript_with_gapped_indexes_is_bad_input_naming_the_meeting():
    info, transcript = synthetic_meeting([("Ana", "Hello."), ("Ben", "Hi.")])
    gapped = Transcript(meeting_id=info.meeting_id, utterances=(
        transcript.utterances[0], transcript.utterances[1].model_copy(update={"index": 5}),
    ))
    with pytest.raises(BadInputError, match="test-call"):
        OfflineExtractor().extract(info, gapped, "UTC")
