"""Errors of the language-model path; each names the meeting (and part) it is about, never the key."""

from __future__ import annotations

from bridge_pipeline.errors import BridgeError


class LanguageModelError(BridgeError):
    """The model gave no usable answer for one meeting within the retry budget; the rest of the day goes on."""


class RetryableFailure(Exception):
    """One attempt failed in a way another attempt may fix (429, 5xx, timeout, malformed or refused answer)."""

    def __init__(self, reason: str, retry_after_s: float | None = None):
        self.reason = reason
        self.retry_after_s = retry_after_s
        super().__init__(reason)


class FinalFailure(Exception):
    """One attempt failed in a way no retry fixes (bad request, unknown model, exhausted quota)."""

    def __init__(self, reason: str, *, configuration: bool = False):
        self.reason = reason
        self.configuration = configuration
        super().__init__(reason)
