"""How often a sensor asks to tick, given how often it should.

The daemon's sensor loop wakes every 5 s and skips a sensor whose last tick began less than its minimum
interval ago. Ticks start a fraction of a second earlier or later in each loop, so an interval of exactly
5 s skipped one loop in three when measured (10 s between ticks); asking a second less keeps the sensor
on every loop that is due.
"""

LOOP_ALLOWANCE_S = 1


def minimum_interval(interval_s: int) -> int:
    """The minimum_interval_seconds that gives a tick every interval_s seconds."""
    return max(1, interval_s - LOOP_ALLOWANCE_S)
