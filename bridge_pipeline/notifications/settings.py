"""Who gets meeting summaries posted and how: opt-in per source and organizer, dry run, message limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from bridge_pipeline.errors import ConfigurationError

# An organizer allow-list entry that lets every organizer of the source in.
EVERY_ORGANIZER = "*"


@dataclass(frozen=True)
class SourceOptIn:
    """Posting for one source: off unless `enabled`, and then only for the organizers listed.

    Organizers are matched, case-insensitively, against `MeetingInfo.organizer` as the source gave
    it: for Teams the organizer's UPN (or display name, when Graph sends one), for Zoom the host's
    e-mail (or user id, when Zoom sends no e-mail). "*" lets every organizer of the source in.
    """

    enabled: bool = False
    organizers: tuple[str, ...] = ()

    def allows(self, organizer: str | None) -> bool:
        if not self.enabled or not organizer:
            return False
        wanted = {entry.strip().lower() for entry in self.organizers}
        return EVERY_ORGANIZER in wanted or organizer.strip().lower() in wanted


@dataclass(frozen=True)
class NotificationSettings:
    """What `notify_day` posts. Everything is off by default.

    `dry_run`: write each would-be message under `exports/<day>/notifications/` instead of posting.
    `export_link_base`: an https address the export keys are appended to for links (e.g. a file
    share that mirrors the export bucket); None shows the keys themselves. It must not carry
    credentials or a query string, so no signed URL can end up in a chat.
    `zoom_channels`: organizer -> Team Chat channel id to post that organizer's meetings to; an
    organizer without one gets the summary as a direct message (the Zoom API cannot post into a
    meeting's own in-meeting chat).
    `pending_grace`: how long a post another run has started is left alone before this run checks
    the chat for it (runs of the same day may overlap during backfills).
    """

    teams: SourceOptIn = field(default_factory=SourceOptIn)
    zoom: SourceOptIn = field(default_factory=SourceOptIn)
    dry_run: bool = False
    export_link_base: str | None = None
    zoom_channels: Mapping[str, str] = field(default_factory=dict)
    max_items: int = 12
    max_quote_chars: int = 160
    pending_grace: dt.timedelta = dt.timedelta(minutes=10)

    def __post_init__(self) -> None:
        if self.export_link_base is not None:
            check_link_base(self.export_link_base)
        if self.max_items < 1:
            raise ConfigurationError(f"notifications: max_items must be at least 1, got {self.max_items}")
        if self.max_quote_chars < 20:
            raise ConfigurationError(f"notifications: max_quote_chars must be at least 20, got {self.max_quote_chars}")

    def opt_in(self, source: str) -> SourceOptIn | None:
        """The opt-in of a source that can be posted to; None for sources that never are (the inbox)."""
        return {"teams": self.teams, "zoom": self.zoom}.get(source)

    def zoom_channel_for(self, organizer: str) -> str | None:
        wanted = organizer.strip().lower()
        return next((channel for who, channel in self.zoom_channels.items() if who.strip().lower() == wanted), None)


def check_link_base(base: str) -> str:
    """`base` when it is a plain https address; a ConfigurationError naming the problem otherwise."""
    try:
        url = httpx.URL(base)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError("notifications: export_link_base is not a valid URL") from exc
    # The address itself is left out of these messages: it may be the very credential-bearing link refused.
    if url.scheme != "https" or not url.host:
        raise ConfigurationError(f"notifications: export_link_base must be an https address (scheme {url.scheme!r})")
    if url.userinfo or url.query or url.fragment:
        # Signed or credentialed links would hand access to anyone who can read the chat.
        raise ConfigurationError(
            "notifications: export_link_base must not carry credentials, a query string or a fragment"
        )
    return base
