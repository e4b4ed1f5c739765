"""HTTP settings for tests against the loopback fakes: sandbox mode, no client-side throttling, short retries."""

from __future__ import annotations

import dataclasses

from bridge_pipeline.http.retry import RetryPolicy
from bridge_pipeline.http.settings import HttpSettings

FAST_RETRIES = RetryPolicy(max_attempts=5, budget_s=5.0, backoff_initial_s=0.01, backoff_max_s=0.05, max_retry_after_s=2.0)
FAST_HTTP = HttpSettings(
    mode="sandbox", requests_per_second=1000.0, connect_timeout_s=2.0, read_timeout_s=2.0, retry=FAST_RETRIES
)
_RETRY_FIELDS = {field.name for field in dataclasses.fields(RetryPolicy)}


def http_with(**changes: object) -> HttpSettings:
    """FAST_HTTP with some fields changed; retry-policy fields (budget_s, max_attempts...) may be given directly."""
    retry_changes = {name: value for name, value in changes.items() if name in _RETRY_FIELDS}
    http_changes = {name: value for name, value in changes.items() if name not in _RETRY_FIELDS}
    return dataclasses.replace(FAST_HTTP, retry=dataclasses.replace(FAST_RETRIES, **retry_changes), **http_changes)
