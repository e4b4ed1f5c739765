"""Zoom (cloud recordings) as a meeting source, read through the client of `bridge_pipeline.apis.zoom`."""

from bridge_pipeline.sources.zoom.source import ZoomSource

__all__ = ["ZoomSource"]
