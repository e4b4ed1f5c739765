"""What every chat poster (Teams, Zoom) takes and promises: a target, an outgoing message, post/edit/find."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Protocol

ChatSource = Literal["teams", "zoom"]
TargetKind = Literal["meeting_chat", "channel", "contact"]
ContentType = Literal["html", "text"]


@dataclass(frozen=True)
class ChatTarget:
    """Where a meeting's summary goes: a Teams meeting chat, a Zoom channel or a Zoom contact."""

    source: ChatSource
    kind: TargetKind
    address: str  # chat thread id, channel id or contact e-mail

    @property
    def key(self) -> str:
        """Stable text naming the target, used in delivery records."""
        return f"{self.source}:{self.kind}:{self.address}"

    def describe(self) -> str:
        names = {"meeting_chat": "Teams meeting chat", "channel": "Zoom channel", "contact": "Zoom direct message to"}
        return f"{names[self.kind]} {self.address}"


@dataclass(frozen=True)
class RichTextRange:
    """A Zoom Team Chat formatting range over the message text (character offsets, end exclusive)."""

    start: int
    end: int
    format_type: str  # "Bold", "Italic", ...
    format_attr: str | None = None


@dataclass(frozen=True)
class OutgoingMessage:
    """A rendered summary: HTML for Teams, plain text plus formatting ranges for Zoom.

    `marker` is a reference printed in the message's footer. It is generated before the first post
    is sent, so a run that lost the answer to its post can find the message in the chat by it.
    """

    content: str
    content_type: ContentType
    marker: str
    rich_text: tuple[RichTextRange, ...] = ()


class ChatPoster(Protocol):
    """Sends and edits summaries in one source's chats; errors are `SourceError`s of the HTTP layer."""

    source: ChatSource

    def post(self, target: ChatTarget, message: OutgoingMessage) -> str:
        """Post `message`; returns the new message's id. Never posts twice for one call."""
        ...

    def edit(self, target: ChatTarget, message_id: str, message: OutgoingMessage) -> None:
        """Replace the content of a message this poster sent earlier."""
        ...

    def find_marker(self, target: ChatTarget, marker: str, since: dt.datetime) -> str | None:
        """Id of the message in `target` that carries `marker`, looking back to `since`; None if none does."""
        ...

    def close(self) -> None: ...
