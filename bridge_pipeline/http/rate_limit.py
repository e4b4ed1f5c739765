"""A client-side token bucket, so a source stays under the per-second rate its API allows.

One limiter is shared by every client of the same tenant or account (the APIs count requests per
tenant/account, not per client object). A 429's wait can be applied to the whole bucket with
`hold_for`, so every caller sharing it backs off, not only the one that was refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

_EPSILON = 1e-9


class TokenBucket:
    """Allows `rate_per_s` acquisitions per second on average, at most `burst` back to back."""

    def __init__(
        self,
        rate_per_s: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if rate_per_s <= 0:
            raise ValueError(f"rate_per_s must be positive, got {rate_per_s}")
        if burst < 1:
            raise ValueError(f"burst must be at least 1, got {burst}")
        self.rate_per_s = float(rate_per_s)
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._updated = clock()
        self._held_until = 0.0

    def acquire(self) -> float:
        """Wait for a token; returns how long the caller waited, in seconds."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._refill(now)
                hold = self._held_until - now
                # A tolerance, or float rounding could leave the bucket a hair short of a token forever.
                if hold <= 0 and self._tokens >= 1.0 - _EPSILON:
                    self._tokens = max(0.0, self._tokens - 1.0)
                    return waited
                delay = max(hold, (1.0 - self._tokens) / self.rate_per_s)
            self._sleep(delay)
            waited += delay

    def hold_for(self, seconds: float) -> None:
        """No token is handed out for `seconds` from now (a server asked everyone to wait)."""
        with self._lock:
            now = self._clock()
            self._held_until = max(self._held_until, now + seconds)

    def _refill(self, now: float) -> None:
        self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate_per_s)
        self._updated = now
