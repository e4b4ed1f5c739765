"""The Zoom sensor: polls Zoom cloud recordings and requests the day partitions that received new transcripts.

No postponed annotations: Dagster reads the parameter types to inject the resources.
"""

from dagster import (
    DailyPartitionsDefinition,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from bridge_pipeline.defs.meeting_line.jobs import meeting_line_job
from bridge_pipeline.defs.polling import changed_day_requests, sensor_status
from bridge_pipeline.defs.zoom.resources import ZoomSourceResource


def build_zoom_sensor(
    partitions_def: DailyPartitionsDefinition, *, interval_s: int, enabled: bool
) -> SensorDefinition:
    @sensor(
        job=meeting_line_job,
        minimum_interval_seconds=interval_s,
        default_status=sensor_status(enabled),
        description="Polls Zoom cloud recordings for new transcripts and runs the line for each day that got one.",
    )
    def zoom_sensor(context: SensorEvaluationContext, zoom: ZoomSourceResource) -> SensorResult | SkipReason:
        return changed_day_requests(context, zoom.get_source(), "zoom", "zoom_sensor", partitions_def)

    return zoom_sensor
