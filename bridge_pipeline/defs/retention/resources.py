"""The retention setting as a resource, so the UI shows it and a run can be given another value in its config."""

from __future__ import annotations

from dagster import ConfigurableResource


class RetentionResource(ConfigurableResource):
    """`days` = 0 keeps everything (the default, BRIDGE_RETENTION_DAYS unset); `timezone` says when a day ends."""

    days: int = 0
    timezone: str = "UTC"

    @property
    def enabled(self) -> bool:
        return self.days > 0
