"""The freshness policy the code location applies, by selection, to the line's final assets."""

from __future__ import annotations

import datetime as dt

from dagster import AssetSpec, FreshnessPolicy, apply_freshness_policy

# The schedule runs shortly after midnight; a day without new exports after 26 h means a missed run,
# after 30 h a missed run and a missed retry.
DAILY_FRESHNESS = FreshnessPolicy.time_window(fail_window=dt.timedelta(hours=30), warn_window=dt.timedelta(hours=26))


def with_daily_freshness(spec: AssetSpec) -> AssetSpec:
    return apply_freshness_policy(spec, DAILY_FRESHNESS)
