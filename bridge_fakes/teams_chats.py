"""Meeting chats of the Graph fake: send, edit and list chatMessages under Graph's permission rules.

What Graph enforces, and so does this fake:
- posting needs a delegated token with ChatMessage.Send (or Chat.ReadWrite); an app-only token is
  refused with 401, because Graph allows application-context posts only for message import;
- editing needs delegated Chat.ReadWrite, and only the sender may edit;
- listing needs ChatMessage.Read, Chat.Read or Chat.ReadWrite (or an app-only token);
- the sender must be a member of the chat.
Refusals are raised as `ChatRefusal(status, code, message)`; the server turns them into Graph's
error body. Message ids are epoch milliseconds, as Graph's are.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any, Literal

SEND_SCOPES = ("ChatMessage.Send", "Chat.ReadWrite", "Group.ReadWrite.All")
EDIT_SCOPES = ("Chat.ReadWrite",)
READ_SCOPES = ("ChatMessage.Read", "Chat.Read", "Chat.ReadWrite")
APP_ONLY_POST = (
    "Message POST is allowed in application-only context only for import purposes. Refer to "
    "https://docs.microsoft.com/microsoftteams/platform/graph-api/import-messages/import-external-messages-to-teams "
    "for more details."
)
MAX_TOP = 50


class ChatRefusal(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class TokenGrant:
    """What an access token the fake issued stands for."""

    kind: Literal["app", "delegated"]
    user_id: str | None = None
    user_name: str | None = None
    scopes: frozenset[str] = frozenset()


@dataclass
class FakeChatMessage:
    id: str
    chat_id: str
    sender_id: str
    sender_name: str | None
    content_type: str
    content: str
    created: dt.datetime
    last_modified: dt.datetime
    last_edited: dt.datetime | None = None
    deleted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "replyToId": None,
            "etag": str(int(self.last_modified.timestamp() * 1000)),
            "messageType": "message",
            "createdDateTime": _graph_time(self.created),
            "lastModifiedDateTime": _graph_time(self.last_modified),
            "lastEditedDateTime": _graph_time(self.last_edited) if self.last_edited else None,
            "deletedDateTime": _graph_time(self.last_modified) if self.deleted else None,
            "subject": None,
            "summary": None,
            "chatId": self.chat_id,
            "importance": "normal",
            "locale": "en-us",
            "webUrl": None,
            "channelIdentity": None,
            "policyViolation": None,
            "eventDetail": None,
            "from": {
                "application": None,
                "device": None,
                "user": {
                    "@odata.type": "#microsoft.graph.teamworkUserIdentity",
                    "id": self.sender_id,
                    "displayName": self.sender_name,
                    "userIdentityType": "aadUser",
                },
            },
            "body": {"contentType": self.content_type, "content": "" if self.deleted else self.content},
            "attachments": [],
            "mentions": [],
            "reactions": [],
        }


@dataclass
class FakeChat:
    id: str
    members: set[str] = field(default_factory=set)
    messages: list[FakeChatMessage] = field(default_factory=list)


class FakeTeamsChats:
    """Every chat the fake knows, with its members and messages; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.chats: dict[str, FakeChat] = {}
        self._last_id = 0

    # --- seeding and reading back -----------------------------------------------------------------

    def open_chat(self, chat_id: str, members: set[str] | frozenset[str] = frozenset()) -> FakeChat:
        with self._lock:
            chat = self.chats.setdefault(chat_id, FakeChat(chat_id))
            chat.members |= set(members)
            return chat

    def add_member(self, chat_id: str, user_id: str) -> None:
        self.open_chat(chat_id, {user_id})

    def messages(self, chat_id: str) -> list[FakeChatMessage]:
        """Messages of a chat, oldest first (deleted ones included, flagged)."""
        with self._lock:
            chat = self.chats.get(chat_id)
            return list(chat.messages) if chat else []

    def delete(self, chat_id: str, message_id: str) -> None:
        """A member removes a message by hand (Teams keeps it as deleted)."""
        with self._lock:
            for message in self.chats[chat_id].messages:
                if message.id == message_id:
                    message.deleted = True
                    message.last_modified = _now()

    # --- the endpoints ------------------------------------------------------------------------------

    def post(self, chat_id: str, grant: TokenGrant, payload: Any) -> dict[str, Any]:
        if grant.kind == "app":
            raise ChatRefusal(401, "Unauthorized", APP_ONLY_POST)
        _require_scopes(grant, SEND_SCOPES)
        content_type, content = _body_of(payload)
        with self._lock:
            chat = self._chat(chat_id)
            self._require_member(chat, grant)
            now = _now()
            message = FakeChatMessage(
                id=self._next_id(now),
                chat_id=chat_id,
                sender_id=grant.user_id or "",
                sender_name=grant.user_name,
                content_type=content_type,
                content=content,
                created=now,
                last_modified=now,
            )
            chat.messages.append(message)
            return message.to_json()

    def edit(self, chat_id: str, message_id: str, grant: TokenGrant, payload: Any) -> None:
        if grant.kind == "app":
            raise ChatRefusal(
                403, "Forbidden", "Only the policyViolation property can be updated in application context."
            )
        _require_scopes(grant, EDIT_SCOPES)
        content_type, content = _body_of(payload)
        with self._lock:
            chat = self._chat(chat_id)
            message = next((m for m in chat.messages if m.id == message_id and not m.deleted), None)
            if message is None:
                raise ChatRefusal(404, "NotFound", f"Message {message_id} was not found in this chat.")
            if message.sender_id != grant.user_id:
                raise ChatRefusal(403, "Forbidden", "Only the sender of a message can edit its content.")
            now = _now()
            message.content_type, message.content = content_type, content
            message.last_modified = message.last_edited = now

    def listing(self, chat_id: str, grant: TokenGrant, *, top: int, order_by: str) -> list[dict[str, Any]]:
        """Every message of the chat in the asked order (the server pages through it)."""
        if grant.kind == "delegated":
            _require_scopes(grant, READ_SCOPES)
        if not 1 <= top <= MAX_TOP:
            raise ChatRefusal(400, "BadRequest", f"$top must be between 1 and {MAX_TOP}.")
        field_name, _, direction = order_by.partition(" ")
        if field_name not in ("createdDateTime", "lastModifiedDateTime") or direction not in ("", "desc"):
            raise ChatRefusal(400, "BadRequest", f"Unsupported $orderby {order_by!r}.")
        with self._lock:
            chat = self._chat(chat_id)
            ordered = sorted(
                chat.messages,
                key=lambda m: (m.created if field_name == "createdDateTime" else m.last_modified, m.id),
                reverse=True,
            )
            return [message.to_json() for message in ordered]

    # --- helpers --------------------------------------------------------------------------------------

    def _chat(self, chat_id: str) -> FakeChat:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ChatRefusal(404, "NotFound", f"Chat {chat_id} was not found.")
        return chat

    @staticmethod
    def _require_member(chat: FakeChat, grant: TokenGrant) -> None:
        if grant.user_id not in chat.members:
            raise ChatRefusal(403, "Forbidden", "The signed-in user is not a member of this chat.")

    def _next_id(self, now: dt.datetime) -> str:
        # Epoch milliseconds, bumped when two messages land in the same millisecond.
        self._last_id = max(self._last_id + 1, int(now.timestamp() * 1000))
        return str(self._last_id)


def _require_scopes(grant: TokenGrant, any_of: tuple[str, ...]) -> None:
    if not grant.scopes & set(any_of):
        held = ", ".join(sorted(grant.scopes)) or "none"
        raise ChatRefusal(
            403,
            "Forbidden",
            f"Missing scope permissions on the request. API requires one of '{', '.join(any_of)}'. "
            f"Scopes on the request '{held}'",
        )


def _body_of(payload: Any) -> tuple[str, str]:
    body = payload.get("body") if isinstance(payload, dict) else None
    if not isinstance(body, dict) or not isinstance(body.get("content"), str) or not body["content"].strip():
        raise ChatRefusal(400, "BadRequest", "The message body must have non-empty content.")
    content_type = str(body.get("contentType") or "text").lower()
    if content_type not in ("text", "html"):
        raise ChatRefusal(400, "BadRequest", f"Unsupported contentType {content_type!r}.")
    return content_type, body["content"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _graph_time(instant: dt.datetime) -> str:
    return instant.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"

