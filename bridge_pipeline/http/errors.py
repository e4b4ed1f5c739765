"""Errors of the HTTP API clients (meeting sources, chat posters), grouped so callers can tell what to retry and what to fix.

    SourceError
    ├── TransientSourceError        worth retrying: 5xx, timeouts, dropped connections, garbled pages
    │   ├── ThrottledError          429 (and 503) with the wait the server asked for, if any
    │   └── SourceTimeoutError      the server did not answer in time
    ├── RetriesExhaustedError       transient errors went on past the retry budget
    ├── AuthFailedError             credentials refused, or a token still refused after one refetch
    ├── NotFoundError               the server does not know the thing asked for
    │   └── NotReadyError           it exists but its content is not produced yet (ask again later)
    ├── UnexpectedResponseError     an answer the client cannot use (no `value`, a page loop, ...)
    │   └── TooLargeError           a download bigger than the client accepts (media size cap)
    ├── UnsafeUrlError              a URL the download guard refuses to call
    └── SourceConfigurationError    a tenant or account setting blocks access; also a ConfigurationError

Every message is built from redacted text, so no credential can leak through an exception.
"""

from __future__ import annotations

import datetime as dt

from bridge_pipeline.errors import BridgeError, ConfigurationError


class SourceError(BridgeError):
    """Something went wrong talking to an API (`source` is "teams" or "zoom", whose API it was)."""

    retryable = False

    def __init__(self, source: str, message: str, *, status: int | None = None, code: str | None = None):
        self.source = source
        self.detail = message
        self.status = status
        self.code = code
        super().__init__(f"{source}: {message}")


class TransientSourceError(SourceError):
    retryable = True

    def __init__(
        self,
        source: str,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        retry_after_s: float | None = None,
        retry_at: dt.datetime | None = None,
    ):
        super().__init__(source, message, status=status, code=code)
        self.retry_after_s = retry_after_s
        self.retry_at = retry_at


class ThrottledError(TransientSourceError):
    pass


class SourceTimeoutError(TransientSourceError):
    pass


class RetriesExhaustedError(SourceError):
    """The last transient error, after the retry policy ran out of attempts or time."""

    def __init__(self, source: str, message: str, *, last_error: TransientSourceError, attempts: int, elapsed_s: float):
        super().__init__(source, message, status=last_error.status, code=last_error.code)
        self.last_error = last_error
        self.attempts = attempts
        self.elapsed_s = elapsed_s
        self.retry_at = last_error.retry_at


class AuthFailedError(SourceError):
    pass


class NotFoundError(SourceError):
    pass


class NotReadyError(NotFoundError):
    pass


class UnexpectedResponseError(SourceError):
    pass


class TooLargeError(UnexpectedResponseError):
    """A download over the size cap; stopped before the rest of it was read."""


class UnsafeUrlError(SourceError):
    pass


class SourceConfigurationError(SourceError, ConfigurationError):
    pass
