"""Reads one chat completion into an ExtractionAnswer, or says why it cannot be used (refused, cut off, malformed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from bridge_pipeline.extraction.llm.errors import RetryableFailure
from bridge_pipeline.extraction.llm.schema import ExtractionAnswer

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion


@dataclass(frozen=True)
class ReadAnswer:
    answer: ExtractionAnswer
    content: str
    prompt_tokens: int
    cached_prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class TokenCounts:
    prompt: int = 0
    cached: int = 0
    completion: int = 0


def token_counts(completion: ChatCompletion) -> TokenCounts:
    usage = completion.usage
    if usage is None:
        return TokenCounts()
    details = usage.prompt_tokens_details
    cached = (details.cached_tokens or 0) if details is not None else 0
    return TokenCounts(prompt=usage.prompt_tokens or 0, cached=cached, completion=usage.completion_tokens or 0)


def read_completion(completion: ChatCompletion) -> ReadAnswer:
    """The validated answer; RetryableFailure when the model refused, ran out of tokens or broke the schema."""
    counts = token_counts(completion)
    if not completion.choices:
        raise RetryableFailure("the answer had no choices")
    choice = completion.choices[0]
    message = choice.message
    if message.refusal:
        raise RetryableFailure(f"the model refused: {message.refusal[:200]}")
    if choice.finish_reason == "length":
        raise RetryableFailure("the answer was cut off at the output token limit")
    if choice.finish_reason == "content_filter":
        raise RetryableFailure("the answer was withheld by the content filter")
    content = message.content
    if not content or not content.strip():
        raise RetryableFailure("the answer was empty")
    try:
        answer = ExtractionAnswer.model_validate_json(content)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "answer"
        raise RetryableFailure(f"malformed answer ({error.error_count()} problem(s); first at {where}: {first.get('msg')})") from None
    return ReadAnswer(answer, content, counts.prompt, counts.cached, counts.completion)


def read_completion_body(body: Any) -> ReadAnswer:
    """The same, for a completion that arrived as JSON (a Batch API output line)."""
    from openai.types.chat import ChatCompletion  # the SDK loads only where a language model is used

    try:
        completion = ChatCompletion.model_validate(body)
    except ValidationError:
        raise RetryableFailure("the batch output line is not a chat completion") from None
    return read_completion(completion)
