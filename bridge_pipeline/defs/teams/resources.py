"""Microsoft Teams (through Microsoft Graph) as a Dagster resource; its fields are shared with Zoom's."""

from __future__ import annotations

from bridge_pipeline.defs.polling import RemoteSourceResource
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.sources.environment import graph_settings
from bridge_pipeline.sources.teams import GraphSource


class GraphSourceResource(RemoteSourceResource):
    """Teams meetings of the listed organizers (Entra object ids), read through Microsoft Graph app-only."""

    def get_source(self) -> GraphSource | None:
        if not self.enabled:
            return None
        return GraphSource(graph_settings(self._config("teams"), Secret(self.client_secret)))
