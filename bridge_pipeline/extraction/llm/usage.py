"""What the language model cost a run: requests, tokens, cache hits, an estimate in US dollars."""

from __future__ import annotations

from dataclasses import dataclass

from bridge_pipeline.extraction.llm.settings import ModelPrice


@dataclass
class UsageTotals:
    api_requests: int = 0
    """Chat completions sent (every attempt counts, answered or not)."""
    cache_hits: int = 0
    cache_misses: int = 0
    batch_requests: int = 0
    """Chat completions answered through the Batch API."""
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    retries: int = 0
    meetings_failed: int = 0
    grounding_dropped: int = 0
    grounding_lowered: int = 0
    terms_not_agreed: int = 0
    """Term values left out because the meeting proposed or rejected them, or nobody else accepted them."""
    audio_seconds: float = 0.0

    def add_tokens(self, price: ModelPrice, prompt: int, cached: int, completion: int, *, batch: bool = False) -> None:
        self.prompt_tokens += prompt
        self.cached_prompt_tokens += cached
        self.completion_tokens += completion
        self.cost_usd += price.cost_usd(prompt, cached, completion, batch=batch)

    def as_metadata(self) -> dict[str, int | float]:
        """Flat numbers, named for the materialization metadata of the asset that used the model."""
        return {
            "llm_api_requests": self.api_requests,
            "llm_batch_requests": self.batch_requests,
            "llm_cache_hits": self.cache_hits,
            "llm_cache_misses": self.cache_misses,
            "llm_prompt_tokens": self.prompt_tokens,
            "llm_cached_prompt_tokens": self.cached_prompt_tokens,
            "llm_completion_tokens": self.completion_tokens,
            "llm_cost_estimate_usd": round(self.cost_usd, 6),
            "llm_retries": self.retries,
            "llm_meetings_failed": self.meetings_failed,
            "llm_grounding_dropped": self.grounding_dropped,
            "llm_grounding_lowered": self.grounding_lowered,
            "llm_terms_not_agreed": self.terms_not_agreed,
            **({"stt_audio_seconds": round(self.audio_seconds, 1)} if self.audio_seconds else {}),
        }
