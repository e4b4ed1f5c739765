"""Microsoft Graph: the Teams source reads through it (app-only), the chat poster writes through it (delegated)."""

from bridge_pipeline.apis.graph.client import GraphClient
from bridge_pipeline.apis.graph.settings import GraphSettings

__all__ = ["GraphClient", "GraphSettings"]
