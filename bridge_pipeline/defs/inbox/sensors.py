"""The inbox sensor: watches the inbox folder and requests the day partitions that got new or changed files.

Every few seconds (BRIDGE_INBOX_POLL_SECONDS, 5 by default; the daemon evaluates sensors at most every
5 s) it lists the day folders of the last BRIDGE_INBOX_LOOKBACK_DAYS days and compares them with its
cursor, a JSON map of file -> status, size, modification time, content digest and when it was first
seen (bridge_pipeline.sources.inbox). Run keys are not used. Files still being written are left alone:
hidden files, `.part`/`.tmp` names, and a file whose size or modification time changed since the
previous tick; a new file therefore waits one tick. Each day with a new or changed file gets one run
request, tagged with the sensor and with the time its earliest such file was first seen complete
(the start of the latency clock). A day that is not a partition (before the start date, or ahead of the
clock) is logged and not requested; a day ahead is requested once it becomes a partition.

A deleted file asks for no run: running the day without it would remove that meeting's exports. The
sensor logs the deletion and keeps it in the cursor; the next run of that day (another file changing,
the daily schedule, or by hand) removes the meeting, and when the sensor requests that run it names the
deleted files again.

No postponed annotations: Dagster reads the parameter types to inject the resources.
"""

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from dagster import (
    DailyPartitionsDefinition,
    DefaultSensorStatus,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from bridge_pipeline.defs.inbox.resources import InboxSourceResource
from bridge_pipeline.defs.meeting_line.jobs import meeting_line_job
from bridge_pipeline.defs.meeting_line.partitions import partition_timezone
from bridge_pipeline.defs.polling import TRIGGER_TAG, detection_tags
from bridge_pipeline.defs.run_coalescing import without_waiting_days
from bridge_pipeline.defs.sensor_timing import minimum_interval
from bridge_pipeline.sources.inbox import DEFAULT_LOOKBACK_DAYS, DEFAULT_POLL_SECONDS, SETTLED_AFTER_S, watch_inbox

SENSOR_NAME = "inbox_sensor"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def build_inbox_sensor(
    partitions_def: DailyPartitionsDefinition,
    *,
    interval_s: int = DEFAULT_POLL_SECONDS,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    clock: Callable[[], dt.datetime] = _utc_now,
    sleep: Callable[[float], None] = time.sleep,
) -> SensorDefinition:
    timezone = partition_timezone(partitions_def)

    def is_partition(day: dt.date) -> bool:
        return partitions_def.has_partition_key(day.isoformat())

    @sensor(
        name=SENSOR_NAME,
        job=meeting_line_job,
        minimum_interval_seconds=minimum_interval(interval_s),
        # The inbox needs no credentials, so the sensor is on wherever the code location runs.
        default_status=DefaultSensorStatus.RUNNING,
        description="Watches the inbox folder and runs the line for each day that got a new or changed transcript.",
    )
    def inbox_sensor(context: SensorEvaluationContext, inbox: InboxSourceResource) -> SensorResult:
        advance = watch_inbox(
            Path(inbox.inbox_dir),
            context.cursor,
            now=clock(),
            timezone=timezone,
            is_partition=is_partition,
            lookback_days=lookback_days,
            # A file renamed in just before this tick is taken by it, after at most this wait (the sensor
            # runs in its own thread, so the others do not wait).
            settle_wait_s=SETTLED_AFTER_S,
            sleep=sleep,
        )
        for problem in advance.problems:
            context.log.warning(f"{SENSOR_NAME}: {problem}")
        for path in advance.held:
            context.log.info(f"{SENSOR_NAME}: {path} is on a day outside the day partitions; not requested")
        for path in advance.deleted:
            context.log.warning(
                f"{SENSOR_NAME}: {path} was removed from the inbox; its exports stay until its day runs again, "
                "and that run removes them"
            )
        for path in advance.removed_by_request:
            context.log.warning(
                f"{SENSOR_NAME}: {path} was removed from the inbox; the run requested now removes its exports"
            )
        if advance.changed:
            context.log.info(f"{SENSOR_NAME}: new or changed: {', '.join(advance.changed)}")

        requests = [
            RunRequest(partition_key=day.isoformat(), tags={TRIGGER_TAG: SENSOR_NAME, **detection_tags(first_seen)})
            for day, first_seen in advance.requested.items()
        ]
        requests = without_waiting_days(context, meeting_line_job.name, requests, SENSOR_NAME)
        cursor = advance.cursor.to_json()
        if not requests:
            skip = SkipReason("no new or changed files in the inbox, or their days' runs are waiting to start")
            return SensorResult(skip_reason=skip, cursor=cursor)
        return SensorResult(run_requests=requests, cursor=cursor)

    return inbox_sensor
