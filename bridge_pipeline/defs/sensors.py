"""Sensors that poll Teams and Zoom and request the day partitions that received new transcripts.

All state is in the sensor cursor (see bridge_pipeline.sources.http.cursor): per organizer or user,
the latest artifact time, when it was last listed, the digests seen in the look-back window and the
transcripts still pending. Each tick re-lists the look-back window, so a transcript that appears
hours after its meeting still requests its day; run keys are not used, so nothing grows with history.
A source without credentials is switched off and its sensor skips; a configured one starts polling
by itself (it can still be stopped in the UI). No postponed annotations: Dagster reads the parameter
types to inject the resources.
"""

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from bridge_pipeline.defs.jobs import meeting_line_job
from bridge_pipeline.defs.partitions import daily_partitions
from bridge_pipeline.defs.remote_sources import GraphSourceResource, ZoomSourceResource
from bridge_pipeline.sources.graph import GraphSource
from bridge_pipeline.sources.zoom import ZoomSource

TRIGGER_TAG = "bridge/trigger"
RemoteSource = GraphSource | ZoomSource


def changed_day_requests(
    context: SensorEvaluationContext, source: RemoteSource | None, source_name: str, sensor_name: str
) -> SensorResult | SkipReason:
    """One tick: poll the source from the stored cursor, request each changed day, store the new cursor."""
    if source is None:
        return SkipReason(f"the {source_name} source is not configured (see bridge_pipeline.sources.environment)")
    try:
        advance = source.changes_since(context.cursor, timezone=daily_partitions.timezone or "UTC")
    finally:
        source.close()
    for problem in advance.problems:
        context.log.warning(f"{sensor_name}: {problem}")

    requests = []
    for day in advance.changed_days:
        key = day.isoformat()
        if not daily_partitions.has_partition_key(key):
            # Before the configured start date, or a clock ahead of ours: nothing to materialize.
            context.log.info(f"{sensor_name}: new meetings on {key}, outside the day partitions; not requested")
            continue
        requests.append(RunRequest(partition_key=key, tags={TRIGGER_TAG: sensor_name}))
    cursor = advance.cursor.to_json()
    if not requests:
        return SensorResult(skip_reason=SkipReason("no new or newly ready transcripts"), cursor=cursor)
    return SensorResult(run_requests=requests, cursor=cursor)


def source_sensors(*, interval_s: int, teams_enabled: bool, zoom_enabled: bool) -> list[SensorDefinition]:
    """The two polling sensors; each starts running by default when its source is configured."""

    def status(enabled: bool) -> DefaultSensorStatus:
        return DefaultSensorStatus.RUNNING if enabled else DefaultSensorStatus.STOPPED

    @sensor(
        job=meeting_line_job,
        minimum_interval_seconds=interval_s,
        default_status=status(teams_enabled),
        description="Polls Microsoft Graph for new Teams transcripts and runs the line for each day that got one.",
    )
    def teams_sensor(context: SensorEvaluationContext, teams: GraphSourceResource) -> SensorResult | SkipReason:
        return changed_day_requests(context, teams.get_source(), "teams", "teams_sensor")

    @sensor(
        job=meeting_line_job,
        minimum_interval_seconds=interval_s,
        default_status=status(zoom_enabled),
        description="Polls Zoom cloud recordings for new transcripts and runs the line for each day that got one.",
    )
    def zoom_sensor(context: SensorEvaluationContext, zoom: ZoomSourceResource) -> SensorResult | SkipReason:
        return changed_day_requests(context, zoom.get_source(), "zoom", "zoom_sensor")

    return [teams_sensor, zoom_sensor]
