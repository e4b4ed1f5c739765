"""Blanks credentials out of text before it reaches an exception message or a log line.

A `Redactor` knows every secret string a client or the log setup holds (client secrets, their
Basic-auth encodings, issued access tokens, credentials from the environment) and blanks them out of
any text, including response bodies that echo a credential back. It lives with the logs, not with the
HTTP layer, so that logging never depends on the HTTP clients that use it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Protocol
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
# Shorter strings are too likely to occur by chance in ordinary text to be worth blanking.
_MIN_REDACTED_LEN = 6


class Revealable(Protocol):
    """A wrapped credential (`bridge_pipeline.http.secrets.Secret`)."""

    def reveal(self) -> str: ...


class Redactor:
    """Blanks known secret strings out of text; thread-safe, secrets can be added at any time."""

    def __init__(self, secrets: Iterable[Revealable | str] = ()):
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: Revealable | str) -> None:
        value = secret if isinstance(secret, str) else secret.reveal()
        if len(value) < _MIN_REDACTED_LEN:
            return
        with self._lock:
            # Servers echo form fields back URL-encoded, so the encoded spellings count as the secret too.
            self._secrets.update({value, quote(value, safe=""), quote_plus(value)})

    def redact(self, text: str) -> str:
        with self._lock:
            # Longest first, so a token that contains another secret is blanked whole.
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text
