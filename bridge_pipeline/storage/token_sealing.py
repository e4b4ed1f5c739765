"""Seals an access token for storage: AES-GCM under a key derived from the app's client secret.

Only a process that holds the client secret can open a sealed token, and such a process could ask for a
token itself, so the sealed form gives a reader of the database (a dump, a backup, a statement log) nothing
usable. The seal is bound to its row and serial: a sealed value copied to another row does not open.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bridge_pipeline.http.secrets import Secret

_FORMAT = "v1:"
_NONCE_BYTES = 12
_KEY_PURPOSE = b"bridge_pipeline stored access token v1"


class TokenSeal:
    """Seals and opens the tokens of one credential (`credential_key` names its row)."""

    def __init__(self, client_secret: Secret, credential_key: str):
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=credential_key.encode(), info=_KEY_PURPOSE).derive(
            client_secret.reveal().encode()
        )
        self._aead = AESGCM(key)
        self._credential_key = credential_key

    def __repr__(self) -> str:
        return "TokenSeal(********)"

    def seal(self, token: Secret, serial: int) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, token.reveal().encode(), self._bound_to(serial))
        return _FORMAT + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, sealed: str, serial: int) -> Secret | None:
        """The token, or None when `sealed` was not sealed for this credential and serial (or is damaged)."""
        if not sealed.startswith(_FORMAT):
            return None
        try:
            raw = base64.urlsafe_b64decode(sealed[len(_FORMAT) :])
            token = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], self._bound_to(serial))
            return Secret(token.decode())
        except (InvalidTag, ValueError):
            return None

    def _bound_to(self, serial: int) -> bytes:
        return f"{self._credential_key}/{serial}".encode()
