"""Who gets chat summaries, as a Dagster resource, and the chat clients it builds to post them.

The posters reuse the Teams and Zoom source resources' app credentials; the Teams service account's
refresh token is an `EnvVar`. Which organizers opted in is chosen from the environment in
bridge_pipeline.defs.resources_for_environment.
No postponed annotations: Dagster reads the field types to build the resource's config.
"""

import dataclasses
from typing import TypeVar

from dagster import ConfigurableResource

from bridge_pipeline.defs.teams.resources import GraphSourceResource
from bridge_pipeline.defs.zoom.resources import ZoomSourceResource
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.notifications import (
    ChatPoster,
    NotificationSettings,
    SourceOptIn,
    TeamsChatClient,
    TeamsChatSettings,
    ZoomChatClient,
    ZoomChatSettings,
)
from bridge_pipeline.notifications.environment import TEAMS_REFRESH_TOKEN, ZOOM_SENDER

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
                    token_store_url=zoom.token_store_url or None,  # the sensor's and runs' shared token
                )),
            )
        return posters


def _in_mode(mode: str, settings: ChatSettings) -> ChatSettings:
    """The poster's own HTTP settings (its gentle chat rate), in the mode of the source it posts for."""
    return dataclasses.replace(settings, http=dataclasses.replace(settings.http, mode=mode))
