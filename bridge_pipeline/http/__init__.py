"""The project's HTTP layer, transport only: one request loop (URL guard, rate limit, token cache,
retries, redirects, size caps), the retry policy, response checks, pagination guards, redaction of
credentials and the errors callers tell apart. Used by the meeting sources, the chat posters, the
language model (retry policy, Retry-After) and speech-to-text (media downloads)."""

from bridge_pipeline.http.errors import (
    AuthFailedError,
    NotFoundError,
    NotReadyError,
    RetriesExhaustedError,
    SourceConfigurationError,
    SourceError,
    SourceTimeoutError,
    ThrottledError,
    TransientSourceError,
    UnexpectedResponseError,
    UnsafeUrlError,
)
from bridge_pipeline.http.retry import RetryPolicy
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.settings import HttpSettings

__all__ = [
    "AuthFailedError",
    "HttpSettings",
    "NotFoundError",
    "NotReadyError",
    "RetriesExhaustedError",
    "RetryPolicy",
    "Secret",
    "SourceConfigurationError",
    "SourceError",
    "SourceTimeoutError",
    "ThrottledError",
    "TransientSourceError",
    "UnexpectedResponseError",
    "UnsafeUrlError",
]
