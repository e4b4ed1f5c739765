"""Applies the pool limits to a Dagster instance: `python -m bridge_pipeline.defs.pools` at deploy time."""

from __future__ import annotations

from collections.abc import Mapping

from dagster import DagsterInstance

from bridge_pipeline.defs.pools import POOL_LIMITS


def apply_pool_limits(instance: DagsterInstance, limits: Mapping[str, int] = POOL_LIMITS) -> dict[str, int]:
    """Set each pool's slot count on the instance (idempotent); return what was set."""
    for pool, limit in limits.items():
        instance.event_log_storage.set_concurrency_slots(pool, limit)
    return dict(limits)


def main() -> None:
    """Apply POOL_LIMITS to the instance in $DAGSTER_HOME."""
    with DagsterInstance.get() as instance:
        for pool, limit in apply_pool_limits(instance).items():
            print(f"pool {pool}: {limit} slots")


if __name__ == "__main__":
    main()
