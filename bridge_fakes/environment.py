"""The environment variables that point the Teams and Zoom sources at running fakes (sandbox mode)."""

from __future__ import annotations

from bridge_fakes.teams_fake import FakeGraphServer
from bridge_fakes.zoom_fake import FakeZoomServer
from bridge_pipeline.notifications.environment import TEAMS_ORGANIZERS, TEAMS_REFRESH_TOKEN, ZOOM_ORGANIZERS, ZOOM_SENDER
from bridge_pipeline.sources.environment import GRAPH_VARIABLES, MODE_VARIABLE, ZOOM_VARIABLES

# The accounts summaries are posted as, in the fakes (sandbox values, not real ones).
SANDBOX_TEAMS_POSTER = ("3d2f6a1e-9b7c-4e55-8a10-5c6d7e8f9a0b", "bridge-notes@brightwater.example")
SANDBOX_ZOOM_SENDER = ("Bn7Qx2LrT0aWm3Hs9KcVdA", "bridge-notes@northwind.example")


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


def notifications_env(graph: FakeGraphServer, zoom: FakeZoomServer) -> dict[str, str]:
    """Seeds the posting accounts in the fakes and opts every organizer in; call after the meetings are seeded
    (the Teams account joins the meeting chats that exist by then, and those of meetings added later)."""
    refresh_token = graph.add_service_account(*SANDBOX_TEAMS_POSTER)
    zoom.add_user(*SANDBOX_ZOOM_SENDER)
    return {
        TEAMS_ORGANIZERS: "*",
        TEAMS_REFRESH_TOKEN: refresh_token,
        ZOOM_ORGANIZERS: "*",
        ZOOM_SENDER: SANDBOX_ZOOM_SENDER[0],
    }
