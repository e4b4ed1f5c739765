"""Keeps credentials out of reprs: a `Secret` hides its value everywhere except `reveal()`.

Blanking secrets out of messages and logs is `bridge_pipeline.observability.redaction.Redactor`'s job.
"""

from __future__ import annotations

import base64
import hmac


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
