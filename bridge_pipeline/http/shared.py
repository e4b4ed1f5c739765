"""Builds an `ApiClient` whose token cache and rate limiter are shared by every client of the same
tenant or account in this process (Zoom revokes a token when another is issued; both APIs count
requests per tenant/account). Given a `token_store_url`, the token is shared by every process using
that database instead (bridge_pipeline.storage.access_tokens): what Zoom needs across the daemon's
sensor and run workers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import httpx

from bridge_pipeline.http.api_client import ApiClient, ResponseRules
from bridge_pipeline.http.rate_limit import TokenBucket
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.settings import HttpSettings
from bridge_pipeline.http.tokens import SharedByKey, TokenCache, TokenSource
from bridge_pipeline.http.url_guard import UrlGuard
from bridge_pipeline.naming import short_digest
from bridge_pipeline.observability.redaction import Redactor

SHARED_TOKEN_CACHES: SharedByKey[TokenCache] = SharedByKey()
SHARED_RATE_LIMITERS: SharedByKey[TokenBucket] = SharedByKey()


def build_api_client(
    *,
    source: str,
    settings: HttpSettings,
    token_url: str,
    account: str,
    client_id: str,
    client_secret: Secret,
    endpoint_urls: Iterable[str],
    allowed_hosts: Iterable[str],
    rules: ResponseRules,
    redacted: Iterable[str] = (),
    http: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    token_store_url: str | None = None,
) -> ApiClient:
    """An ApiClient for one tenant/account; the hosts of `endpoint_urls` join the allow-list.

    Every endpoint URL is checked by the guard right away, so a production client pointed at an
    http or loopback URL fails at construction, not at its first request. `token_store_url` (a
    project database URL) shares the token across processes; None keeps it in this process.
    """
    endpoint_urls = (token_url, *endpoint_urls)
    hosts = [httpx.URL(url).host for url in endpoint_urls]
    guard = UrlGuard(source=source, allowed_hosts=tuple(allowed_hosts), mode=settings.mode).with_hosts(hosts)
    for url in endpoint_urls:
        guard.check(url)

    if token_store_url:
        token_cache = _database_token_cache(
            token_store_url, source, token_url, account, client_id, client_secret, settings.token_refresh_margin_s
        )
    else:
        # The secret's digest is part of the key so a rotated secret gets a fresh token, not the old one.
        credential_key = (source, token_url, account, client_id, short_digest(client_secret.reveal(), 16))
        token_cache = SHARED_TOKEN_CACHES.get(
            credential_key, lambda: TokenCache(refresh_margin_s=settings.token_refresh_margin_s)
        )
    limiter = SHARED_RATE_LIMITERS.get(
        (source, token_url, account, settings.requests_per_second, settings.burst),
        lambda: TokenBucket(settings.requests_per_second, settings.burst),
    )
    redactor = Redactor([client_secret, *redacted])
    return ApiClient(
        source=source,
        settings=settings,
        guard=guard,
        rules=rules,
        token_cache=token_cache,
        limiter=limiter,
        redactor=redactor,
        http=http,
        sleep=sleep,
    )


def _database_token_cache(
    database_url: str,
    source: str,
    token_url: str,
    account: str,
    client_id: str,
    client_secret: Secret,
    refresh_margin_s: float,
) -> TokenSource:
    # Imported here: clients that keep their token in the process need no database code.
    from bridge_pipeline.storage.access_tokens import TokenCredential, credential_key, database_token_cache

    key = credential_key(source, token_url, account, client_id, client_secret)
    credential = TokenCredential(source=source, account=account, key=key, client_secret=client_secret)
    return database_token_cache(database_url, credential, refresh_margin_s=refresh_margin_s)
