"""Keeps credentials out of reprs, exception messages and logs.

A `Secret` hides its value everywhere except `reveal()`. A `Redactor` knows every secret string a
client holds (client secrets, their Basic-auth encodings, issued access tokens) and blanks them out of
any text before that text reaches an exception or a log line, including response bodies that echo a
credential back.
"""

from __future__ import annotations

import base64
import hmac
import threading
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
# Shorter strings are too likely to occur by chance in ordinary text to be worth blanking.
_MIN_REDACTED_LEN = 6


class Secret:
    """A credential that never prints itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        if not isinstance(value, str) or not value:
            raise ValueError("a secret must be a non-empty string")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(("Secret", len(self._value)))


def basic_auth_value(user: str, password: Secret) -> str:
    """The base64 part of an HTTP Basic `Authorization` header."""
    return base64.b64encode(f"{user}:{password.reveal()}".encode()).decode("ascii")


class Redactor:
    """Blanks known secret strings out of text; thread-safe, secrets can be added at any time."""

    def __init__(self, secrets: Iterable[Secret | str] = ()):
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: Secret | str) -> None:
        value = secret.reveal() if isinstance(secret, Secret) else secret
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
