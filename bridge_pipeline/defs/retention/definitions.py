"""The retention domain's definitions: the purge job and its schedule (the resource: resources_for_environment)."""

from __future__ import annotations

from dagster import Definitions

from bridge_pipeline.defs.retention.jobs import build_retention_schedule, retention_job


def build_defs(*, enabled: bool, timezone: str) -> Definitions:
    return Definitions(jobs=[retention_job], schedules=[build_retention_schedule(enabled=enabled, timezone=timezone)])
