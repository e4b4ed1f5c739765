"""The OpenAI fake answers the official client like the real API would, and counts what it was asked."""

from __future__ import annotations

import openai
import pytest

from bridge_fakes.openai_fake import DEFAULT_API_KEY
from bridge_pipeline.extraction.llm.schema import response_format

MESSAGES = [{"role": "user", "content": "[0] 00:00:01 Ana: We agreed to ship on Friday."}]


def client(fake, key=DEFAULT_API_KEY) -> openai.OpenAI:
    return openai.OpenAI(api_key=key, base_url=fake.api_base_url, max_retries=0, timeout=5)


def test_default_model_answers_from_keywords_with_usage(fake):
    completion = client(fake).chat.completions.create(model="m", messages=MESSAGES, response_format=response_format())
    assert '"utterances": [0]' in completion.choices[0].message.content
    assert completion.usage.prompt_tokens > 0 and completion.usage.completion_tokens > 0
    assert fake.calls() == 1


def test_schema_that_strict_mode_refuses_gets_a_400(fake):
    loose = {"type": "json_schema", "json_schema": {"name": "x", "strict": True,
             "schema": {"type": "object", "properties": {"a": {"type": "string"}}, "required": []}}}
    with pytest.raises(openai.BadRequestError, match="additionalProperties"):
        client(fake).chat.completions.create(model="m", messages=MESSAGES, response_format=loose)


def test_wrong_key_gets_a_401(fake):
    with pytest.raises(openai.AuthenticationError):
        client(fake, key="sk-other-000000").chat.completions.create(model="m", messages=MESSAGES)


def test_scripts_apply_in_order_and_only_to_matching_prompts(fake):
    fake.script_chat('{"items": []}', match="nothing like this", times=None)
    fake.script_chat(refusal="no", times=1)
    first = client(fake).chat.completions.create(model="m", messages=MESSAGES)
    second = client(fake).chat.completions.create(model="m", messages=MESSAGES)
    assert first.choices[0].message.refusal == "no"
    assert second.choices[0].message.refusal is None


def test_files_and_batches_round_trip(fake):
    api = client(fake)
    line = '{"custom_id": "k1", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "m", "messages": [{"role": "user", "content": "hi"}]}}\n'
    upload = api.files.create(file=("in.jsonl", line.encode()), purpose="batch")
    assert api.files.retrieve(upload.id).bytes == len(line)
    batch = api.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert batch.status == "validating"
    assert api.batches.retrieve(batch.id).status == "in_progress"
    done = api.batches.retrieve(batch.id)
    assert done.status == "completed" and done.request_counts.completed == 1
    assert '"custom_id": "k1"' in api.files.content(done.output_file_id).text
    assert fake.batch_lines_answered == 1 and fake.calls() == 0
