"""Microsoft Teams as a meeting source, read through the Graph client of `bridge_pipeline.apis.graph`."""

from bridge_pipeline.sources.teams.source import GraphSource

__all__ = ["GraphSource"]
