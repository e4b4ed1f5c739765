"""What the Teams and Zoom domains share: a remote source's resource fields and the sensor tick that polls it.

All state is in the sensor cursor (see bridge_pipeline.sources.cursor): per organizer or user,
the latest artifact time, when it was last listed, the digests seen in the look-back window and the
transcripts still pending. Each tick re-lists the look-back window, so a transcript that appears
hours after its meeting still requests its day; run keys are not used, so nothing grows with history.
A source without credentials is switched off and its sensor skips; a configured one starts polling
by itself (it can still be stopped in the UI).

Each run request carries `bridge/detected_at`, where the day's latency clock starts: per day, the
earliest artifact new in this tick, at its own time (Graph: transcript creation; Zoom: meeting start)
but not before the scope's previous successful listing, which did not show it yet. Both artifact times
are set while the meeting is still going on, so without that bound the clock would include the meeting.

A tick that called its API records those calls (count by status, latency by outcome) as the
`bridge_metrics` entry of an observation of `raw_recordings`, which the metrics exporter sums; the
code server that ticks sensors is scraped by nobody (bridge_pipeline.observability.metrics). A tick
that raises records nothing (the daemon stores no events of a failed tick).

The fake and the real service differ only in the resource fields (base URLs, credentials, mode). A source
whose credentials are not configured stays in the definitions, switched off (`enabled=False`), so
assets and sensors can always ask for it and simply skip it. The client secret is an `EnvVar`: Dagster
stores the variable's name, not its value, and resolves it only in the process that runs.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dagster import AssetObservation, ConfigurableResource, DailyPartitionsDefinition, DefaultSensorStatus, MetadataValue
from dagster import RunRequest, SensorDefinition, SensorEvaluationContext, SensorResult, SkipReason, sensor

from bridge_pipeline.defs.meeting_line.partitions import partition_timezone
from bridge_pipeline.defs.observability.instrumentation import DETECTED_AT_TAG, FIRST_STAGE
from bridge_pipeline.defs.run_coalescing import without_waiting_days
from bridge_pipeline.defs.sensor_timing import minimum_interval
from bridge_pipeline.observability import metrics
from bridge_pipeline.sources.environment import RemoteSourceConfig
from bridge_pipeline.sources.teams import GraphSource
from bridge_pipeline.sources.zoom import ZoomSource

if TYPE_CHECKING:
    from bridge_pipeline.sources.cursor import PollCursor

TRIGGER_TAG = "bridge/trigger"
MEETING_LINE_JOB = "meeting_line_job"
RemoteSource = GraphSource | ZoomSource


class RemoteSourceResource(ConfigurableResource):
    enabled: bool = False
    account: str = ""
    client_id: str = ""
    client_secret: str = ""
    scopes: list[str] = []
    api_url: str = ""
    auth_url: str = ""
    allowed_hosts: list[str] = []
    mode: str = "production"
    requests_per_second: float = 10.0
    lookback_hours: float = 24.0

    def _config(self, source: str) -> RemoteSourceConfig:
        return RemoteSourceConfig(
            source=source,
            account=self.account,
            client_id=self.client_id,
            scopes=tuple(self.scopes),
            api_url=self.api_url,
            auth_url=self.auth_url,
            allowed_hosts=tuple(self.allowed_hosts),
            mode=self.mode,
            requests_per_second=self.requests_per_second,
            lookback_hours=self.lookback_hours,
        )


def sensor_status(enabled: bool) -> DefaultSensorStatus:
    """A configured source's sensor starts running by default; an unconfigured one stays stopped."""
    return DefaultSensorStatus.RUNNING if enabled else DefaultSensorStatus.STOPPED


def detection_tags(available_at: dt.datetime) -> dict[str, str]:
    """The run tag that starts a day's latency clock (ISO 8601, UTC), read by the stage instrumentation."""
    return {DETECTED_AT_TAG: available_at.astimezone(dt.timezone.utc).isoformat()}


def first_available_by_day(before: PollCursor, after: PollCursor, timezone: str) -> dict[dt.date, dt.datetime]:
    """Per day, the earliest time a transcript new between the two cursors can have become available. Pure.

    New artifacts are the digests `after` holds in a scope's look-back window that `before` did not; an
    artifact belongs to the day its time falls on (the sources date artifacts that way). Its time is
    raised to the scope's previous successful listing, which did not show it as ready yet.
    """
    zone = ZoneInfo(timezone)
    days: dict[dt.date, dt.datetime] = {}
    for scope, state in after.scopes.items():
        earlier = before.scopes.get(scope)
        seen_before = earlier.seen if earlier is not None else {}
        not_before = earlier.listed_until if earlier is not None else None
        for digest, artifact_time in state.seen.items():
            if digest in seen_before:
                continue
            day = artifact_time.astimezone(zone).date()
            available = max(artifact_time, not_before) if not_before is not None else artifact_time
            days[day] = min(days.get(day, available), available)
    return days


def changed_day_requests(
    context: SensorEvaluationContext,
    source: RemoteSource | None,
    source_name: str,
    sensor_name: str,
    partitions_def: DailyPartitionsDefinition,
) -> SensorResult | SkipReason:
    """One tick: poll the source from the stored cursor, request each changed day, store the new cursor."""
    if source is None:
        return SkipReason(f"the {source_name} source is not configured (see bridge_pipeline.sources.environment)")
    timezone = partition_timezone(partitions_def)
    polled_at = dt.datetime.now(dt.timezone.utc)
    with metrics.collecting() as tally:
        try:
            advance = source.changes_since(context.cursor, timezone=timezone)
        finally:
            source.close()
    usage = _usage_events(tally)
    for problem in advance.problems:
        context.log.warning(f"{sensor_name}: {problem}")
    # The cursor class parses the stored string the same way the source just did.
    available = first_available_by_day(advance.cursor.from_json(context.cursor), advance.cursor, timezone)

    requests = []
    for day in advance.changed_days:
        key = day.isoformat()
        if not partitions_def.has_partition_key(key):
            # Before the configured start date, or a clock ahead of ours: nothing to materialize.
            context.log.info(f"{sensor_name}: new meetings on {key}, outside the day partitions; not requested")
            continue
        # A new artifact the look-back window no longer holds has no time in the cursor: this poll saw it.
        tags = {TRIGGER_TAG: sensor_name, **detection_tags(available.get(day, polled_at))}
        requests.append(RunRequest(partition_key=key, tags=tags))
    requests = without_waiting_days(context, MEETING_LINE_JOB, requests, sensor_name)
    cursor = advance.cursor.to_json()
    if not requests:
        skip = SkipReason("no new or newly ready transcripts, or their days' runs are waiting to start")
        return SensorResult(skip_reason=skip, cursor=cursor, asset_events=usage)
    return SensorResult(run_requests=requests, cursor=cursor, asset_events=usage)


def _usage_events(tally: metrics.Tally) -> list[AssetObservation]:
    """The tick's API calls as an observation of the asset the sources feed; none when it called nothing."""
    if not tally:
        return []
    entry = {metrics.METADATA_KEY: MetadataValue.json(tally.to_json())}
    return [AssetObservation(asset_key=FIRST_STAGE, metadata=entry)]


def build_source_sensor(
    source: str, description: str, partitions_def: DailyPartitionsDefinition, *, interval_s: int, enabled: bool
) -> SensorDefinition:
    """`<source>_sensor`: polls the resource named `source` and requests the days that got new transcripts."""
    from bridge_pipeline.defs.meeting_line.jobs import meeting_line_job

    name = f"{source}_sensor"

    @sensor(
        name=name,
        job=meeting_line_job,
        minimum_interval_seconds=minimum_interval(interval_s),
        default_status=sensor_status(enabled),
        description=description,
        required_resource_keys={source},
    )
    def _poll(context: SensorEvaluationContext, **resources: Any) -> SensorResult | SkipReason:
        # Dagster hands required resources in as keyword arguments when the sensor is invoked directly.
        resource = resources.get(source) or getattr(context.resources, source)
        return changed_day_requests(context, resource.get_source(), source, name, partitions_def)

    return _poll
