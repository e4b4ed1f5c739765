"""What the Teams and Zoom domains share: a remote source's resource fields and the sensor tick that polls it.

All state is in the sensor cursor (see bridge_pipeline.sources.http.cursor): per organizer or user,
the latest artifact time, when it was last listed, the digests seen in the look-back window and the
transcripts still pending. Each tick re-lists the look-back window, so a transcript that appears
hours after its meeting still requests its day; run keys are not used, so nothing grows with history.
A source without credentials is switched off and its sensor skips; a configured one starts polling
by itself (it can still be stopped in the UI).

The fake and the real service differ only in the resource fields (base URLs, credentials, mode). A source
whose credentials are not configured stays in the definitions, switched off (`enabled=False`), so
assets and sensors can always ask for it and simply skip it. The client secret is an `EnvVar`: Dagster
stores the variable's name, not its value, and resolves it only in the process that runs.
"""

from __future__ import annotations

from dagster import (
    ConfigurableResource,
    DailyPartitionsDefinition,
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
)

from bridge_pipeline.defs.meeting_line.partitions import partition_timezone
from bridge_pipeline.sources.environment import RemoteSourceConfig
from bridge_pipeline.sources.graph import GraphSource
from bridge_pipeline.sources.zoom import ZoomSource

TRIGGER_TAG = "bridge/trigger"
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
    try:
        advance = source.changes_since(context.cursor, timezone=partition_timezone(partitions_def))
    finally:
        source.close()
    for problem in advance.problems:
        context.log.warning(f"{sensor_name}: {problem}")

    requests = []
    for day in advance.changed_days:
        key = day.isoformat()
        if not partitions_def.has_partition_key(key):
            # Before the configured start date, or a clock ahead of ours: nothing to materialize.
            context.log.info(f"{sensor_name}: new meetings on {key}, outside the day partitions; not requested")
            continue
        requests.append(RunRequest(partition_key=key, tags={TRIGGER_TAG: sensor_name}))
    cursor = advance.cursor.to_json()
    if not requests:
        return SensorResult(skip_reason=SkipReason("no new or newly ready transcripts"), cursor=cursor)
    return SensorResult(run_requests=requests, cursor=cursor)
