"""The extractor asks for a strict json_schema answer and turns a valid one into cited, typed decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bridge_pipeline.extraction.llm.errors import LanguageModelError
from bridge_pipeline.extraction.llm.schema import ExtractionAnswer, response_format
from bridge_pipeline_tests.llm.answers import answer, item
from bridge_pipeline_tests.llm.meetings import vendor_call

FEE_AND_ACTION = answer(
    item("Fixed fee of EUR 48,000 for the three deliverables", [1, 2], topic="fees",
         amounts=[("48000", "EUR", "€48,000")], terms={"fee_total": "EUR 48000.00"}, confidence=0.9),
    item("Ben sends the SOW draft", [3], kind="action_item", owner="Ben", due=("2026-05-15", "by Friday")),
)


def test_request_carries_a_strict_schema_the_server_accepts(fake, make_extractor):
    make_extractor().extract(*vendor_call(), "UTC")
    body = fake.chat_bodies[0]
    assert body["response_format"] == response_format()
    assert body["response_format"]["json_schema"]["strict"] is True
    # The fake refuses (400) any strict schema with optional properties or open objects.
    assert fake.requests_to("chat.completions")[0].status == 200


def test_every_utterance_is_numbered_in_the_prompt(fake, make_extractor):
    info, transcript = vendor_call()
    make_extractor().extract(info, transcript, "UTC")
    prompt = fake.chat_bodies[0]["messages"][1]["content"]
    for utterance in transcript.utterances:
        assert f"[{utterance.index}] " in prompt and utterance.text in prompt
    assert "Meeting date: 2026-05-14 (Thursday)" in prompt


def test_structured_answer_becomes_cited_decisions_with_typed_values(fake, make_extractor):
    fake.script_chat(FEE_AND_ACTION)
    info, transcript = vendor_call()
    result = make_extractor().extract(info, transcript, "UTC")
    fee, action = result.decisions
    assert result.extractor.startswith("openai/")
    assert fee.decision_id == "vendor-call-d001" and fee.topic == "fees"
    assert [c.utterance_index for c in fee.citations] == [1, 2]
    assert fee.citations[0].quote == transcript.utterances[1].text
    assert fee.amounts[0].value == Decimal("48000.00") and fee.amounts[0].currency == "EUR"
    assert fee.amounts[0].text == "€48,000"
    assert fee.terms == {"fee_total": "EUR 48000.00"}
    assert fee.confidence == 0.9
    assert action.kind == "action_item" and action.owner == "Ben Okafor"  # resolved to the participant
    assert action.due_date.value == dt.date(2026, 5, 15) and action.due_date.text == "by Friday"


def test_answer_that_breaks_the_schema_is_asked_again(fake, make_extractor, sleeps):
    fake.script_chat('{"items": [{"kind": "decision"}]}', times=1)
    fake.script_chat("not json at all", times=1)
    fake.script_chat(FEE_AND_ACTION)
    result = make_extractor().extract(*vendor_call(), "UTC")
    assert fake.calls() == 3
    assert len(sleeps) == 2
    assert len(result.decisions) == 2


def test_refusal_is_retried_and_then_fails_with_the_reason(fake, make_extractor):
    fake.script_chat(refusal="I can't help with that.")
    with pytest.raises(LanguageModelError) as raised:
        make_extractor().extract(*vendor_call(), "UTC")
    assert fake.calls() == 4
    assert "refused" in str(raised.value) and "meeting vendor-call, part 1" in str(raised.value)


def test_answer_cut_off_at_the_token_limit_is_not_used(fake, make_extractor):
    fake.script_chat('{"items": [', finish_reason="length", times=1)
    fake.script_chat(FEE_AND_ACTION)
    assert len(make_extractor().extract(*vendor_call(), "UTC").decisions) == 2
    assert fake.calls() == 2


def test_response_models_reject_unknown_fields_and_topics():
    with pytest.raises(ValueError):
        ExtractionAnswer.model_validate({"items": [{**item("x", [0]), "topic": "weather"}]})
    with pytest.raises(ValueError):
        ExtractionAnswer.model_validate({"items": [{**item("x", [0]), "extra": 1}]})


def test_meeting_without_utterances_needs_no_request(fake, make_extractor):
    from bridge_pipeline.models import Transcript

    info, _ = vendor_call()
    result = make_extractor().extract(info, Transcript(meeting_id=info.meeting_id, utterances=()), "UTC")
    assert result.decisions == () and fake.calls() == 0
