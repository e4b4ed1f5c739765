"""The OpenAI client behind one retry budget, with every error message scrubbed of the API key.

The client's own retries are switched off: this module decides what to retry (429, 5xx, timeouts,
connection drops, and answers an operation calls malformed or refused); the project's `RetryPolicy`
backs off with jitter, honours Retry-After, and stops when either the attempt count or the time
budget is spent.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import tenacity

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.extraction.llm.errors import FinalFailure, LanguageModelError, RetryableFailure
from bridge_pipeline.http.retry import RetriesSpent, RetryPolicy
from bridge_pipeline.http.retry_after import parse_retry_after
from bridge_pipeline.observability.redaction import Redactor

if TYPE_CHECKING:
    import openai

log = logging.getLogger(__name__)

T = TypeVar("T")


class OpenAIApi:
    """One configured client plus `call`, which runs an operation under the retry policy."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None,
        request_timeout_s: float,
        retry: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redactor = Redactor([api_key])
        self.retry = retry
        self.request_timeout_s = request_timeout_s
        self._sleep = sleep
        self._clock = clock
        # Imported here, not at module load: the SDK takes about a second to import, and every run
        # process loads this module while most deployments run the offline extractor.
        import openai

        self._sdk = openai
        self.client = openai.OpenAI(api_key=api_key, base_url=base_url, timeout=request_timeout_s, max_retries=0)
        self.attempts = 0
        self.retries = 0

    def __repr__(self) -> str:
        return f"OpenAIApi(base_url={str(self.client.base_url)!r})"

    def redact(self, text: str) -> str:
        return self._redactor.redact(text)

    def call(self, what: str, operation: Callable[[openai.OpenAI], T]) -> T:
        """The operation's result; LanguageModelError naming `what` when the budget runs out first.

        The operation gets a client whose timeout never reaches past the remaining budget, and may raise
        RetryableFailure (try again) or FinalFailure (stop now) for answers it cannot use.
        """
        policy = self.retry
        started = self._clock()
        attempt = 0

        def one_attempt() -> T:
            nonlocal attempt
            attempt += 1
            self.attempts += 1
            remaining = policy.budget_s - (self._clock() - started)
            client = self.client.with_options(timeout=max(0.1, min(self.request_timeout_s, remaining)))
            try:
                return operation(client)
            except self._sdk.OpenAIError as error:
                failure = self._classify(error)
            except (RetryableFailure, FinalFailure) as error:
                failure = error
            if isinstance(failure, FinalFailure):
                message = self.redact(f"{what}: {failure.reason}")
                if failure.configuration:
                    raise ConfigurationError(message) from None
                raise LanguageModelError(message) from None
            log.warning("%s: attempt %d failed: %s", what, attempt, self.redact(failure.reason))
            raise failure

        try:
            return policy.run(
                one_attempt,
                retryable=lambda error: isinstance(error, RetryableFailure),
                sleep=self._sleep,
                clock=self._clock,
                before_sleep=self._count_retry,
            )
        except RetriesSpent as spent:
            assert isinstance(spent.last_error, RetryableFailure)
            last_reason = self.redact(spent.last_error.reason)
            if spent.reason == "budget":
                last_reason += f" (waiting {spent.next_wait_s:.1f}s more would pass the {policy.budget_s:g}s budget)"
            elif spent.reason == "retry_after":
                last_reason += f" (the server asks to wait longer than the {policy.max_retry_after_s:g}s this client waits)"
            raise LanguageModelError(
                f"{what}: no usable answer after {spent.attempts} attempt(s) in {spent.elapsed_s:.1f}s "
                f"(budget {policy.max_attempts} attempts, {policy.budget_s:g}s); last failure: {last_reason}"
            ) from None

    def _count_retry(self, state: tenacity.RetryCallState) -> None:
        self.retries += 1

    def _classify(self, error: openai.OpenAIError) -> RetryableFailure | FinalFailure:
        sdk = self._sdk
        if isinstance(error, sdk.APITimeoutError):
            return RetryableFailure("the request timed out")
        if isinstance(error, sdk.APIConnectionError):
            return RetryableFailure(f"connection failed: {error}")
        if isinstance(error, sdk.APIResponseValidationError):
            return RetryableFailure(f"malformed response: {error}")
        if isinstance(error, sdk.APIStatusError):
            status = error.status_code
            detail = _server_message(error)
            if status == 429 and error.code == "insufficient_quota":
                return FinalFailure(f"429 quota exhausted: {detail}")
            if status in (408, 409, 429) or status >= 500:
                return RetryableFailure(f"HTTP {status}: {detail}", _retry_after_s(error))
            if status in (401, 403):
                return FinalFailure(f"HTTP {status}: the API key was refused ({detail})", configuration=True)
            return FinalFailure(f"HTTP {status}: {detail}")
        return FinalFailure(f"{type(error).__name__}: {error}")


def _server_message(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict):
        inner = body["error"] if isinstance(body.get("error"), dict) else body
        if inner.get("message"):
            return str(inner["message"])[:300]
    return str(error)[:300]


def _retry_after_s(error: openai.APIStatusError) -> float | None:
    headers = error.response.headers
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    parsed = parse_retry_after(headers.get("retry-after"), dt.datetime.now(dt.timezone.utc))
    return parsed.seconds if parsed is not None else None
