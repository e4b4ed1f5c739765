"""Meeting notifications: each meeting's summary posted to its Teams chat or Zoom Team Chat, opt-in only."""

from bridge_pipeline.notifications.chat import ChatPoster, ChatTarget, OutgoingMessage
from bridge_pipeline.notifications.errors import MissingChatPermissionError
from bridge_pipeline.notifications.notify import notify_day
from bridge_pipeline.notifications.report import MeetingOutcome, NotificationReport
from bridge_pipeline.notifications.settings import NotificationSettings, SourceOptIn
from bridge_pipeline.notifications.teams_chat import TeamsChatClient, TeamsChatSettings
from bridge_pipeline.notifications.zoom_chat import ZoomChatClient, ZoomChatSettings

__all__ = [
    "ChatPoster",
    "ChatTarget",
    "MeetingOutcome",
    "MissingChatPermissionError",
    "NotificationReport",
    "NotificationSettings",
    "OutgoingMessage",
    "SourceOptIn",
    "TeamsChatClient",
    "TeamsChatSettings",
    "ZoomChatClient",
    "ZoomChatSettings",
    "notify_day",
]
