"""`bridge-pipeline review-desk`: the desk on the store and blob storage the pipeline uses, served by uvicorn."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from starlette.applications import Starlette

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.review_desk.app import create_app
from bridge_pipeline.review_desk.config import (
    LOCAL_USER_VARIABLE,
    REVIEWERS_VARIABLE,
    DeskSettings,
    desk_settings,
)
from bridge_pipeline.storage.backends import blob_store_for
from bridge_pipeline.review_desk.identity import is_loopback
from bridge_pipeline.secret_env import load_secrets_into_environment
from bridge_pipeline.settings import load_settings
from bridge_pipeline.storage.store import PipelineStore


def check_binding(settings: DeskSettings) -> list[str]:
    """Refuses set-ups where the desk would be open or unusable; returns warnings for the operator."""
    if not is_loopback(settings.bind_host) and not settings.header_mode:
        raise ConfigurationError(
            f"refusing to serve the review desk on {settings.bind_host}: a non-loopback address needs "
            f"{REVIEWERS_VARIABLE} and a signing-in proxy that sets {settings.user_header}"
        )
    if not settings.header_mode and not settings.local_user:
        raise ConfigurationError(
            f"nobody could sign in: set {REVIEWERS_VARIABLE} (behind a signing-in proxy) or, for development, "
            f"{LOCAL_USER_VARIABLE}"
        )
    warnings = []
    if settings.local_user and not is_loopback(settings.bind_host):
        warnings.append(f"{LOCAL_USER_VARIABLE} is ignored: the desk is not bound to a loopback address")
    elif settings.local_user and settings.header_mode:
        warnings.append(
            f"{LOCAL_USER_VARIABLE} is set beside {REVIEWERS_VARIABLE}: requests on this host without the header "
            f"act as {settings.local_user}; unset it outside development"
        )
    if settings.secret is None:
        warnings.append("BRIDGE_REVIEW_SECRET is not set: form tokens are valid until this process stops")
    return warnings


def build_app(env: Mapping[str, str], *, host: str) -> Starlette:
    settings = load_settings(env)
    desk = desk_settings(env, bind_host=host)
    for warning in check_binding(desk):
        print(f"review desk: {warning}", file=sys.stderr)
    store = PipelineStore(settings.database_url)
    store.migrate()
    return create_app(store, blob_store_for(settings), desk, timezone=settings.timezone)


def serve(host: str, port: int) -> int:
    import uvicorn

    try:
        # BRIDGE_SECRETS_ID may supply BRIDGE_DATABASE_URL and BRIDGE_REVIEW_SECRET, as for the pipeline.
        load_secrets_into_environment(os.environ)
        app = build_app(os.environ, host=host)
    except ConfigurationError as error:
        print(f"review desk: {error}", file=sys.stderr)
        return 2
    print(f"review desk on http://{host}:{port}/", file=sys.stderr)
    # proxy_headers: behind the proxy on loopback, X-Forwarded-Proto gives the scheme the browser used.
    uvicorn.run(app, host=host, port=port, proxy_headers=True, server_header=False, log_level="info")
    return 0
