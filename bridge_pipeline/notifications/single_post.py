"""Sends a chat post, which no API makes idempotent, without ever sending it twice.

The shared `ApiClient` retries every transient failure, which is right for reads and edits but not
for a post: a timeout, a dropped connection or a 5xx may come after the server stored the message.
So a post is sent with a single-attempt policy (token refresh, rate limiting, URL guard and error
mapping still come from the shared client), and this loop decides what a failure means:
- 429: the server refused before doing anything; the shared rate limiter already holds for the
  wait the server asked, so the post is simply sent again;
- anything else transient: the message may exist, so the chat is searched for the post's marker
  first, and the post is sent again only if it is not there.
Attempts and the time budget follow the client's retry policy.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bridge_pipeline.http.errors import RetriesExhaustedError, ThrottledError
from bridge_pipeline.http.retry import RetryPolicy

logger = logging.getLogger(__name__)

# One attempt per `ApiClient.request`; this module's loop does the retrying.
SINGLE_ATTEMPT = RetryPolicy(max_attempts=1)


def post_once(
    send: Callable[[], str],
    find_sent: Callable[[], str | None],
    *,
    policy: RetryPolicy,
    what: str,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """The id of the message `send` posted, or of the one `find_sent` found after an unclear failure.

    `send` must use `SINGLE_ATTEMPT`; `find_sent` looks the post's marker up in the chat.
    """
    started = time.monotonic()
    attempt = 0
    while True:
        attempt += 1
        try:
            return send()
        except RetriesExhaustedError as exc:
            last = exc.last_error
            refused_before_storing = isinstance(last, ThrottledError) and last.status == 429
            if not refused_before_storing:
                found = find_sent()
                if found is not None:
                    logger.info("%s: the post arrived although its answer was lost (%s)", what, last.detail)
                    return found
            wait = _wait_before_next(last, attempt, policy)
            elapsed = time.monotonic() - started
            if attempt >= policy.max_attempts or wait is None or elapsed + wait > policy.budget_s:
                raise RetriesExhaustedError(
                    exc.source,
                    f"{what}: not posted after {attempt} attempt(s) in {elapsed:.1f} s; last error: {last.detail}",
                    last_error=last,
                    attempts=attempt,
                    elapsed_s=elapsed,
                ) from last
            logger.warning("%s: %s; sending again (attempt %d) in %.2f s", what, last.detail, attempt + 1, wait)
            sleep(wait)


def _wait_before_next(last: object, attempt: int, policy: RetryPolicy) -> float | None:
    """Seconds to wait before the next attempt; None when the server asked for longer than the policy allows."""
    asked = getattr(last, "retry_after_s", None)
    if asked is not None:
        # The shared limiter already holds this long for every caller; only refuse waits that are too long.
        return None if policy.asks_too_long(asked) else 0.0
    return min(policy.backoff_max_s, policy.backoff_initial_s * 2 ** (attempt - 1))
