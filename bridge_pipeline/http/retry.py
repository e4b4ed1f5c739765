"""The one retry policy of every outgoing request (meeting APIs, chat posts, the language model), run on tenacity.

A caller hands `RetryPolicy.run` one attempt and says which failures are worth another; the policy
decides how long to wait and when to stop, and reports why it stopped in `RetriesSpent`, so each
caller words its own error. A failure may carry `retry_after_s`: the wait the server asked for.

A policy that names an `api` also times each attempt into the `bridge_api_request_duration_seconds`
histogram by outcome (bridge_pipeline.observability.metrics). That is for the language model, whose
HTTP requests the OpenAI SDK sends (one per attempt: its own retries are off); the Graph and Zoom
clients time each HTTP request they send themselves (bridge_pipeline.http.api_client).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

import tenacity

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.observability import metrics

T = TypeVar("T")
Jitter = Literal["added", "scaled"]
StopReason = Literal["retry_after", "attempts", "budget"]
# Share of a server's Retry-After added at most with "added" jitter.
RETRY_AFTER_JITTER = 0.1


@dataclass(frozen=True)
class RetryPolicy:
    """How long one logical request may keep retrying transient failures.

    A request stops at `max_attempts`, or as soon as the next wait would end at or after `budget_s`
    from its first attempt, whichever comes first. Between attempts it backs off exponentially from
    `backoff_initial_s` up to `backoff_max_s`. A server asking for more than `max_retry_after_s`
    (Zoom's daily limit names the next midnight) is not waited for: the request fails at once,
    saying when to try again; None waits for any Retry-After the budget leaves room for.

    `jitter` spreads the waits so clients that failed together do not come back in lockstep:
    - "added": up to `backoff_initial_s` is added to a backoff; a Retry-After is waited instead of the
      backoff, plus up to 10% (the meeting APIs, whose rate limits several clients share);
    - "scaled": a backoff is scaled by 0.5 to 1; a Retry-After longer than that is waited exactly
      (the language model).

    `api` names the API whose attempts the latency histogram records ("openai"); empty records nothing.
    """

    max_attempts: int = 6
    budget_s: float = 120.0
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 30.0
    max_retry_after_s: float | None = 60.0
    jitter: Jitter = "added"
    api: str = ""

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigurationError(f"retry max_attempts must be at least 1, got {self.max_attempts}")
        if self.budget_s <= 0:
            raise ConfigurationError(f"retry budget_s must be positive, got {self.budget_s}")
        for name in ("backoff_initial_s", "backoff_max_s", "max_retry_after_s"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ConfigurationError(f"retry {name} must not be negative, got {value}")
        if self.jitter not in ("added", "scaled"):
            raise ConfigurationError(f"retry jitter must be 'added' or 'scaled', got {self.jitter!r}")

    def asks_too_long(self, retry_after_s: float | None) -> bool:
        """Whether a server's Retry-After is longer than this policy waits."""
        return retry_after_s is not None and self.max_retry_after_s is not None and retry_after_s > self.max_retry_after_s

    def wait_s(self, attempt: int, retry_after_s: float | None = None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based), jitter included."""
        if self.jitter == "added":
            if retry_after_s is not None:
                return retry_after_s * (1 + random.uniform(0, RETRY_AFTER_JITTER))
            backoff = self.backoff_initial_s * 2 ** (attempt - 1) + random.uniform(0, self.backoff_initial_s)
            return max(0.0, min(backoff, self.backoff_max_s))
        backoff = min(self.backoff_max_s, self.backoff_initial_s * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
        return max(backoff, retry_after_s or 0.0)

    def run(
        self,
        attempt: Callable[[], T],
        *,
        retryable: Callable[[BaseException], bool],
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        before_sleep: Callable[[tenacity.RetryCallState], None] | None = None,
    ) -> T:
        """`attempt()`'s result, calling it again after failures `retryable` accepts.

        Any other exception passes through at once; RetriesSpent when the policy stops first.
        """
        started = clock()
        if self.api:
            attempt = _timed(attempt, self.api, retryable)
        stopped: list[tuple[StopReason, float]] = []

        def wait(state: tenacity.RetryCallState) -> float:
            return self.wait_s(state.attempt_number, _retry_after_s(state))

        def stop(state: tenacity.RetryCallState) -> bool:
            reason = self._stop_reason(state, clock() - started)
            if reason is not None:
                stopped.append((reason, state.upcoming_sleep))
            return reason is not None

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(retryable),
            stop=stop,
            wait=wait,
            sleep=sleep,
            before_sleep=before_sleep,
        )
        try:
            return retrying(attempt)
        except tenacity.RetryError as exc:
            last = exc.last_attempt.exception()
            assert last is not None
            reason, next_wait = stopped[-1]
            raise RetriesSpent(
                last, attempts=exc.last_attempt.attempt_number, elapsed_s=clock() - started, reason=reason,
                next_wait_s=next_wait,
            ) from last

    def _stop_reason(self, state: tenacity.RetryCallState, elapsed_s: float) -> StopReason | None:
        if self.asks_too_long(_retry_after_s(state)):
            return "retry_after"
        if state.attempt_number >= self.max_attempts:
            return "attempts"
        if elapsed_s + state.upcoming_sleep >= self.budget_s:
            return "budget"
        return None


class RetriesSpent(Exception):
    """A policy stopped retrying: the last failure, how many attempts it took and why it stopped."""

    def __init__(
        self, last_error: BaseException, *, attempts: int, elapsed_s: float, reason: StopReason, next_wait_s: float
    ):
        super().__init__(f"stopped after {attempts} attempt(s) ({reason}): {last_error}")
        self.last_error = last_error
        self.attempts = attempts
        self.elapsed_s = elapsed_s
        self.reason = reason
        self.next_wait_s = next_wait_s  # the wait that would have come next (what passes the budget)


def _timed(attempt: Callable[[], T], api: str, retryable: Callable[[BaseException], bool]) -> Callable[[], T]:
    """`attempt`, recording its wall time and outcome in the API latency histogram."""

    def timed() -> T:
        # A real clock, not the policy's injectable one: tests fake that one to run budgets instantly.
        began = time.perf_counter()
        try:
            result = attempt()
        except Exception as error:
            metrics.observe(metrics.API_REQUEST_DURATION, time.perf_counter() - began, api=api,
                            outcome=attempt_outcome(error, retryable))
            raise
        metrics.observe(metrics.API_REQUEST_DURATION, time.perf_counter() - began, api=api, outcome=metrics.OUTCOME_OK)
        return result

    return timed


def attempt_outcome(error: BaseException, retryable: Callable[[BaseException], bool]) -> str:
    """The latency histogram's outcome of a failed attempt: throttled (the server named a wait), retryable_error
    or error."""
    if getattr(error, "retry_after_s", None) is not None:
        return metrics.OUTCOME_THROTTLED
    return metrics.OUTCOME_RETRYABLE if retryable(error) else metrics.OUTCOME_ERROR


def _retry_after_s(state: tenacity.RetryCallState) -> float | None:
    error = state.outcome.exception() if state.outcome else None
    return getattr(error, "retry_after_s", None)
