"""The environment variables that switch on and point the Teams and Zoom sources.

A source is on when its three credential variables are set (tenant or account id, client id, client
secret); the rest have production defaults. The names live here once, so the Dagster resources, the
sensors and `bridge-pipeline doctor` read the same variables. Secrets are only ever named here: the
resources read them through Dagster's EnvVar at run time, never at definition time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bridge_pipeline.apis.graph.settings import GRAPH_BASE_URL, LOGIN_BASE_URL, GraphSettings
from bridge_pipeline.apis.zoom.settings import ZOOM_API_BASE_URL, ZOOM_OAUTH_BASE_URL, ZoomSettings
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.settings import HttpSettings
from bridge_pipeline.settings import split_list

MODE_VARIABLE = "BRIDGE_SOURCES_MODE"
POLL_INTERVAL_VARIABLE = "BRIDGE_POLL_INTERVAL_SECONDS"
DEFAULT_POLL_INTERVAL_S = 300


@dataclass(frozen=True)
class SourceVariables:
    """The variable names of one remote source."""

    source: str
    account: str  # Graph tenant id or Zoom account id
    client_id: str
    client_secret: str
    scopes: str  # comma-separated organizer ids (Teams) or user ids (Zoom)
    api_url: str
    auth_url: str
    allowed_hosts: str
    requests_per_second: str
    lookback_hours: str

    @property
    def credentials(self) -> tuple[str, str, str]:
        return (self.account, self.client_id, self.client_secret)


GRAPH_VARIABLES = SourceVariables(
    source="teams",
    account="BRIDGE_GRAPH_TENANT_ID",
    client_id="BRIDGE_GRAPH_CLIENT_ID",
    client_secret="BRIDGE_GRAPH_CLIENT_SECRET",
    scopes="BRIDGE_GRAPH_ORGANIZER_IDS",
    api_url="BRIDGE_GRAPH_BASE_URL",
    auth_url="BRIDGE_GRAPH_LOGIN_URL",
    allowed_hosts="BRIDGE_GRAPH_ALLOWED_HOSTS",
    requests_per_second="BRIDGE_GRAPH_REQUESTS_PER_SECOND",
    lookback_hours="BRIDGE_GRAPH_LOOKBACK_HOURS",
)
ZOOM_VARIABLES = SourceVariables(
    source="zoom",
    account="BRIDGE_ZOOM_ACCOUNT_ID",
    client_id="BRIDGE_ZOOM_CLIENT_ID",
    client_secret="BRIDGE_ZOOM_CLIENT_SECRET",
    scopes="BRIDGE_ZOOM_USER_IDS",
    api_url="BRIDGE_ZOOM_API_URL",
    auth_url="BRIDGE_ZOOM_OAUTH_URL",
    allowed_hosts="BRIDGE_ZOOM_ALLOWED_HOSTS",
    requests_per_second="BRIDGE_ZOOM_REQUESTS_PER_SECOND",
    lookback_hours="BRIDGE_ZOOM_LOOKBACK_HOURS",
)


@dataclass(frozen=True)
class RemoteSourceConfig:
    """Everything a remote source needs except its secret; safe to show in the UI."""

    source: str
    account: str
    client_id: str
    scopes: tuple[str, ...]
    api_url: str
    auth_url: str
    allowed_hosts: tuple[str, ...]
    mode: str
    requests_per_second: float
    lookback_hours: float


_DEFAULTS = {
    "teams": (GRAPH_BASE_URL, LOGIN_BASE_URL, ("graph.microsoft.com",), 10.0, 24.0),
    "zoom": (ZOOM_API_BASE_URL, ZOOM_OAUTH_BASE_URL, ("zoom.us", "*.zoom.us"), 10.0, 48.0),
}


def is_configured(variables: SourceVariables, env: Mapping[str, str]) -> bool:
    return all((env.get(name) or "").strip() for name in variables.credentials)


def sources_mode(env: Mapping[str, str]) -> str:
    mode = (env.get(MODE_VARIABLE) or "production").strip().lower()
    if mode not in ("production", "sandbox"):
        raise ConfigurationError(f"{MODE_VARIABLE}={mode!r} is not 'production' or 'sandbox'")
    return mode


def poll_interval_seconds(env: Mapping[str, str]) -> int:
    text = (env.get(POLL_INTERVAL_VARIABLE) or "").strip()
    if not text:
        return DEFAULT_POLL_INTERVAL_S
    try:
        seconds = int(text)
    except ValueError:
        raise ConfigurationError(f"{POLL_INTERVAL_VARIABLE}={text!r} is not a whole number of seconds") from None
    if seconds < 1:
        raise ConfigurationError(f"{POLL_INTERVAL_VARIABLE} must be at least 1, got {seconds}")
    return seconds


def remote_source_config(variables: SourceVariables, env: Mapping[str, str]) -> RemoteSourceConfig | None:
    """The source's settings from the environment, or None when its credentials are not all set."""
    if not is_configured(variables, env):
        return None
    api_url, auth_url, hosts, rate, lookback = _DEFAULTS[variables.source]
    return RemoteSourceConfig(
        source=variables.source,
        account=env[variables.account].strip(),
        client_id=env[variables.client_id].strip(),
        scopes=split_list(env.get(variables.scopes)),
        api_url=(env.get(variables.api_url) or api_url).strip(),
        auth_url=(env.get(variables.auth_url) or auth_url).strip(),
        allowed_hosts=split_list(env.get(variables.allowed_hosts)) or hosts,
        mode=sources_mode(env),
        requests_per_second=_positive_number(env, variables.requests_per_second, rate),
        lookback_hours=_positive_number(env, variables.lookback_hours, lookback),
    )


def graph_settings(config: RemoteSourceConfig, client_secret: Secret) -> GraphSettings:
    lookback = dt.timedelta(hours=config.lookback_hours)
    return GraphSettings(
        tenant_id=config.account,
        client_id=config.client_id,
        client_secret=client_secret,
        organizer_ids=config.scopes,
        graph_base_url=config.api_url,
        login_base_url=config.auth_url,
        allowed_hosts=config.allowed_hosts,
        http=HttpSettings(mode=config.mode, requests_per_second=config.requests_per_second),  # type: ignore[arg-type]
        lookback=lookback,
        max_pending_age=lookback,
    )


def zoom_settings(config: RemoteSourceConfig, client_secret: Secret, token_store_url: str | None = None) -> ZoomSettings:
    """`token_store_url` (the project database) shares the account's token across the deployment's processes."""
    lookback = dt.timedelta(hours=config.lookback_hours)
    return ZoomSettings(
        account_id=config.account,
        client_id=config.client_id,
        client_secret=client_secret,
        user_ids=config.scopes,
        api_base_url=config.api_url,
        oauth_base_url=config.auth_url,
        allowed_hosts=config.allowed_hosts,
        http=HttpSettings(mode=config.mode, requests_per_second=config.requests_per_second),  # type: ignore[arg-type]
        lookback=lookback,
        max_pending_age=lookback,
        token_store_url=token_store_url,
    )



def zoom_settings_from_env(env: Mapping[str, str]) -> ZoomSettings | None:
    config = remote_source_config(ZOOM_VARIABLES, env)
    return None if config is None else zoom_settings(config, Secret(env[ZOOM_VARIABLES.client_secret]))




def _positive_number(env: Mapping[str, str], name: str, default: float) -> float:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ConfigurationError(f"{name}={text!r} is not a number") from None
    if value <= 0:
        raise ConfigurationError(f"{name} must be positive, got {value:g}")
    return value
