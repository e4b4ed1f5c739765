"""Wraps each stage asset: timings for the SLO checks, Prometheus metrics, structured logs, duration metadata.

`@observed_stage` goes under `@asset`; the asset body stays as it is. Instrumentation never changes
what a stage produces, and a failure to push metrics never fails a stage.
"""

import datetime as dt
import functools
import logging
import os
import time
from collections.abc import Callable

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue

from bridge_pipeline.defs.meeting_line.partitions import partition_days
from bridge_pipeline.observability.exporter import PUSHGATEWAY_VARIABLE, push_metrics
from bridge_pipeline.observability.json_logs import get_logger, log_context, log_event
from bridge_pipeline.observability.metrics import METRICS
from bridge_pipeline.storage.stage_timings import TimingStore
from bridge_pipeline.storage.store import PipelineStore

# Every sensor tags its runs with when the transcript became available (ISO 8601, UTC): the inbox
# sensor with when it first saw the file complete, the Teams and Zoom sensors with the new artifact's
# time (bridge_pipeline.defs.polling). The latency clock starts there; runs without it (schedule,
# backfill, by hand) start it when the run began ingesting.
DETECTED_AT_TAG = "bridge/detected_at"
CLOCK_FROM_TAG = "sensor tag " + DETECTED_AT_TAG
CLOCK_FROM_RUN_START = "run start"
FIRST_STAGE = "raw_recordings"
LAST_STAGE = "contract_exports"

_log = get_logger("stages")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _days_label(keys: list[str]) -> str:
    return keys[0] if len(keys) == 1 else f"{keys[0]}...{keys[-1]}"


def _detected_at(context: AssetExecutionContext, started: dt.datetime) -> tuple[dt.datetime, str]:
    """Where the latency clock of the meetings this run ingests starts, and what that time came from."""
    raw = context.run.tags.get(DETECTED_AT_TAG)
    if not raw:
        return started, CLOCK_FROM_RUN_START
    try:
        seen = dt.datetime.fromisoformat(raw)
    except ValueError:
        log_event(_log, "ignored_bad_tag", logging.WARNING, tag=DETECTED_AT_TAG)
        return started, CLOCK_FROM_RUN_START
    seen = seen if seen.tzinfo else seen.replace(tzinfo=dt.timezone.utc)
    # A time after the run began (a clock ahead of ours) would shorten the measured latency.
    return min(seen, started), CLOCK_FROM_TAG


def _after_ingest(
    context: AssetExecutionContext, store: PipelineStore, days: list[dt.date], started: dt.datetime
) -> dict[str, MetadataValue]:
    """Start the clock of every new or changed meeting; the metadata says where it started."""
    timings = TimingStore(store.engine)
    available_at, clock_from = _detected_at(context, started)
    for day in days:
        meetings = store.load_meetings(day)
        timings.record_available(day, [(m.meeting_id, m.content_sha256) for m in meetings], available_at)
        for meeting in meetings:
            METRICS.meetings_processed.labels(source=meeting.source).inc()
            log_event(_log, "meeting_ingested", meeting_id=meeting.meeting_id, source=meeting.source,
                      partition=day.isoformat())
    return {
        "latency_clock_start": MetadataValue.timestamp(available_at),
        "latency_clock_from": MetadataValue.text(clock_from),
    }


def _after_export(context: AssetExecutionContext, store: PipelineStore, days: list[dt.date], finished: dt.datetime) -> None:
    timings = TimingStore(store.engine)
    for day in days:
        newly = set(timings.record_exported(day, finished))
        for latency in timings.meeting_latencies(day):
            if latency.meeting_id in newly and latency.seconds is not None:
                METRICS.transcript_to_export.observe(latency.seconds)
                log_event(_log, "meeting_exported", meeting_id=latency.meeting_id, partition=day.isoformat(),
                          latency_s=round(latency.seconds, 3))
        exported, _ = store.load_exports(day)
        for item in exported:
            METRICS.export_files.labels(format=item.format).inc()
    stats = context.instance.get_run_stats(context.run.run_id)
    if stats.start_time:
        METRICS.run_duration.labels(job=context.run.job_name, status="success").observe(time.time() - stats.start_time)


def _push_if_configured() -> None:
    # Read when a stage ends, in the run's own process: where metrics go is no part of the definitions.
    gateway = os.environ.get(PUSHGATEWAY_VARIABLE)
    if not gateway:
        return
    try:
        push_metrics(METRICS.registry, gateway, grouping_key={"instance": os.uname().nodename})
    except Exception as error:  # metrics are best effort; the stage's own work already succeeded
        log_event(_log, "metrics_push_failed", logging.WARNING, error_type=type(error).__name__)


def observed_stage(fn: Callable[..., MaterializeResult]) -> Callable[..., MaterializeResult]:
    """Time the stage per day, record metrics and logs, and add `duration_s` to its metadata."""
    stage = fn.__name__

    @functools.wraps(fn)
    def run(context: AssetExecutionContext, *args, **kwargs) -> MaterializeResult:
        keys = list(context.partition_keys)
        days = partition_days(keys)
        store = kwargs["store"].get_store()
        started = _now()
        clock = time.perf_counter()
        with log_context(run_id=context.run.run_id, partition=_days_label(keys), stage=stage):
            log_event(_log, "stage_started", days=len(days))
            try:
                result = fn(context, *args, **kwargs)
            except Exception as error:
                METRICS.errors.labels(stage=stage, type=type(error).__name__).inc()
                log_event(_log, "stage_failed", logging.ERROR, error_type=type(error).__name__)
                _push_if_configured()
                raise
            finished = _now()
            seconds = time.perf_counter() - clock
            timings = TimingStore(store.engine)
            for day in days:
                meetings = len(store.load_meetings(day))
                timings.record_stage(day, context.run.run_id, stage, started, finished, meetings)
            extra: dict[str, MetadataValue] = {}
            if stage == FIRST_STAGE:
                extra = _after_ingest(context, store, days, started)
            if stage == LAST_STAGE:
                _after_export(context, store, days, finished)
            METRICS.stage_duration.labels(stage=stage).observe(seconds)
            METRICS.stage_last_success.labels(stage=stage).set(finished.timestamp())
            numbers = {k: v.value for k, v in (result.metadata or {}).items() if isinstance(getattr(v, "value", None), int)}
            log_event(_log, "stage_finished", duration_s=round(seconds, 3), counts=numbers)
            _push_if_configured()
        metadata = {**(result.metadata or {}), **extra, "duration_s": MetadataValue.float(round(seconds, 4))}
        return result._replace(metadata=metadata)

    return run
