"""Notifications: each opted-in meeting's summary posted to Teams or Zoom chat, after the line's exports."""
