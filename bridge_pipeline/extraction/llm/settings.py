"""How the language-model path is configured: endpoint, model, time limits, retry budget, chunk size, prices."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.http.retry import RetryPolicy

DEFAULT_MODEL = "gpt-5.4-mini"


@dataclass(frozen=True)
class ModelPrice:
    """US dollars per million tokens; estimates, so the cost in metadata is labelled as one."""

    input_per_million: float = 0.75
    cached_input_per_million: float = 0.075
    output_per_million: float = 4.50
    batch_discount: float = 0.5
    """Share of the price taken off for requests answered through the Batch API."""

    def cost_usd(self, prompt_tokens: int, cached_tokens: int, completion_tokens: int, *, batch: bool = False) -> float:
        uncached = max(0, prompt_tokens - cached_tokens)
        cost = (
            uncached * self.input_per_million
            + cached_tokens * self.cached_input_per_million
            + completion_tokens * self.output_per_million
        ) / 1_000_000
        return cost * (1 - self.batch_discount) if batch else cost


# Any Retry-After the budget leaves room for is waited exactly; backoffs are scaled by 0.5..1.
LANGUAGE_MODEL_RETRY = RetryPolicy(
    max_attempts=5, budget_s=180.0, backoff_initial_s=1.0, backoff_max_s=30.0, max_retry_after_s=None, jitter="scaled"
)


def language_model_retry(max_attempts: int, budget_s: float, backoff_initial_s: float) -> RetryPolicy:
    """`LANGUAGE_MODEL_RETRY` with the attempts, time budget and first backoff a resource is configured with."""
    return replace(LANGUAGE_MODEL_RETRY, max_attempts=max_attempts, budget_s=budget_s, backoff_initial_s=backoff_initial_s)


@dataclass(frozen=True)
class LanguageModelSettings:
    api_key: str = field(repr=False)
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    """None: the client's default endpoint; any OpenAI-compatible server otherwise."""
    request_timeout_s: float = 120.0
    retry: RetryPolicy = LANGUAGE_MODEL_RETRY
    max_chunk_chars: int = 60_000
    """Transcript characters per request; about 15k tokens, far inside current context windows."""
    chunk_overlap_utterances: int = 6
    max_output_tokens: int = 16_000
    price: ModelPrice = ModelPrice()
    use_batch: bool = False
    """Backfills: send every uncached request of a run through the Batch API before extracting."""
    batch_poll_interval_s: float = 30.0
    batch_timeout_s: float = 24 * 3600.0

    def __post_init__(self) -> None:
        if not self.api_key.strip():
            raise ConfigurationError("OPENAI_API_KEY is empty; the language-model extractor needs an API key")
        if not self.model.strip():
            raise ConfigurationError("the language model name is empty")
        if self.max_chunk_chars < 1000:
            raise ConfigurationError(f"max_chunk_chars must be at least 1000, got {self.max_chunk_chars}")
        if self.chunk_overlap_utterances < 0:
            raise ConfigurationError("chunk_overlap_utterances must not be negative")
