"""Microsoft Teams and Zoom as Dagster resources.

The fake and the real service differ only in these fields (base URLs, credentials, mode). A source
whose credentials are not configured stays in the definitions, switched off (`enabled=False`), so
assets and sensors can always ask for it and simply skip it. The client secret is an `EnvVar`: Dagster
stores the variable's name, not its value, and resolves it only in the process that runs.
"""

from __future__ import annotations

from collections.abc import Mapping

from dagster import ConfigurableResource, EnvVar

from bridge_pipeline.sources.environment import (
    GRAPH_VARIABLES,
    ZOOM_VARIABLES,
    RemoteSourceConfig,
    SourceVariables,
    graph_settings,
    remote_source_config,
    zoom_settings,
)
from bridge_pipeline.sources.graph import GraphSource
from bridge_pipeline.sources.http.secrets import Secret
from bridge_pipeline.sources.zoom import ZoomSource


class _RemoteSourceResource(ConfigurableResource):
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


class GraphSourceResource(_RemoteSourceResource):
    """Teams meetings of the listed organizers (Entra object ids), read through Microsoft Graph app-only."""

    def get_source(self) -> GraphSource | None:
        if not self.enabled:
            return None
        return GraphSource(graph_settings(self._config("teams"), Secret(self.client_secret)))


class ZoomSourceResource(_RemoteSourceResource):
    """Zoom cloud recordings of the listed users (all active users when the list is empty)."""

    def get_source(self) -> ZoomSource | None:
        if not self.enabled:
            return None
        return ZoomSource(zoom_settings(self._config("zoom"), Secret(self.client_secret)))


def _fields(variables: SourceVariables, env: Mapping[str, str]) -> dict:
    config = remote_source_config(variables, env)
    if config is None:
        return {}
    return dict(
        enabled=True,
        account=config.account,
        client_id=config.client_id,
        client_secret=EnvVar(variables.client_secret),
        scopes=list(config.scopes),
        api_url=config.api_url,
        auth_url=config.auth_url,
        allowed_hosts=list(config.allowed_hosts),
        mode=config.mode,
        requests_per_second=config.requests_per_second,
        lookback_hours=config.lookback_hours,
    )


def graph_source_resource(env: Mapping[str, str]) -> GraphSourceResource:
    return GraphSourceResource(**_fields(GRAPH_VARIABLES, env))


def zoom_source_resource(env: Mapping[str, str]) -> ZoomSourceResource:
    return ZoomSourceResource(**_fields(ZOOM_VARIABLES, env))
