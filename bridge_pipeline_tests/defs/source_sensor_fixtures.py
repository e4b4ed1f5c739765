"""What the Teams and Zoom sensor tests share: the sensors over default partitions, ids the fakes know, ticks."""

from __future__ import annotations

import datetime as dt

from dagster import SensorResult, SkipReason, build_sensor_context

from bridge_pipeline.defs.meeting_line.partitions import build_daily_partitions
from bridge_pipeline.defs.teams.sensors import build_teams_sensor
from bridge_pipeline.defs.zoom.sensors import build_zoom_sensor
from bridge_pipeline.settings import load_settings

UTC = dt.timezone.utc
ORGANIZER = "8b081ef6-4792-4def-b2c9-c363a1bf41d5"
ZOOM_USER = "KDcuGIm1QgePTO8WbOqwIQ"
PARTITIONS = build_daily_partitions(load_settings({}))
TEAMS_SENSOR = build_teams_sensor(PARTITIONS, interval_s=30, enabled=True)
ZOOM_SENSOR = build_zoom_sensor(PARTITIONS, interval_s=30, enabled=True)


def hours_ago(hours: float) -> dt.datetime:
    # Whole minutes, well inside the sensors' look-back window.
    return (dt.datetime.now(UTC) - dt.timedelta(hours=hours)).replace(second=0, microsecond=0)


def tick(sensor, resource_key: str, resource, cursor: str | None = None) -> SensorResult | SkipReason:
    with build_sensor_context(cursor=cursor, resources={resource_key: resource}) as context:
        return sensor(context)
