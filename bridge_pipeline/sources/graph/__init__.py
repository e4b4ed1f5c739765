"""Microsoft Teams (Microsoft Graph) as a meeting source."""

from bridge_pipeline.sources.graph.client import GraphClient
from bridge_pipeline.sources.graph.settings import GraphSettings
from bridge_pipeline.sources.graph.source import GraphSource

__all__ = ["GraphClient", "GraphSettings", "GraphSource"]
