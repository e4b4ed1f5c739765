"""Team Chat of the Zoom fake: send, edit and list a user's messages under Zoom's rules.

What Zoom enforces, and so does this fake:
- the token must carry a chat scope (classic `chat_message:write:admin`, or the granular one for the
  call); otherwise code 4711 names the scopes that would do;
- a message is at most 1024 characters, goes to exactly one of `to_channel` / `to_contact`, and to
  a channel only when the sender is a member;
- only the sender may edit a message, and an edit replaces its text (formatting ranges are dropped);
- listings are per sender and per channel or contact, newest first.
Refusals are raised as `ZoomRefusal(status, code, message)`; the server turns them into Zoom's
`{"code", "message"}` body.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bridge_pipeline.apis.timestamps import format_api_datetime, parse_api_datetime

MAX_MESSAGE_CHARS = 1024
POST_SCOPES = ("chat_message:write:admin", "team_chat:write:user_message:admin")
EDIT_SCOPES = ("chat_message:write:admin", "team_chat:update:user_message:admin")
LIST_SCOPES = ("chat_message:read:admin", "chat_message:write:admin", "team_chat:read:list_user_messages:admin")
FORMAT_TYPES = frozenset(
    {"Bold", "Italic", "Strikethrough", "BulletedList", "NumberedList", "Underline", "FontSize", "FontColor",
     "BackgroundColor", "LeftIndent", "Paragraph", "Quote", "AddLink"}
)


class ZoomRefusal(Exception):
    def __init__(self, status: int, code: int, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Caller:
    """Who a chat request is about: the user in the path, and the scopes of the token it came with."""

    user_id: str
    email: str
    scopes: frozenset[str]
    contacts: Mapping[str, str]  # every user id and e-mail of the account -> that user's e-mail


@dataclass
class FakeZoomChannel:
    id: str
    name: str
    members: set[str] = field(default_factory=set)  # user ids


@dataclass
class FakeZoomChatMessage:
    id: str
    sender_id: str
    sender_email: str
    to_channel: str | None
    to_contact: str | None
    message: str
    rich_text: list[dict[str, Any]]
    sent_at: dt.datetime
    edited: bool = False
    deleted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "message": self.message,
            "sender": self.sender_email,
            "sender_display_name": self.sender_email.split("@", 1)[0],
            "date_time": format_api_datetime(self.sent_at),
            "timestamp": int(self.sent_at.timestamp() * 1000),
            "message_type": "plain_text_message",
            "rich_text": self.rich_text,
        }


class FakeZoomTeamChat:
    """Channels and messages of the fake account; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.channels: dict[str, FakeZoomChannel] = {}
        self.messages: list[FakeZoomChatMessage] = []

    def add_channel(self, channel_id: str, name: str, members: set[str] | frozenset[str]) -> FakeZoomChannel:
        with self._lock:
            channel = self.channels.setdefault(channel_id, FakeZoomChannel(channel_id, name))
            channel.members |= set(members)
            return channel

    def messages_to(self, *, channel: str | None = None, contact: str | None = None) -> list[FakeZoomChatMessage]:
        """Messages sent to a channel or contact, oldest first (deleted ones included, flagged)."""
        with self._lock:
            return [
                m for m in self.messages if (channel and m.to_channel == channel) or (contact and m.to_contact == contact)
            ]

    def delete(self, message_id: str) -> None:
        """A user removes a message by hand."""
        with self._lock:
            for message in self.messages:
                if message.id == message_id:
                    message.deleted = True

    # --- the endpoints ------------------------------------------------------------------------------

    def post(self, caller: Caller, payload: Any) -> dict[str, Any]:
        _require_scopes(caller, POST_SCOPES)
        body = payload if isinstance(payload, dict) else {}
        text = _text(body)
        to_channel, to_contact = _recipient(body, caller)
        rich_text = _rich_text(body.get("rich_text"), len(text))
        with self._lock:
            if to_channel is not None:
                channel = self.channels.get(to_channel)
                if channel is None:
                    raise ZoomRefusal(404, 4130, f"Channel does not exist: {to_channel}.")
                if caller.user_id not in channel.members:
                    raise ZoomRefusal(403, 200, "The user(s) do not have permission to access the channel.")
            message = FakeZoomChatMessage(
                id=str(uuid.uuid4()).upper(),
                sender_id=caller.user_id,
                sender_email=caller.email,
                to_channel=to_channel,
                to_contact=to_contact,
                message=text,
                rich_text=rich_text,
                sent_at=dt.datetime.now(dt.timezone.utc),
            )
            self.messages.append(message)
        return {"id": message.id}

    def edit(self, caller: Caller, message_id: str, payload: Any) -> None:
        _require_scopes(caller, EDIT_SCOPES)
        body = payload if isinstance(payload, dict) else {}
        text = _text(body)
        to_channel, to_contact = _recipient(body, caller)
        with self._lock:
            message = next((m for m in self.messages if m.id == message_id and not m.deleted), None)
            if message is None or (message.to_channel, message.to_contact) != (to_channel, to_contact):
                raise ZoomRefusal(400, 300, f"Message does not exist: {message_id}.")
            if message.sender_id != caller.user_id:
                raise ZoomRefusal(400, 200, "Only the sender of this message can make updates.")
            message.message, message.rich_text, message.edited = text, [], True

    def listing(self, caller: Caller, query: Mapping[str, str | None]) -> list[dict[str, Any]]:
        _require_scopes(caller, LIST_SCOPES)
        to_channel, to_contact = _recipient(query, caller)
        try:
            since = parse_api_datetime(query["from"]) if query.get("from") else None
            until = parse_api_datetime(query["to"]) if query.get("to") else None
        except ValueError as exc:
            raise ZoomRefusal(400, 300, f"Invalid parameter: from/to ({exc}).") from None
        with self._lock:
            found = [
                m
                for m in self.messages
                # A channel lists every member's messages; a direct chat the messages between the two users.
                if (m.to_channel, m.to_contact) == (to_channel, to_contact)
                and (to_channel is not None or m.sender_id == caller.user_id)
                and not m.deleted
                and (since is None or m.sent_at >= since)
                and (until is None or m.sent_at <= until)
            ]
        return [m.to_json() for m in sorted(found, key=lambda m: m.sent_at, reverse=True)]


def _require_scopes(caller: Caller, any_of: tuple[str, ...]) -> None:
    if not caller.scopes & set(any_of):
        raise ZoomRefusal(400, 4711, f"Invalid access token, does not contain scopes:[{', '.join(any_of)}].")


def _text(body: dict[str, Any]) -> str:
    text = body.get("message")
    if not isinstance(text, str) or not text:
        raise ZoomRefusal(400, 300, "Invalid parameter: message.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ZoomRefusal(400, 300, f"Invalid parameter: message. It must be at most {MAX_MESSAGE_CHARS} characters.")
    return text


def _recipient(body: Mapping[str, Any], caller: Caller) -> tuple[str | None, str | None]:
    to_channel, to_contact = body.get("to_channel") or None, body.get("to_contact") or None
    if (to_channel is None) == (to_contact is None):
        raise ZoomRefusal(400, 300, "Must provide either contact or channel parameter.")
    if to_contact is not None and to_contact not in caller.contacts:
        raise ZoomRefusal(404, 1001, f"User does not exist: {to_contact}.")
    return to_channel, caller.contacts[to_contact] if to_contact is not None else None


def _rich_text(ranges: Any, length: int) -> list[dict[str, Any]]:
    if ranges is None:
        return []
    if not isinstance(ranges, list):
        raise ZoomRefusal(400, 300, "Invalid parameter: rich_text.")
    for item in ranges:
        start, end = (item.get("start_position"), item.get("end_position")) if isinstance(item, dict) else (None, None)
        if (
            not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= length
            or item.get("format_type") not in FORMAT_TYPES
        ):
            raise ZoomRefusal(400, 300, f"Invalid parameter: rich_text {item!r}.")
    return list(ranges)
