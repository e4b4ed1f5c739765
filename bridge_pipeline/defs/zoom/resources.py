"""Zoom cloud recordings as a Dagster resource; its fields are shared with Teams'."""

from __future__ import annotations

from bridge_pipeline.defs.polling import RemoteSourceResource
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.sources.environment import zoom_settings
from bridge_pipeline.sources.zoom import ZoomSource


class ZoomSourceResource(RemoteSourceResource):
    """Zoom cloud recordings of the listed users (all active users when the list is empty)."""

    # The project database, where the sensor and every run share the account's one live token (Zoom
    # revokes a token when it issues another); empty keeps a token per process.
    token_store_url: str = ""

    def get_source(self) -> ZoomSource | None:
        if not self.enabled:
            return None
        settings = zoom_settings(self._config("zoom"), Secret(self.client_secret), self.token_store_url or None)
        return ZoomSource(settings)
