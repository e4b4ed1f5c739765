"""Latency SLO checks per day partition, shown in the UI; which assets get them is the meeting line's choice.

`transcript_to_export_check` takes, for each day of the run, the p95 over that day's meetings of the time
from transcript availability (the requesting sensor's `bridge/detected_at` tag, else the run's start; see
instrumentation) to export. A stage check takes, per day, the p95 over the day's recent
runs of the stage's seconds per meeting. A p95 above the warning line warns; above the seed's
line the check fails (non-blocking: exports are already written, the signal is for operators).
No postponed annotations here: Dagster reads the parameter types to inject the context and resources.
"""

import datetime as dt
from collections.abc import Mapping, Sequence

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetChecksDefinition,
    DailyPartitionsDefinition,
    MetadataValue,
    PartitionKeyRange,
    asset_check,
)

from bridge_pipeline.defs.meeting_line.partitions import partition_days
from bridge_pipeline.defs.storage.resources import ProjectStoreResource
from bridge_pipeline.observability.slo import LatencyTarget, SloOutcome, evaluate
from bridge_pipeline.storage.stage_timings import TimingStore


def _result(outcome: SloOutcome) -> AssetCheckResult:
    target = outcome.target
    verdict = outcome.verdict
    worst = outcome.worst_p95_s
    metadata = {
        "days": MetadataValue.int(len(outcome.days)),
        **({"worst_day_p95_s": MetadataValue.float(round(worst, 4))} if worst is not None else {}),
        "warn_above_s": MetadataValue.float(target.warn_above_s),
        "fail_above_s": MetadataValue.float(target.fail_above_s),
        "per_day": MetadataValue.md(outcome.table()),
    }
    return AssetCheckResult(
        passed=verdict in ("ok", "no_data"),
        severity=AssetCheckSeverity.ERROR if verdict == "fail" else AssetCheckSeverity.WARN,
        metadata=metadata,
        description=f"p95 of {target.what}: {verdict}",
    )


def _meeting_samples(timings: TimingStore, days: Sequence[dt.date]) -> Mapping[dt.date, list[float]]:
    return {
        day: [m.seconds for m in timings.meeting_latencies(day) if m.seconds is not None] for day in days
    }


def _stage_samples(timings: TimingStore, stage: str, days: Sequence[dt.date]) -> Mapping[dt.date, list[float]]:
    return {day: [t.seconds_per_meeting for t in timings.stage_timings(day, stage)] for day in days}


def run_days(context: AssetCheckExecutionContext, partitions_def: DailyPartitionsDefinition) -> list[dt.date]:
    """The days the run materialized, from its partition tags (the checks run once per run, like the QA checks)."""
    tags = context.run.tags
    if "dagster/partition" in tags:
        return partition_days([tags["dagster/partition"]])
    start, end = tags.get("dagster/asset_partition_range_start"), tags.get("dagster/asset_partition_range_end")
    if start and end:
        return partition_days(partitions_def.get_partition_keys_in_range(PartitionKeyRange(start, end)))
    return []


def _timings(store: ProjectStoreResource) -> TimingStore:
    return TimingStore(store.get_store().engine)


def transcript_to_export_check(
    asset: str, target: LatencyTarget, partitions_def: DailyPartitionsDefinition
) -> AssetChecksDefinition:
    @asset_check(
        asset=asset,
        name=target.name,
        description=f"Per day, p95 of {target.what}: warns above {target.warn_above_s:g} s, "
        f"fails above {target.fail_above_s:g} s.",
    )
    def transcript_to_export_p95(context: AssetCheckExecutionContext, store: ProjectStoreResource) -> AssetCheckResult:
        days = run_days(context, partitions_def)
        return _result(evaluate(target, _meeting_samples(_timings(store), days)))

    return transcript_to_export_p95


def stage_check(
    asset: str, stage: str, target: LatencyTarget, partitions_def: DailyPartitionsDefinition
) -> AssetChecksDefinition:
    @asset_check(
        asset=asset,
        name=target.name,
        description=f"Per day, p95 over recent runs of {target.what}: warns above {target.warn_above_s:g} s, "
        f"fails above {target.fail_above_s:g} s.",
    )
    def check(context: AssetCheckExecutionContext, store: ProjectStoreResource) -> AssetCheckResult:
        days = run_days(context, partitions_def)
        return _result(evaluate(target, _stage_samples(_timings(store), stage, days)))

    return check
