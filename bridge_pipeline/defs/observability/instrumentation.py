"""Wraps each stage asset: timings for the SLO checks, Prometheus metrics, structured logs, duration metadata.

`@observed_stage` goes under `@asset`; the asset body stays as it is. Instrumentation never changes
what a stage produces. What the stage counted (its own figures, and the API calls and transcript
downloads recorded below it) goes into the event log as the `bridge_metrics` metadata entry: on the
materialization, or on an observation of the asset when the stage fails. The metrics exporter sums
those entries at scrape time (see bridge_pipeline.observability.metrics for why).
"""

import datetime as dt
import functools
import logging
import time
from collections import Counter
from collections.abc import Callable

from dagster import AssetExecutionContext, AssetObservation, MaterializeResult, MetadataValue

from bridge_pipeline.defs.meeting_line.partitions import partition_days
from bridge_pipeline.observability import metrics
from bridge_pipeline.observability.json_logs import get_logger, log_context, log_event
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
                metrics.observe(metrics.TRANSCRIPT_TO_EXPORT, latency.seconds)
                log_event(_log, "meeting_exported", meeting_id=latency.meeting_id, partition=day.isoformat(),
                          latency_s=round(latency.seconds, 3))
        exported, withheld = store.load_exports(day)
        for item in exported:
            metrics.count(metrics.EXPORT_FILES, format=item.format)
        if withheld:
            metrics.count(metrics.WITHHELD_DRAFTS, len(withheld))
    stats = context.instance.get_run_stats(context.run.run_id)
    if stats.start_time:
        metrics.observe(metrics.RUN_DURATION, time.time() - stats.start_time, job=context.run.job_name, status="success")


def _metrics_entry(tally: metrics.Tally) -> dict[str, MetadataValue]:
    return {metrics.METADATA_KEY: MetadataValue.json(tally.to_json())}


def _record_failure(context: AssetExecutionContext, tally: metrics.Tally, keys: list[str]) -> None:
    """A failed step has no materialization: its tally (the error, the API calls it made) goes on an observation."""
    try:
        context.log_event(
            AssetObservation(
                asset_key=context.asset_key,
                # One day: the observation belongs to it; a range would need one per day for nothing.
                partition=keys[0] if len(keys) == 1 else None,
                metadata=_metrics_entry(tally),
            )
        )
    except Exception as error:  # the stage's own error is what the run must report
        log_event(_log, "metrics_not_recorded", logging.WARNING, error_type=type(error).__name__)


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
        with log_context(run_id=context.run.run_id, partition=_days_label(keys), stage=stage), \
                metrics.collecting() as tally:
            log_event(_log, "stage_started", days=len(days))
            try:
                result = fn(context, *args, **kwargs)
            except Exception as error:
                metrics.count(metrics.ERRORS, stage=stage, type=type(error).__name__)
                log_event(_log, "stage_failed", logging.ERROR, error_type=type(error).__name__)
                _record_failure(context, tally, keys)
                raise
            finished = _now()
            seconds = time.perf_counter() - clock
            timings = TimingStore(store.engine)
            sources: Counter[str] = Counter()
            for day in days:
                meetings = store.load_meetings(day)
                sources.update(m.source for m in meetings)
                timings.record_stage(day, context.run.run_id, stage, started, finished, len(meetings))
            for source, n in sorted(sources.items()):
                metrics.count(metrics.MEETINGS_PROCESSED, n, stage=stage, source=source)
            extra: dict[str, MetadataValue] = {}
            if stage == FIRST_STAGE:
                extra = _after_ingest(context, store, days, started)
            if stage == LAST_STAGE:
                _after_export(context, store, days, finished)
            metrics.observe(metrics.STAGE_DURATION, seconds, stage=stage)
            numbers = {k: v.value for k, v in (result.metadata or {}).items() if isinstance(getattr(v, "value", None), int)}
            log_event(_log, "stage_finished", duration_s=round(seconds, 3), counts=numbers)
        metadata = {
            **(result.metadata or {}),
            **extra,
            "duration_s": MetadataValue.float(round(seconds, 4)),
            **_metrics_entry(tally),
        }
        return result._replace(metadata=metadata)

    return run
