"""Zoom's addresses, used by the Team Chat poster too, and the Zoom source's client settings (Server-to-Server app)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.settings import HttpSettings

ZOOM_API_BASE_URL = "https://api.zoom.us/v2"
ZOOM_OAUTH_BASE_URL = "https://zoom.us"
MAX_PAGE_SIZE = 300


@dataclass(frozen=True)
class ZoomSettings:
    """Where and as whom the Zoom source reads, and how hard it may push.

    `user_ids` (ids or e-mail addresses) whose cloud recordings are read; empty means every active
    user of the account. `http.requests_per_second` should be the account's "Medium" rate
    (listing recordings and participants): Free 2, Pro 20, Business and up 60 per second, shared by
    every app of the account. `lookback` must cover Zoom's processing delay (up to 24 hours).
    `token_store_url`, the project database, shares the account's one live token with every process of
    the deployment (Zoom revokes a token when it issues another); None keeps a token per process, for
    tools that run alone.
    """

    account_id: str
    client_id: str
    client_secret: Secret = field(repr=False)
    user_ids: tuple[str, ...] = ()
    api_base_url: str = ZOOM_API_BASE_URL
    oauth_base_url: str = ZOOM_OAUTH_BASE_URL
    allowed_hosts: tuple[str, ...] = ("zoom.us", "*.zoom.us")
    http: HttpSettings = field(default_factory=lambda: HttpSettings(requests_per_second=10.0))
    page_size: int = MAX_PAGE_SIZE
    download_chat: bool = True
    fetch_participants: bool = True
    lookback: dt.timedelta = dt.timedelta(hours=48)
    max_pending_age: dt.timedelta = dt.timedelta(hours=48)
    token_store_url: str | None = field(default=None, repr=False)  # may hold the database password

    def __post_init__(self) -> None:
        for name in ("account_id", "client_id"):
            if not str(getattr(self, name)).strip():
                raise ConfigurationError(f"Zoom source: {name} is empty")
        if not isinstance(self.client_secret, Secret):
            raise ConfigurationError("Zoom source: client_secret must be wrapped in Secret(...)")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ConfigurationError(f"Zoom source: page_size must be 1..{MAX_PAGE_SIZE}, got {self.page_size}")
        if any(not user.strip() for user in self.user_ids):
            raise ConfigurationError("Zoom source: user_ids contains an empty entry")

    @property
    def token_url(self) -> str:
        return f"{self.oauth_base_url.rstrip('/')}/oauth/token"
