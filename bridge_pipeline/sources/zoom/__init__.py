"""Zoom (cloud recordings, Server-to-Server OAuth) as a meeting source."""

from bridge_pipeline.sources.zoom.client import ZoomClient
from bridge_pipeline.sources.zoom.settings import ZoomSettings
from bridge_pipeline.sources.zoom.source import ZoomSource

__all__ = ["ZoomClient", "ZoomSettings", "ZoomSource"]
