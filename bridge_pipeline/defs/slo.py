"""Freshness policies on the final assets and latency SLO checks per day partition, shown in the UI.

`transcript_to_export_p95` takes, for each day of the run, the p95 over that day's meetings of the time
from transcript availability to export. The stage checks take, per day, the p95 over the day's recent
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
    AssetsDefinition,
    FreshnessPolicy,
    MetadataValue,
    PartitionKeyRange,
    apply_freshness_policy,
    asset_check,
    map_asset_specs,
)

from bridge_pipeline.defs.partitions import daily_partitions, partition_days
from bridge_pipeline.defs.resources import ProjectStoreResource
from bridge_pipeline.observability.slo import (
    DRAFT_STAGE,
    EXPORT_STAGE,
    TRANSCRIPT_TO_EXPORT,
    LatencyTarget,
    SloOutcome,
    evaluate,
)
from bridge_pipeline.storage.stage_timings import TimingStore

# The schedule runs shortly after midnight; a day without new exports after 26 h means a missed run,
# after 30 h a missed run and a missed retry.
DAILY_FRESHNESS = FreshnessPolicy.time_window(fail_window=dt.timedelta(hours=30), warn_window=dt.timedelta(hours=26))
FRESH_ASSETS = ("draft_qa", "contract_exports")


def with_freshness_policies(assets: Sequence[AssetsDefinition]) -> list[AssetsDefinition]:
    """The same assets, the final ones carrying the daily freshness policy."""

    def attach(spec):
        return apply_freshness_policy(spec, DAILY_FRESHNESS) if spec.key.path[-1] in FRESH_ASSETS else spec

    return list(map_asset_specs(attach, assets))


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


def run_days(context: AssetCheckExecutionContext) -> list[dt.date]:
    """The days the run materialized, from its partition tags (the checks run once per run, like the QA checks)."""
    tags = context.run.tags
    if "dagster/partition" in tags:
        return partition_days([tags["dagster/partition"]])
    start, end = tags.get("dagster/asset_partition_range_start"), tags.get("dagster/asset_partition_range_end")
    if start and end:
        return partition_days(daily_partitions.get_partition_keys_in_range(PartitionKeyRange(start, end)))
    return []


def _timings(store: ProjectStoreResource) -> TimingStore:
    return TimingStore(store.get_store().engine)


@asset_check(
    asset="contract_exports",
    name=TRANSCRIPT_TO_EXPORT.name,
    description=f"Per day, p95 of {TRANSCRIPT_TO_EXPORT.what}: warns above {TRANSCRIPT_TO_EXPORT.warn_above_s:g} s, "
    f"fails above {TRANSCRIPT_TO_EXPORT.fail_above_s:g} s.",
)
def transcript_to_export_p95(context: AssetCheckExecutionContext, store: ProjectStoreResource) -> AssetCheckResult:
    days = run_days(context)
    return _result(evaluate(TRANSCRIPT_TO_EXPORT, _meeting_samples(_timings(store), days)))


def _stage_check(asset: str, stage: str, target: LatencyTarget):
    @asset_check(
        asset=asset,
        name=target.name,
        description=f"Per day, p95 over recent runs of {target.what}: warns above {target.warn_above_s:g} s, "
        f"fails above {target.fail_above_s:g} s.",
    )
    def check(context: AssetCheckExecutionContext, store: ProjectStoreResource) -> AssetCheckResult:
        days = run_days(context)
        return _result(evaluate(target, _stage_samples(_timings(store), stage, days)))

    return check


draft_stage_p95 = _stage_check("contract_drafts", "contract_drafts", DRAFT_STAGE)
export_stage_p95 = _stage_check("contract_exports", "contract_exports", EXPORT_STAGE)

slo_checks = [transcript_to_export_p95, draft_stage_p95, export_stage_p95]
