import threading
import time

import pytest

from bridge_pipeline.http.errors import AuthFailedError
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.tokens import IssuedToken, TokenCache, issued_token_from


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def counting_fetch(lifetime=3600.0):
    calls = []

    def fetch():
        calls.append(1)
        return IssuedToken(Secret(f"token-number-{len(calls)}"), lifetime)

    return fetch, calls


def test_cached_token_is_reused_until_close_to_expiry():
    clock = Clock()
    cache = TokenCache(refresh_margin_s=300, clock=clock)
    fetch, calls = counting_fetch(3600)
    first = cache.get(fetch)
    clock.now = 3200
    assert cache.get(fetch) is first
    clock.now = 3301  # inside the five-minute margin: refreshed before it expires
    assert cache.get(fetch).value.reveal() == "token-number-2"
    assert len(calls) == 2


def test_short_lived_tokens_refresh_at_half_their_lifetime():
    clock = Clock()
    cache = TokenCache(refresh_margin_s=300, clock=clock)
    fetch, calls = counting_fetch(10)
    cache.get(fetch)
    clock.now = 4.9
    cache.get(fetch)
    clock.now = 5.0
    cache.get(fetch)
    assert len(calls) == 2


def test_invalidate_drops_only_the_token_the_caller_saw_refused():
    cache = TokenCache(clock=Clock())
    fetch, calls = counting_fetch()
    old = cache.get(fetch)
    cache.invalidate(old)
    new = cache.get(fetch)
    cache.invalidate(old)  # a second caller that also saw the old token refused
    assert cache.get(fetch) is new
    assert len(calls) == 2


def test_concurrent_callers_cause_one_fetch():
    cache = TokenCache()
    calls = []

    def slow_fetch():
        calls.append(1)
        time.sleep(0.05)
        return IssuedToken(Secret("shared-token-value"), 3600)

    threads = [threading.Thread(target=cache.get, args=(slow_fetch,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1


def test_token_answer_without_expiry_is_an_auth_failure():
    with pytest.raises(AuthFailedError, match="no usable access_token"):
        issued_token_from({"access_token": "abcdefgh"}, "zoom", "fetching a token")
    assert issued_token_from({"access_token": "abcdefgh", "expires_in": "3599"}, "zoom", "x").expires_in_s == 3599
