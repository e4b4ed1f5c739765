"""Microsoft Graph's addresses, used by the Teams chat poster too, and the Teams source's Graph settings (app-only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.settings import HttpSettings

GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
LOGIN_BASE_URL = "https://login.microsoftonline.com"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"


@dataclass(frozen=True)
class GraphSettings:
    """Where and as whom the Teams source reads, and how hard it may push.

    `organizer_ids` are the Entra object ids of the users whose meetings are read: Graph has no
    tenant-wide transcript listing, and each of them needs the application access policy.
    `lookback` is how far back each sensor poll re-lists (transcripts show up after their meeting);
    `max_pending_age` how long a listed transcript whose content answers 404 is waited for.
    """

    tenant_id: str
    client_id: str
    client_secret: Secret = field(repr=False)
    organizer_ids: tuple[str, ...]
    graph_base_url: str = GRAPH_BASE_URL
    login_base_url: str = LOGIN_BASE_URL
    allowed_hosts: tuple[str, ...] = ("graph.microsoft.com",)
    http: HttpSettings = field(default_factory=lambda: HttpSettings(requests_per_second=10.0))
    include_recordings: bool = True
    probe_readiness: bool = True
    page_size: int | None = None
    lookback: dt.timedelta = dt.timedelta(hours=24)
    max_pending_age: dt.timedelta = dt.timedelta(hours=24)

    def __post_init__(self) -> None:
        for name in ("tenant_id", "client_id"):
            if not str(getattr(self, name)).strip():
                raise ConfigurationError(f"Teams source: {name} is empty")
        if not isinstance(self.client_secret, Secret):
            raise ConfigurationError("Teams source: client_secret must be wrapped in Secret(...)")
        if not self.organizer_ids or any(not organizer.strip() for organizer in self.organizer_ids):
            raise ConfigurationError("Teams source: organizer_ids must list at least one organizer object id")
        if self.page_size is not None and self.page_size < 1:
            raise ConfigurationError(f"Teams source: page_size must be positive, got {self.page_size}")

    @property
    def token_url(self) -> str:
        return f"{self.login_base_url.rstrip('/')}/{self.tenant_id}/oauth2/v2.0/token"
