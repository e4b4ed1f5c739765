"""Chat summaries as the last asset of the line.

`meeting_notifications` posts each opted-in meeting's summary to its Teams meeting chat or to Zoom Team
Chat, once: delivery records make re-runs, retries and backfills edit or skip instead of posting again
(bridge_pipeline.notifications). With nothing configured it posts nothing and says why in its metadata.
The chat clients are built by NotificationsResource (bridge_pipeline.defs.notifications.resources).
No postponed annotations: Dagster reads the parameter types.
"""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    BackfillPolicy,
    DailyPartitionsDefinition,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    asset,
)

from bridge_pipeline.defs.meeting_line.assets import GROUP
from bridge_pipeline.defs.meeting_line.partitions import partition_days
from bridge_pipeline.defs.notifications.resources import NotificationsResource
from bridge_pipeline.defs.observability.instrumentation import observed_stage
from bridge_pipeline.defs.pools import SOURCES_POOL
from bridge_pipeline.defs.storage.resources import BlobStorageResource, ProjectStoreResource
from bridge_pipeline.defs.teams.resources import GraphSourceResource
from bridge_pipeline.defs.zoom.resources import ZoomSourceResource
from bridge_pipeline.notifications import NotificationReport, notify_day

# The line's last stage; summaries link to its exports and are posted only once they are written.
CONTRACT_EXPORTS = AssetKey("contract_exports")


def _outcome_table(reports: list[NotificationReport]) -> str:
    rows = ["| day | meeting | outcome | target | detail |", "|---|---|---|---|---|"]
    for report in reports:
        for o in report.outcomes:
            rows.append(f"| {report.day} | `{o.meeting_id}` | {o.outcome} | {o.target or ''} | {o.detail.replace('|', '/')} |")
    return "\n".join(rows)


def build_meeting_notifications(partitions_def: DailyPartitionsDefinition) -> AssetsDefinition:
    """In the line's group (so meeting_line_job runs it) over the line's day partitions."""

    @asset(
        partitions_def=partitions_def,
        backfill_policy=BackfillPolicy.single_run(),
        group_name=GROUP,
        deps=[CONTRACT_EXPORTS],
        description="Each opted-in meeting's summary (decisions, action items, drafts and their QA status, export links) "
        "posted once to its Teams chat or Zoom Team Chat; edited when a later meeting changes it. Off by default.",
        kinds={"python", "teams", "zoom"},
        pool=SOURCES_POOL,
        # Throttling or an outage past the clients' own retry budget: the delivery records make a retry safe.
        retry_policy=RetryPolicy(max_retries=2, delay=120),
        check_specs=[
            AssetCheckSpec(
                "summaries_delivered",
                asset="meeting_notifications",
                description="Fails when an opted-in meeting's summary could not be posted (missing chat permission, "
                "no chat known, refused credentials); the other meetings are still posted.",
            )
        ],
    )
    @observed_stage
    def meeting_notifications(
        context: AssetExecutionContext,
        store: ProjectStoreResource,
        blob_storage: BlobStorageResource,
        notifications: NotificationsResource,
        teams: GraphSourceResource,
        zoom: ZoomSourceResource,
    ) -> MaterializeResult:
        settings = notifications.settings()
        posters = notifications.posters(teams, zoom)
        try:
            reports = [
                notify_day(
                    day, store.get_store(), blob_storage.get_blob_store(), settings, posters, run_id=context.run.run_id
                )
                for day in partition_days(context.partition_keys)
            ]
        finally:
            for poster in posters.values():
                poster.close()
        totals: dict[str, int] = {}
        for report in reports:
            for name, count in report.counts().items():
                totals[name] = totals.get(name, 0) + count
        problems = [problem for report in reports for problem in report.problems]
        for problem in problems:
            context.log.warning(f"summary not delivered: {problem}")
        metadata: dict = {name: MetadataValue.int(count) for name, count in totals.items()}
        metadata["partitions_in_run"] = MetadataValue.int(len(reports))
        metadata["mode"] = MetadataValue.text(_mode_text(notifications))
        if any(report.outcomes for report in reports):
            metadata["outcomes"] = MetadataValue.md(_outcome_table(reports))
        if any(report.retry_advised for report in reports):
            # Raised after the metadata is logged: the step retries and finds the delivered meetings unchanged.
            context.log.warning("a source was throttled or down past its retry budget; the step will be retried")
            raise RuntimeError(f"notifications: {len(problems)} summaries not delivered because a source was unavailable")
        check = AssetCheckResult(
            check_name="summaries_delivered",
            passed=not problems,
            severity=AssetCheckSeverity.ERROR,
            metadata={"failed": MetadataValue.int(len(problems)), **({"problems": MetadataValue.md("\n".join(f"- {p}" for p in problems))} if problems else {})},
        )
        return MaterializeResult(metadata=metadata, check_results=[check])

    return meeting_notifications


def _mode_text(notifications: NotificationsResource) -> str:
    if not notifications.teams_organizers and not notifications.zoom_organizers:
        return "off: no organizer has opted in (BRIDGE_NOTIFY_TEAMS_ORGANIZERS, BRIDGE_NOTIFY_ZOOM_ORGANIZERS)"
    return "dry run: written under exports/<day>/notifications/" if notifications.dry_run else "posting"
