"""The environment variables that point the Teams and Zoom sources at running fakes (sandbox mode)."""

from __future__ import annotations

from bridge_pipeline.sandbox.graph_fake import FakeGraphServer
from bridge_pipeline.sandbox.zoom_fake import FakeZoomServer
from bridge_pipeline.sources.environment import GRAPH_VARIABLES, MODE_VARIABLE, ZOOM_VARIABLES


def sources_env(
    graph: FakeGraphServer | None,
    zoom: FakeZoomServer | None,
    *,
    lookback_hours: float | None = None,
    requests_per_second: float | None = None,
) -> dict[str, str]:
    """Variables for `bridge_pipeline.sources.environment`; the secrets are the fakes' sandbox ones."""
    env = {MODE_VARIABLE: "sandbox"}
    if graph is not None:
        env.update({
            GRAPH_VARIABLES.account: graph.tenant_id,
            GRAPH_VARIABLES.client_id: graph.client_id,
            GRAPH_VARIABLES.client_secret: graph.client_secret,
            GRAPH_VARIABLES.scopes: ",".join(sorted(graph.organizer_upns)),
            GRAPH_VARIABLES.api_url: graph.graph_base_url,
            GRAPH_VARIABLES.auth_url: graph.login_base_url,
            GRAPH_VARIABLES.allowed_hosts: "127.0.0.1",
        })
    if zoom is not None:
        env.update({
            ZOOM_VARIABLES.account: zoom.account_id,
            ZOOM_VARIABLES.client_id: zoom.client_id,
            ZOOM_VARIABLES.client_secret: zoom.client_secret,
            ZOOM_VARIABLES.scopes: ",".join(sorted(zoom.users)),
            ZOOM_VARIABLES.api_url: zoom.api_base_url,
            ZOOM_VARIABLES.auth_url: zoom.base_url,
            ZOOM_VARIABLES.allowed_hosts: "127.0.0.1",
        })
    for variables in (GRAPH_VARIABLES, ZOOM_VARIABLES):
        if variables.account in env:
            if lookback_hours is not None:
                env[variables.lookback_hours] = f"{lookback_hours:g}"
            if requests_per_second is not None:
                env[variables.requests_per_second] = f"{requests_per_second:g}"
    return env
