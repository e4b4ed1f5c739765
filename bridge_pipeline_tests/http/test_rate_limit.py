import threading

import pytest

from bridge_pipeline.http.rate_limit import TokenBucket


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_bucket_spaces_requests_at_the_configured_rate():
    clock = FakeClock()
    bucket = TokenBucket(5.0, clock=clock, sleep=clock.sleep)
    for _ in range(11):
        bucket.acquire()
    # The first one is free; ten more at 5 per second take two seconds.
    assert clock.now - 100.0 == pytest.approx(2.0)


def test_burst_allows_that_many_back_to_back_then_the_rate():
    clock = FakeClock()
    bucket = TokenBucket(10.0, burst=3, clock=clock, sleep=clock.sleep)
    waits = [bucket.acquire() for _ in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == pytest.approx(0.1)


def test_hold_for_makes_every_caller_wait_out_the_servers_request():
    clock = FakeClock()
    bucket = TokenBucket(100.0, clock=clock, sleep=clock.sleep)
    bucket.acquire()
    bucket.hold_for(1.5)
    assert bucket.acquire() == pytest.approx(1.5)


def test_bucket_is_shared_safely_between_threads():
    bucket = TokenBucket(200.0, burst=1)
    acquired = []

    def worker():
        for _ in range(10):
            bucket.acquire()
            acquired.append(1)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(acquired) == 40


def test_rate_must_be_positive():
    with pytest.raises(ValueError):
        TokenBucket(0)
