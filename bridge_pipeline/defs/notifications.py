"""Chat summaries as the last asset of the line, and the resource that says who opted in.

`meeting_notifications` posts each opted-in meeting's summary to its Teams meeting chat or to Zoom Team
Chat, once: delivery records make re-runs, retries and backfills edit or skip instead of posting again
(bridge_pipeline.notifications). With nothing configured it posts nothing and says why in its metadata.
The posters reuse the Teams and Zoom source resources' app credentials; the Teams service account's
refresh token is an `EnvVar`. No postponed annotations: Dagster reads the parameter types.
"""

import dataclasses
from collections.abc import Mapping
from typing import TypeVar

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    BackfillPolicy,
    ConfigurableResource,
    EnvVar,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    asset,
)

from bridge_pipeline.defs.assets import GROUP, contract_exports
from bridge_pipeline.defs.instrumentation import observed_stage
from bridge_pipeline.defs.partitions import daily_partitions, partition_days
from bridge_pipeline.defs.pools import SOURCES_POOL
from bridge_pipeline.defs.remote_sources import GraphSourceResource, ZoomSourceResource
from bridge_pipeline.defs.resources import BlobStorageResource, ProjectStoreResource
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.notifications import (
    ChatPoster,
    NotificationReport,
    NotificationSettings,
    SourceOptIn,
    TeamsChatClient,
    TeamsChatSettings,
    ZoomChatClient,
    ZoomChatSettings,
    notify_day,
)
from bridge_pipeline.notifications.environment import TEAMS_REFRESH_TOKEN, ZOOM_SENDER, notification_config
from bridge_pipeline.sources.http.secrets import Secret


ChatSettings = TypeVar("ChatSettings", TeamsChatSettings, ZoomChatSettings)


class NotificationsResource(ConfigurableResource):
    """Who gets summaries (organizer allow-lists per source; empty means off), dry run, links, Zoom channels."""

    teams_organizers: list[str] = []
    zoom_organizers: list[str] = []
    dry_run: bool = False
    export_link_base: str = ""
    zoom_channels: dict[str, str] = {}
    teams_refresh_token: str = ""
    zoom_sender: str = ""

    def settings(self) -> NotificationSettings:
        return NotificationSettings(
            teams=SourceOptIn(enabled=bool(self.teams_organizers), organizers=tuple(self.teams_organizers)),
            zoom=SourceOptIn(enabled=bool(self.zoom_organizers), organizers=tuple(self.zoom_organizers)),
            dry_run=self.dry_run,
            export_link_base=self.export_link_base or None,
            zoom_channels=dict(self.zoom_channels),
        )

    def posters(self, teams: GraphSourceResource, zoom: ZoomSourceResource) -> dict[str, ChatPoster]:
        """A poster per source that is opted in and configured; none in a dry run."""
        posters: dict[str, ChatPoster] = {}
        if self.dry_run:
            return posters
        if self.teams_organizers and teams.enabled:
            if not self.teams_refresh_token:
                raise ConfigurationError(
                    f"Teams summaries are switched on but {TEAMS_REFRESH_TOKEN} (the posting account's refresh token) is not set"
                )
            posters["teams"] = TeamsChatClient(
                _in_mode(teams.mode, TeamsChatSettings(
                    tenant_id=teams.account,
                    client_id=teams.client_id,
                    client_secret=Secret(teams.client_secret),
                    refresh_token=Secret(self.teams_refresh_token),
                    graph_base_url=teams.api_url,
                    login_base_url=teams.auth_url,
                    allowed_hosts=tuple(teams.allowed_hosts),
                )),
            )
        if self.zoom_organizers and zoom.enabled:
            if not self.zoom_sender:
                raise ConfigurationError(
                    f"Zoom summaries are switched on but {ZOOM_SENDER} (the account user they are sent as) is not set"
                )
            posters["zoom"] = ZoomChatClient(
                _in_mode(zoom.mode, ZoomChatSettings(
                    account_id=zoom.account,
                    client_id=zoom.client_id,
                    client_secret=Secret(zoom.client_secret),
                    sender_user_id=self.zoom_sender,
                    api_base_url=zoom.api_url,
                    oauth_base_url=zoom.auth_url,
                    allowed_hosts=tuple(zoom.allowed_hosts),
                )),
            )
        return posters


def _in_mode(mode: str, settings: ChatSettings) -> ChatSettings:
    """The poster's own HTTP settings (its gentle chat rate), in the mode of the source it posts for."""
    return dataclasses.replace(settings, http=dataclasses.replace(settings.http, mode=mode))


def notifications_resource(env: Mapping[str, str]) -> NotificationsResource:
    config = notification_config(env)
    return NotificationsResource(
        teams_organizers=list(config.teams_organizers),
        zoom_organizers=list(config.zoom_organizers),
        dry_run=config.dry_run,
        export_link_base=config.export_link_base,
        zoom_channels=config.zoom_channels,
        teams_refresh_token=EnvVar(TEAMS_REFRESH_TOKEN) if config.teams_refresh_token_set else "",
        zoom_sender=config.zoom_sender,
    )


def _outcome_table(reports: list[NotificationReport]) -> str:
    rows = ["| day | meeting | outcome | target | detail |", "|---|---|---|---|---|"]
    for report in reports:
        for o in report.outcomes:
            rows.append(f"| {report.day} | `{o.meeting_id}` | {o.outcome} | {o.target or ''} | {o.detail.replace('|', '/')} |")
    return "\n".join(rows)


@asset(
    partitions_def=daily_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    group_name=GROUP,
    deps=[contract_exports],
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
            notify_day(day, store.get_store(), blob_storage.get_blob_store(), settings, posters)
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


def _mode_text(notifications: NotificationsResource) -> str:
    if not notifications.teams_organizers and not notifications.zoom_organizers:
        return "off: no organizer has opted in (BRIDGE_NOTIFY_TEAMS_ORGANIZERS, BRIDGE_NOTIFY_ZOOM_ORGANIZERS)"
    return "dry run: written under exports/<day>/notifications/" if notifications.dry_run else "posting"
