"""The desk's own settings, read from the environment: who may sign in, and how requests are signed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.settings import split_list

USER_HEADER_VARIABLE = "BRIDGE_REVIEW_USER_HEADER"
REVIEWERS_VARIABLE = "BRIDGE_REVIEWERS"
LOCAL_USER_VARIABLE = "BRIDGE_REVIEW_LOCAL_USER"
SECRET_VARIABLE = "BRIDGE_REVIEW_SECRET"
ORIGIN_VARIABLE = "BRIDGE_REVIEW_ORIGIN"

# oauth2-proxy passes the signed-in user in this header (--pass-user-headers).
DEFAULT_USER_HEADER = "X-Forwarded-User"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_ORIGIN = re.compile(r"^https?://[^/\s]+$")


@dataclass(frozen=True)
class DeskSettings:
    """`reviewers` switches on header mode; `local_user` is a development sign-in, honoured on loopback only."""

    user_header: str = DEFAULT_USER_HEADER
    reviewers: tuple[str, ...] = ()
    local_user: str | None = None
    secret: str | None = None  # None: a random secret per process (tokens die with the process)
    public_origin: str | None = None  # the origin browsers see when a proxy rewrites the Host header
    bind_host: str = DEFAULT_HOST

    @property
    def header_mode(self) -> bool:
        return bool(self.reviewers)


def desk_settings(env: Mapping[str, str], *, bind_host: str = DEFAULT_HOST) -> DeskSettings:
    header = (env.get(USER_HEADER_VARIABLE) or DEFAULT_USER_HEADER).strip()
    if not _HEADER_NAME.match(header):
        raise ConfigurationError(f"{USER_HEADER_VARIABLE} must be an HTTP header name (letters, digits, '-')")
    origin = (env.get(ORIGIN_VARIABLE) or "").strip().rstrip("/") or None
    if origin is not None and not _ORIGIN.match(origin):
        raise ConfigurationError(f"{ORIGIN_VARIABLE} must be an origin such as https://desk.example.com")
    return DeskSettings(
        user_header=header,
        reviewers=split_list(env.get(REVIEWERS_VARIABLE)),
        local_user=(env.get(LOCAL_USER_VARIABLE) or "").strip() or None,
        secret=env.get(SECRET_VARIABLE) or None,
        public_origin=origin,
        bind_host=bind_host,
    )
