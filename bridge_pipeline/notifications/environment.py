"""The environment variables that opt organizers in to chat summaries, and where they are posted from.

Nothing is posted unless an organizer list is set for a source. The names live here once, for the
Dagster resource and for anyone reading the README.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.settings import split_list

TEAMS_ORGANIZERS = "BRIDGE_NOTIFY_TEAMS_ORGANIZERS"  # UPNs, or "*" for every organizer
ZOOM_ORGANIZERS = "BRIDGE_NOTIFY_ZOOM_ORGANIZERS"  # host e-mails or user ids, or "*"
DRY_RUN = "BRIDGE_NOTIFY_DRY_RUN"
EXPORT_LINK_BASE = "BRIDGE_NOTIFY_EXPORT_LINK_BASE"
ZOOM_CHANNELS = "BRIDGE_NOTIFY_ZOOM_CHANNELS"  # organizer=channel id, comma-separated
TEAMS_REFRESH_TOKEN = "BRIDGE_GRAPH_CHAT_REFRESH_TOKEN"  # the posting service account's (secret)
ZOOM_SENDER = "BRIDGE_ZOOM_CHAT_SENDER"  # the account user Zoom summaries are sent as

_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class NotificationConfig:
    """The notification settings as plain values, safe to show in the UI (the refresh token is only named)."""

    teams_organizers: tuple[str, ...]
    zoom_organizers: tuple[str, ...]
    dry_run: bool
    export_link_base: str
    zoom_channels: dict[str, str]
    teams_refresh_token_set: bool
    zoom_sender: str


def notification_config(env: Mapping[str, str]) -> NotificationConfig:
    return NotificationConfig(
        teams_organizers=split_list(env.get(TEAMS_ORGANIZERS)),
        zoom_organizers=split_list(env.get(ZOOM_ORGANIZERS)),
        dry_run=(env.get(DRY_RUN) or "").strip().lower() in _TRUE,
        export_link_base=(env.get(EXPORT_LINK_BASE) or "").strip(),
        zoom_channels=parse_channels(env.get(ZOOM_CHANNELS)),
        teams_refresh_token_set=bool((env.get(TEAMS_REFRESH_TOKEN) or "").strip()),
        zoom_sender=(env.get(ZOOM_SENDER) or "").strip(),
    )


def parse_channels(text: str | None) -> dict[str, str]:
    channels: dict[str, str] = {}
    for entry in split_list(text):
        organizer, sep, channel = entry.partition("=")
        if not sep or not organizer.strip() or not channel.strip():
            raise ConfigurationError(f"{ZOOM_CHANNELS}: {entry!r} is not organizer=channel_id")
        channels[organizer.strip()] = channel.strip()
    return channels
