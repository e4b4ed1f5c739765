"""Microsoft Teams (Microsoft Graph) as a meeting source."""

from bridge_pipeline.sources.teams.graph_client import GraphClient
from bridge_pipeline.sources.teams.settings import GraphSettings
from bridge_pipeline.sources.teams.source import GraphSource

__all__ = ["GraphClient", "GraphSettings", "GraphSource"]
