"""Posts and edits meeting summaries in Zoom Team Chat (Server-to-Server OAuth, sent as one account user).

Zoom's API cannot post into a meeting's in-meeting chat, so a summary goes to the organizer's
Team Chat channel (configured per organizer) or, without one, as a direct message to the organizer.
Messages are sent as `sender_user_id`, an account user (e.g. "Bridge notes") who must be a member
of those channels and hold a role with the Chat Messages edit permission. The app needs the scopes
`chat_message:write:admin` (granular: `team_chat:write:user_message:admin` and
`team_chat:update:user_message:admin`) and, to find a post whose answer was lost,
`chat_message:read:admin` (granular: `team_chat:read:list_user_messages:admin`).
A message is at most 1024 characters; formatting travels as `rich_text` ranges on a post, while an
edit can only replace the text (Zoom's edit takes no ranges), so the text reads well without them.
The same app credentials as the Zoom source share its token (Zoom revokes a token when another is
issued for the account), its rate limit and its error handling.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from bridge_pipeline.apis.timestamps import format_api_datetime, parse_api_datetime
from bridge_pipeline.apis.zoom.client import account_api_client
from bridge_pipeline.apis.zoom.rules import MISSING_SCOPES_CODE, zoom_error
from bridge_pipeline.apis.zoom.settings import ZOOM_API_BASE_URL, ZOOM_OAUTH_BASE_URL
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.http.api_client import ApiClientUser, Call, default_error_for, parse_json_with
from bridge_pipeline.http.errors import NotFoundError, SourceError, UnexpectedResponseError
from bridge_pipeline.http.pagination import PageWalk
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.settings import HttpSettings
from bridge_pipeline.notifications.chat import ChatSource, ChatTarget, OutgoingMessage
from bridge_pipeline.notifications.errors import MissingChatPermissionError
from bridge_pipeline.notifications.single_post import SINGLE_ATTEMPT, post_once
from bridge_pipeline.notifications.zoom_text import MAX_MESSAGE_CHARS

SOURCE = "zoom"
# The scope each chat call needs, named in the error when Zoom refuses for lack of it.
SCOPE_FOR_METHOD = {
    "POST": "chat_message:write:admin (granular: team_chat:write:user_message:admin)",
    "PUT": "chat_message:write:admin (granular: team_chat:update:user_message:admin)",
    "GET": "chat_message:read:admin (granular: team_chat:read:list_user_messages:admin)",
}
_PAGE_SIZE = 50
_CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class ZoomChatSettings:
    """The Server-to-Server app and account user that post summaries; see the module docstring."""

    account_id: str
    client_id: str
    client_secret: Secret = field(repr=False)
    sender_user_id: str
    api_base_url: str = ZOOM_API_BASE_URL
    oauth_base_url: str = ZOOM_OAUTH_BASE_URL
    allowed_hosts: tuple[str, ...] = ("zoom.us", "*.zoom.us")
    # Team Chat posts count against the account's "Medium" limit and a per-channel message limit.
    http: HttpSettings = field(default_factory=lambda: HttpSettings(requests_per_second=2.0, burst=2))
    marker_search_pages: int = 2
    # The project database the account's one live token is shared through (see ZoomSettings); None: per process.
    token_store_url: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for name in ("account_id", "client_id", "sender_user_id"):
            if not str(getattr(self, name)).strip():
                raise ConfigurationError(f"Zoom notifications: {name} is empty")
        if not isinstance(self.client_secret, Secret):
            raise ConfigurationError("Zoom notifications: client_secret must be wrapped in Secret(...)")

    @property
    def token_url(self) -> str:
        return f"{self.oauth_base_url.rstrip('/')}/oauth/token"


class ZoomChatRules:
    """How Zoom refuses chat calls: a replaced token is refetched, missing scopes are configuration errors."""

    def token_rejected(self, response: httpx.Response, call: Call) -> bool:
        # A token without the scope is refused for good; fetching another one gives the same scopes.
        return response.status_code == 401 and zoom_error(response)[0] != str(MISSING_SCOPES_CODE)

    def error_for(self, response: httpx.Response, call: Call) -> SourceError:
        code, message = zoom_error(response)
        status = response.status_code
        if call.kind != "token" and (status == 403 or code == str(MISSING_SCOPES_CODE)):
            scope = SCOPE_FOR_METHOD.get(call.method, SCOPE_FOR_METHOD["POST"])
            return MissingChatPermissionError(
                SOURCE,
                f"{call.what}: Zoom refused (HTTP {status}, code {code}: {message}); the app needs the scope "
                f"{scope}, and the sending user a role with the Chat Messages edit permission. "
                "Retrying will not help.",
                permission=scope.split(" ", 1)[0],
                status=status,
                code=code,
            )
        if call.kind != "token" and status == 400 and "does not exist" in message.lower():
            return NotFoundError(SOURCE, f"{call.what}: HTTP 400 {code}: {message}", status=status, code=code)
        return default_error_for(SOURCE, response, call, code, message)


class ZoomChatClient(ApiClientUser):
    """Posts, edits and finds summaries in Zoom Team Chat; see the module docstring."""

    source: ChatSource = "zoom"

    def __init__(
        self,
        settings: ZoomChatSettings,
        *,
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings
        self._base = settings.api_base_url.rstrip("/")
        self._sleep = sleep
        self.api = account_api_client(settings, ZoomChatRules(), http=http, sleep=sleep)

    def __repr__(self) -> str:
        return f"ZoomChatClient(account_id={self.settings.account_id!r}, sender={self.settings.sender_user_id!r})"

    # --- the ChatPoster calls ----------------------------------------------------------------------

    def post(self, target: ChatTarget, message: OutgoingMessage) -> str:
        what = f"posting the meeting summary to {target.describe()}"
        call = Call("POST", self._messages_url(), what=what, json=post_body(target, message))

        def send() -> str:
            payload = self.api.request(call, parse_json_with(SOURCE, what), policy=SINGLE_ATTEMPT)
            message_id = payload.get("id")
            if not isinstance(message_id, str) or not message_id:
                raise UnexpectedResponseError(SOURCE, f"{what}: the answer names no message id")
            return message_id

        def find_sent() -> str | None:
            return self.find_marker(target, message.marker, dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1))

        return post_once(send, find_sent, policy=self.settings.http.retry, what=what, sleep=self._sleep)

    def edit(self, target: ChatTarget, message_id: str, message: OutgoingMessage) -> None:
        what = f"editing summary message {message_id} in {target.describe()}"
        body = {"message": _checked_text(message), **_recipient(target)}
        url = f"{self._messages_url()}/{quote(message_id, safe='')}"
        self.api.request(Call("PUT", url, what=what, json=body))

    def find_marker(self, target: ChatTarget, marker: str, since: dt.datetime) -> str | None:
        what = f"looking for summary {marker} in {target.describe()}"
        walk = PageWalk(SOURCE, what, self.settings.marker_search_pages)
        oldest_wanted = since - _CLOCK_SKEW
        params: dict[str, str | int] = {
            **_recipient(target),
            "page_size": _PAGE_SIZE,
            "from": format_api_datetime(oldest_wanted),
            "to": format_api_datetime(dt.datetime.now(dt.timezone.utc) + _CLOCK_SKEW),
        }
        while walk.pages < self.settings.marker_search_pages:
            call = Call("GET", self._messages_url(), what=what, params=params)
            page = self.api.request(call, parse_json_with(SOURCE, what))
            walk.page_read()
            items = page.get("messages")
            if not isinstance(items, list):
                raise UnexpectedResponseError(SOURCE, f"{what}: the page has no 'messages' list")
            for item in items:
                if _carries(item, marker):
                    return item["id"]
                if _sent_before(item, oldest_wanted):
                    return None  # newest first: everything after this is older still
            token = page.get("next_page_token")
            if not isinstance(token, str) or not token:
                return None
            walk.follow(token)
            params = {**params, "next_page_token": token}
        return None

    # --- internals -------------------------------------------------------------------------------

    def _messages_url(self) -> str:
        return f"{self._base}/chat/users/{quote(self.settings.sender_user_id, safe='@')}/messages"


def post_body(target: ChatTarget, message: OutgoingMessage) -> dict[str, Any]:
    """The JSON body of a Team Chat post: text, recipient and formatting ranges."""
    body: dict[str, Any] = {"message": _checked_text(message), **_recipient(target)}
    if message.rich_text:
        body["rich_text"] = [
            {"start_position": r.start, "end_position": r.end, "format_type": r.format_type}
            | ({"format_attr": r.format_attr} if r.format_attr else {})
            for r in message.rich_text
        ]
    return body


def _recipient(target: ChatTarget) -> dict[str, str]:
    if target.source != "zoom" or target.kind not in ("channel", "contact"):
        raise ValueError(f"the Zoom poster cannot post to {target.describe()}")
    return {"to_channel": target.address} if target.kind == "channel" else {"to_contact": target.address}


def _checked_text(message: OutgoingMessage) -> str:
    if len(message.content) > MAX_MESSAGE_CHARS:
        # The renderer keeps messages short; a longer one here is a bug, not something to send cut.
        raise ValueError(f"a Zoom message has at most {MAX_MESSAGE_CHARS} characters, got {len(message.content)}")
    return message.content


def _carries(item: Any, marker: str) -> bool:
    return isinstance(item, dict) and isinstance(item.get("id"), str) and marker in str(item.get("message") or "")


def _sent_before(item: Any, instant: dt.datetime) -> bool:
    text = item.get("date_time") if isinstance(item, dict) else None
    try:
        return isinstance(text, str) and parse_api_datetime(text) < instant
    except ValueError:
        return False
