"""The knobs of the shared HTTP layer: retries, time budget, timeouts and the client-side rate."""

from __future__ import annotations

from dataclasses import dataclass, field

from bridge_pipeline.sources.http.url_guard import Mode


@dataclass(frozen=True)
class RetryPolicy:
    """How long one logical request may keep retrying transient errors.

    A request stops at `max_attempts`, or as soon as the next wait would end after `budget_s` from
    its first attempt, whichever comes first. Waits follow `Retry-After` when the server sends one
    (plus up to 10% jitter, so clients sharing a limit do not return in lockstep), otherwise an
    exponential backoff with jitter from `backoff_initial_s` up to `backoff_max_s`. A server asking
    for more than `max_retry_after_s` (Zoom's daily limit names the next midnight) is not waited for:
    the request fails at once, saying when to try again.
    """

    max_attempts: int = 6
    budget_s: float = 120.0
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 30.0
    max_retry_after_s: float = 60.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        for name in ("budget_s", "backoff_initial_s", "backoff_max_s", "max_retry_after_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)}")


@dataclass(frozen=True)
class HttpSettings:
    """Settings every HTTP source shares; `mode="sandbox"` is what lets the clients call the loopback fakes."""

    mode: Mode = "production"
    requests_per_second: float = 10.0
    burst: int = 1
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    token_refresh_margin_s: float = 300.0
    max_redirects: int = 5
    max_pages: int = 10_000
    max_media_bytes: int = 1024 * 1024 * 1024
    """Largest recording (audio or video, for speech-to-text) a client downloads; bigger ones are refused unread."""
