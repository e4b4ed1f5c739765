"""Posts and edits meeting summaries in Teams meeting chats through Microsoft Graph, as a service account.

Why a delegated token: Graph refuses chat posts made with application (client-credentials) tokens,
which it allows only for importing old messages. So summaries are sent as a dedicated service
account (e.g. "Bridge notes"), whose delegated token the pipeline gets without anyone present:
- the account signs in once, outside the pipeline (authorization code flow with `offline_access`),
  and its refresh token is configured as a `Secret`;
- each process redeems it at the token endpoint (`grant_type=refresh_token`) for a one-hour access
  token; Entra may answer with a new refresh token, which then replaces the old one in memory for
  the rest of the process. The configured token stays valid on its own (it is not revoked by the
  rotation), so a restart works too; store a fresh one before Entra's inactivity limit runs out.
- permissions (delegated, admin-consented): `ChatMessage.Send` to post; `Chat.ReadWrite` to edit an
  earlier summary and to list a chat's recent messages (to find a post whose answer was lost).
  Without `Chat.ReadWrite` posting still works; changed summaries then arrive as follow-ups.
- the account must be a member of each meeting chat (invite it to the meetings).
The token is requested with the `.default` scope, so it carries whatever was consented; a missing
permission shows up as a 403 on the call that needs it, reported naming that permission.
Requests go through the shared `ApiClient` (rate limit, token cache and refetch on 401, retries of
reads and edits, URL guard, redaction); posts go through `single_post` so they are never doubled.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from bridge_pipeline.apis.graph.client import request_entra_token
from bridge_pipeline.apis.graph.rules import graph_error
from bridge_pipeline.apis.graph.settings import GRAPH_BASE_URL, LOGIN_BASE_URL
from bridge_pipeline.apis.timestamps import parse_api_datetime
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.http.api_client import ApiClientUser, Call, default_error_for, parse_json_with
from bridge_pipeline.http.errors import AuthFailedError, SourceError, UnexpectedResponseError
from bridge_pipeline.http.pagination import PageWalk
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.settings import HttpSettings
from bridge_pipeline.http.shared import build_api_client
from bridge_pipeline.http.tokens import IssuedToken, issued_token_from
from bridge_pipeline.naming import short_digest
from bridge_pipeline.notifications.chat import ChatSource, ChatTarget, OutgoingMessage
from bridge_pipeline.notifications.errors import MissingChatPermissionError
from bridge_pipeline.notifications.single_post import SINGLE_ATTEMPT, post_once

SOURCE = "teams"
CHAT_TOKEN_SCOPE = "https://graph.microsoft.com/.default offline_access"
# The permission each chat call needs, named in the error when Graph answers 403.
PERMISSION_FOR_METHOD = {"POST": "ChatMessage.Send", "PATCH": "Chat.ReadWrite", "GET": "ChatMessage.Read"}
_PAGE_SIZE = 50
# Message times come from Graph's clock; allow for some skew against ours when looking back.
_CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class TeamsChatSettings:
    """The app registration and service account that post summaries; see the module docstring."""

    tenant_id: str
    client_id: str
    client_secret: Secret = field(repr=False)
    refresh_token: Secret = field(repr=False)
    graph_base_url: str = GRAPH_BASE_URL
    login_base_url: str = LOGIN_BASE_URL
    allowed_hosts: tuple[str, ...] = ("graph.microsoft.com",)
    # Graph throttles chat posts hard (a few per second per app and tenant); stay well below.
    http: HttpSettings = field(default_factory=lambda: HttpSettings(requests_per_second=2.0, burst=2))
    scope: str = CHAT_TOKEN_SCOPE
    marker_search_pages: int = 2

    def __post_init__(self) -> None:
        for name in ("tenant_id", "client_id"):
            if not str(getattr(self, name)).strip():
                raise ConfigurationError(f"Teams notifications: {name} is empty")
        for name in ("client_secret", "refresh_token"):
            if not isinstance(getattr(self, name), Secret):
                raise ConfigurationError(f"Teams notifications: {name} must be wrapped in Secret(...)")
        if "offline_access" not in self.scope.split():
            raise ConfigurationError("Teams notifications: the token scope must include offline_access")

    @property
    def token_url(self) -> str:
        return f"{self.login_base_url.rstrip('/')}/{self.tenant_id}/oauth2/v2.0/token"


def _is_app_only_refusal(message: str) -> bool:
    return "application-only context" in message


class TeamsChatRules:
    """How Graph refuses chat calls: expired tokens are refetched, missing permissions are configuration errors."""

    def token_rejected(self, response: httpx.Response, call: Call) -> bool:
        # A 401 for an app-only token is not cured by a new token of the same kind.
        return response.status_code == 401 and not _is_app_only_refusal(graph_error(response)[2])

    def error_for(self, response: httpx.Response, call: Call) -> SourceError:
        code, inner_code, message = graph_error(response)
        status = response.status_code
        if call.kind == "token" and code == "invalid_grant":
            return AuthFailedError(
                SOURCE,
                f"{call.what}: the service account's refresh token was refused ({code}: {message}); sign the "
                "account in again and store its new refresh token",
                status=status,
                code=code,
            )
        if call.kind != "token" and status == 401 and _is_app_only_refusal(message):
            return MissingChatPermissionError(
                SOURCE,
                f"{call.what}: Microsoft Graph does not accept chat posts from an app-only token (HTTP 401: "
                f"{message}); post as a service account with the delegated permission ChatMessage.Send",
                permission="ChatMessage.Send",
                status=status,
                code=code,
            )
        if call.kind != "token" and status == 403:
            permission = PERMISSION_FOR_METHOD.get(call.method, "ChatMessage.Send")
            return MissingChatPermissionError(
                SOURCE,
                f"{call.what}: Microsoft Graph refused (HTTP 403 {code or 'Forbidden'}: {message}); the service "
                f"account needs the delegated permission {permission} (admin-consented) and membership of the "
                "chat. Retrying will not help.",
                permission=permission,
                status=status,
                code=code,
            )
        return default_error_for(SOURCE, response, call, inner_code or code, message)


class TeamsChatClient(ApiClientUser):
    """Posts, edits and finds summaries in Teams chats; see the module docstring."""

    source: ChatSource = "teams"

    def __init__(
        self,
        settings: TeamsChatSettings,
        *,
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings
        self._base = settings.graph_base_url.rstrip("/")
        self._refresh_token = settings.refresh_token
        self._sleep = sleep
        self.api = build_api_client(
            source=SOURCE,
            settings=settings.http,
            token_url=settings.token_url,
            # Its own token cache: the same app may also hold an app-only token for reading transcripts.
            account=f"{settings.tenant_id}/chat-sender/{short_digest(settings.refresh_token.reveal(), 16)}",
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            endpoint_urls=(self._base,),
            allowed_hosts=settings.allowed_hosts,
            rules=TeamsChatRules(),
            redacted=(settings.refresh_token.reveal(),),
            http=http,
            sleep=sleep,
        )
        self.api.use_token_fetcher(self._fetch_token)

    def __repr__(self) -> str:
        return f"TeamsChatClient(tenant_id={self.settings.tenant_id!r}, base={self._base!r})"

    # --- the ChatPoster calls ----------------------------------------------------------------------

    def post(self, target: ChatTarget, message: OutgoingMessage) -> str:
        what = f"posting the meeting summary to {target.describe()}"
        call = Call("POST", self._messages_url(target), what=what, json=_body(message))

        def send() -> str:
            return _message_id(self.api.request(call, parse_json_with(SOURCE, what), policy=SINGLE_ATTEMPT), what)

        def find_sent() -> str | None:
            return self.find_marker(target, message.marker, dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1))

        return post_once(send, find_sent, policy=self.settings.http.retry, what=what, sleep=self._sleep)

    def edit(self, target: ChatTarget, message_id: str, message: OutgoingMessage) -> None:
        what = f"editing summary message {message_id} in {target.describe()}"
        url = f"{self._messages_url(target)}/{quote(message_id, safe='')}"
        self.api.request(Call("PATCH", url, what=what, json=_body(message)))

    def find_marker(self, target: ChatTarget, marker: str, since: dt.datetime) -> str | None:
        what = f"looking for summary {marker} in {target.describe()}"
        walk = PageWalk(SOURCE, what, self.settings.marker_search_pages)
        url: str | None = self._messages_url(target)
        params: dict[str, str | int] | None = {"$top": _PAGE_SIZE, "$orderby": "createdDateTime desc"}
        oldest_wanted = since - _CLOCK_SKEW
        while url is not None and walk.pages < self.settings.marker_search_pages:
            page = self.api.request(Call("GET", url, what=what, params=params), parse_json_with(SOURCE, what))
            walk.page_read()
            items = page.get("value")
            if not isinstance(items, list):
                raise UnexpectedResponseError(SOURCE, f"{what}: the page has no 'value' list")
            for item in items:
                found, created = _marker_in(item, marker)
                if found:
                    return str(item["id"])
                if created is not None and created < oldest_wanted:
                    return None  # newest first: everything after this is older still
            link = page.get("@odata.nextLink")
            url = link if isinstance(link, str) and link else None
            if url:
                walk.follow(url)
            params = None
        return None

    # --- internals -------------------------------------------------------------------------------

    def _messages_url(self, target: ChatTarget) -> str:
        if target.source != "teams" or target.kind != "meeting_chat":
            raise ValueError(f"the Teams poster cannot post to {target.describe()}")
        return f"{self._base}/chats/{quote(target.address, safe='')}/messages"

    def _fetch_token(self) -> IssuedToken:
        what = f"redeeming the service account's refresh token for tenant {self.settings.tenant_id}"
        grant = {
            "grant_type": "refresh_token",
            "refresh_token": self._refresh_token.reveal(),
            "scope": self.settings.scope,
        }
        payload = request_entra_token(self.api, self.settings, what, grant)
        rotated = payload.get("refresh_token")
        if isinstance(rotated, str) and rotated:
            # Known to the redactor before anything could print it.
            self.api.redactor.add(rotated)
            self._refresh_token = Secret(rotated)
        return issued_token_from(payload, SOURCE, what)


def _body(message: OutgoingMessage) -> dict[str, Any]:
    return {"body": {"contentType": message.content_type, "content": message.content}}


def _message_id(payload: dict[str, Any], what: str) -> str:
    message_id = payload.get("id")
    if not isinstance(message_id, str) or not message_id:
        raise UnexpectedResponseError(SOURCE, f"{what}: the answer names no message id")
    return message_id


def _marker_in(item: Any, marker: str) -> tuple[bool, dt.datetime | None]:
    if not isinstance(item, dict):
        return False, None
    body = item.get("body") if isinstance(item.get("body"), dict) else {}
    content = body.get("content") if isinstance(body.get("content"), str) else ""
    created_text = item.get("createdDateTime")
    try:
        created = parse_api_datetime(created_text) if isinstance(created_text, str) else None
    except ValueError:
        created = None
    return bool(marker) and marker in content and isinstance(item.get("id"), str), created
