"""The Teams sensor: polls Microsoft Graph and requests the day partitions that received new transcripts.

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
from bridge_pipeline.defs.teams.resources import GraphSourceResource


def build_teams_sensor(
    partitions_def: DailyPartitionsDefinition, *, interval_s: int, enabled: bool
) -> SensorDefinition:
    @sensor(
        job=meeting_line_job,
        minimum_interval_seconds=interval_s,
        default_status=sensor_status(enabled),
        description="Polls Microsoft Graph for new Teams transcripts and runs the line for each day that got one.",
    )
    def teams_sensor(context: SensorEvaluationContext, teams: GraphSourceResource) -> SensorResult | SkipReason:
        return changed_day_requests(context, teams.get_source(), "teams", "teams_sensor", partitions_def)

    return teams_sensor
