"""Access-token caching shared by every client of one tenant (Graph) or account (Zoom).

Zoom invalidates earlier server-to-server tokens when a new one is issued, so each account must have
exactly one live token: one cache per account, one lock, and `invalidate` only drops the token the
caller actually saw refused, so two callers that both got a 401 cause one refetch, not two.

`TokenCache` holds the token for one process, which is enough for Graph (its tokens do not revoke each
other). Zoom's must be shared by every process of the deployment (the sensor's and each run's):
`bridge_pipeline.storage.access_tokens.DatabaseTokenCache` keeps it in the project database. Both are
`TokenSource`s, so an `ApiClient` works with either.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from bridge_pipeline.http.errors import AuthFailedError
from bridge_pipeline.http.secrets import Secret

DEFAULT_REFRESH_MARGIN_S = 300.0


@dataclass(frozen=True)
class IssuedToken:
    """What a token endpoint answered."""

    value: Secret
    expires_in_s: float


def issued_token_from(payload: dict[str, Any], source: str, what: str) -> IssuedToken:
    """The token in an OAuth token answer (Graph and Zoom both send `access_token` and `expires_in` seconds)."""
    token = payload.get("access_token")
    try:
        expires_in = float(payload.get("expires_in", 0))
    except (TypeError, ValueError):
        expires_in = 0.0
    if not isinstance(token, str) or not token or expires_in <= 0:
        raise AuthFailedError(source, f"{what}: the token answer has no usable access_token/expires_in")
    return IssuedToken(value=Secret(token), expires_in_s=expires_in)


@dataclass(frozen=True)
class AccessToken:
    value: Secret
    expires_at: float  # on the cache's clock (monotonic seconds, or epoch seconds for a shared cache)
    lifetime_s: float
    serial: int  # counts fetches, so callers can tell tokens apart without comparing secrets


def needs_refresh(token: AccessToken, now: float, refresh_margin_s: float) -> bool:
    """Whether `token` is too close to expiry to hand out at `now` (on the token's clock)."""
    # Short-lived tokens would otherwise be "about to expire" from the moment they are issued.
    margin = min(refresh_margin_s, token.lifetime_s / 2)
    return now >= token.expires_at - margin


class TokenSource(Protocol):
    """Where an `ApiClient` gets its bearer token: a cache that calls `fetch` when it holds no usable token."""

    def get(self, fetch: Callable[[], IssuedToken]) -> AccessToken:
        """The cached token, or a new one from `fetch` when none is held or it is close to expiry."""
        ...

    def invalidate(self, token: AccessToken) -> None:
        """The server refused `token`: drop it, unless the cache already holds a newer one."""
        ...

    def renew(self, fetch: Callable[[], IssuedToken]) -> AccessToken:
        """Fetch a new token now and keep it (a credentials check: Zoom revokes the previous one)."""
        ...


class TokenCache:
    """Hands out a cached token, fetching a new one when none is held or it is close to expiry (one process)."""

    def __init__(self, *, refresh_margin_s: float = DEFAULT_REFRESH_MARGIN_S, clock: Callable[[], float] = time.monotonic):
        self.refresh_margin_s = refresh_margin_s
        self._clock = clock
        self._lock = threading.Lock()
        self._token: AccessToken | None = None
        self._serial = 0
        self.fetch_count = 0

    def get(self, fetch: Callable[[], IssuedToken]) -> AccessToken:
        with self._lock:
            if self._token is not None and not needs_refresh(self._token, self._clock(), self.refresh_margin_s):
                return self._token
            return self._keep(fetch())

    def renew(self, fetch: Callable[[], IssuedToken]) -> AccessToken:
        with self._lock:
            return self._keep(fetch())

    def _keep(self, issued: IssuedToken) -> AccessToken:
        self._serial += 1
        self.fetch_count += 1
        self._token = AccessToken(
            value=issued.value,
            expires_at=self._clock() + issued.expires_in_s,
            lifetime_s=issued.expires_in_s,
            serial=self._serial,
        )
        return self._token

    def invalidate(self, token: AccessToken) -> None:
        """Forget `token` if it is still the cached one (another caller may have replaced it already)."""
        with self._lock:
            if self._token is not None and self._token.serial == token.serial:
                self._token = None


T = TypeVar("T")


class SharedByKey(Generic[T]):
    """One object per key for the whole process (a token cache or rate limiter per tenant/account)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._objects: dict[Hashable, T] = {}

    def get(self, key: Hashable, factory: Callable[[], T]) -> T:
        with self._lock:
            if key not in self._objects:
                self._objects[key] = factory()
            return self._objects[key]

    def clear(self) -> None:
        with self._lock:
            self._objects.clear()
