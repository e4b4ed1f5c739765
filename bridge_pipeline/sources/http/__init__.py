"""What the HTTP meeting sources (Teams, Zoom) share: retries, rate limit, tokens, URL guard, errors, cursor."""

from bridge_pipeline.sources.http.cursor import CursorAdvance, Observation, PollCursor
from bridge_pipeline.sources.http.errors import (
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
from bridge_pipeline.sources.http.policy import HttpSettings, RetryPolicy
from bridge_pipeline.sources.http.scan import ChatFile, PendingTranscript, RemoteScan, UntranscribedRecording
from bridge_pipeline.sources.http.secrets import Secret

__all__ = [
    "AuthFailedError",
    "ChatFile",
    "CursorAdvance",
    "HttpSettings",
    "NotFoundError",
    "NotReadyError",
    "Observation",
    "PendingTranscript",
    "PollCursor",
    "RemoteScan",
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
    "UntranscribedRecording",
]
