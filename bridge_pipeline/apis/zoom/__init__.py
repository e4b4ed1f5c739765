"""The Zoom API (Server-to-Server OAuth): what the Zoom source reads and the Zoom Team Chat poster writes through."""

from bridge_pipeline.apis.zoom.client import ZoomClient
from bridge_pipeline.apis.zoom.settings import ZoomSettings

__all__ = ["ZoomClient", "ZoomSettings"]
