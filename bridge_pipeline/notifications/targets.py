"""Which chat a meeting's summary goes to, and how it is rendered there."""

from __future__ import annotations

from collections.abc import Callable

from bridge_pipeline.models import MeetingInfo
from bridge_pipeline.notifications.chat import ChatTarget, OutgoingMessage
from bridge_pipeline.notifications.settings import NotificationSettings
from bridge_pipeline.notifications.summary import MeetingSummary
from bridge_pipeline.notifications.teams_html import render_teams
from bridge_pipeline.notifications.zoom_text import render_zoom

RENDERERS: dict[str, Callable[..., OutgoingMessage]] = {"teams": render_teams, "zoom": render_zoom}


def chat_target(meeting: MeetingInfo, settings: NotificationSettings) -> ChatTarget | None:
    """Teams: the meeting's own chat. Zoom: the organizer's configured channel, else a direct message
    to the organizer. None when the meeting has nowhere to go (an inbox file, a Teams meeting whose
    chat is unknown, a Zoom meeting without a known host)."""
    if meeting.source == "teams":
        return ChatTarget("teams", "meeting_chat", meeting.chat_thread_id) if meeting.chat_thread_id else None
    if meeting.source == "zoom" and meeting.organizer:
        channel = settings.zoom_channel_for(meeting.organizer)
        if channel:
            return ChatTarget("zoom", "channel", channel)
        # Zoom takes an e-mail address or a user id as the contact.
        return ChatTarget("zoom", "contact", meeting.organizer)
    return None


def render(summary: MeetingSummary, target: ChatTarget, *, marker: str, follow_up: bool = False) -> OutgoingMessage:
    return RENDERERS[target.source](summary, marker=marker, follow_up=follow_up)
