"""Forms carry a signed token bound to the reviewer; a POST without a valid one, or from another origin, is refused."""

from __future__ import annotations

import hmac
import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer

# Long enough for a working day at the desk; a page older than that is reloaded before acting.
TOKEN_MAX_AGE_S = 12 * 60 * 60
MAX_TOKEN_LENGTH = 512
_SALT = "bridge-review-desk/csrf"


class CsrfTokens:
    def __init__(self, secret: str | None, *, max_age_s: int = TOKEN_MAX_AGE_S):
        # Without a configured secret, tokens are valid for this process only (a restart asks for a reload).
        self._serializer = URLSafeTimedSerializer(secret or secrets.token_urlsafe(32), salt=_SALT)
        self._max_age_s = max_age_s

    def issue(self, reviewer: str) -> str:
        return self._serializer.dumps({"reviewer": reviewer.casefold()})

    def is_valid(self, token: str | None, reviewer: str) -> bool:
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return False
        try:
            payload = self._serializer.loads(token, max_age=self._max_age_s)
        except BadSignature:  # also SignatureExpired
            return False
        bound_to = payload.get("reviewer") if isinstance(payload, dict) else None
        return isinstance(bound_to, str) and hmac.compare_digest(bound_to, reviewer.casefold())


def origin_allowed(origin: str | None, own_origins: set[str]) -> bool:
    """A request without an Origin header passes (the token decides); one with a foreign origin never does."""
    if origin is None:
        return True
    return origin.rstrip("/").lower() in {o.lower() for o in own_origins}
