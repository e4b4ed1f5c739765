"""The knobs of the HTTP layer: retries, timeouts, redirects, page and download limits, and the client-side rate."""

from __future__ import annotations

from dataclasses import dataclass, field

from bridge_pipeline.http.retry import RetryPolicy
from bridge_pipeline.http.url_guard import Mode


@dataclass(frozen=True)
class HttpSettings:
    """Settings every HTTP API client shares; `mode="sandbox"` is what lets the clients call the loopback fakes."""

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
