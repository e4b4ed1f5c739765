"""Zoom cloud recordings as a Dagster resource; its fields are shared with Teams'."""

from __future__ import annotations

from bridge_pipeline.defs.polling import RemoteSourceResource
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.sources.environment import zoom_settings
from bridge_pipeline.sources.zoom import ZoomSource


class ZoomSourceResource(RemoteSourceResource):
    """Zoom cloud recordings of the listed users (all active users when the list is empty)."""

    def get_source(self) -> ZoomSource | None:
        if not self.enabled:
            return None
        return ZoomSource(zoom_settings(self._config("zoom"), Secret(self.client_secret)))
