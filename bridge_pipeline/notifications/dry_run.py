"""Dry run: writes each would-be chat message to the day's export folder instead of posting it."""

from __future__ import annotations

import datetime as dt
import json

from bridge_pipeline.naming import safe_filename
from bridge_pipeline.notifications.chat import ChatTarget, OutgoingMessage
from bridge_pipeline.notifications.zoom_chat import post_body
from bridge_pipeline.pipeline import export_prefix
from bridge_pipeline.storage.blobs import BlobStore

DRY_RUN_MARKER = "dry-run"


def dry_run_key(day: dt.date, meeting_id: str, target: ChatTarget) -> str:
    extension = "html" if target.source == "teams" else "json"
    return f"{export_prefix(day)}/notifications/{safe_filename(meeting_id)}.{target.source}.{extension}"


def write_dry_run(blobs: BlobStore, day: dt.date, meeting_id: str, target: ChatTarget, message: OutgoingMessage) -> str:
    """Stores the message as it would be sent (Teams: the HTML body; Zoom: the request body) and returns its key."""
    if target.source == "teams":
        data = message.content.encode("utf-8")
    else:
        data = (json.dumps(post_body(target, message), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    key = dry_run_key(day, meeting_id, target)
    blobs.put(key, data)
    return key
