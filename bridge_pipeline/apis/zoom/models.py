"""The parts of Zoom's cloud-recording and participant answers the Zoom source uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bridge_pipeline.apis.timestamps import parse_api_datetime
from bridge_pipeline.http.errors import UnexpectedResponseError
from bridge_pipeline.http.wire import first_problem

TRANSCRIPT = "TRANSCRIPT"
CHAT = "CHAT"
AUDIO_TYPES = ("M4A",)
VIDEO_TYPES = ("MP4",)


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _WireFile(_Wire):
    id: str | None = None
    file_type: str | None = None
    file_extension: str | None = None
    file_size: int | None = None
    recording_type: str | None = None
    recording_start: str | None = None
    status: str | None = None
    download_url: str | None = None


class _WireMeeting(_Wire):
    uuid: str = Field(min_length=1)
    id: int | None = None
    host_id: str | None = None
    host_email: str | None = None
    topic: str | None = None
    start_time: str
    duration: int | None = None
    recording_files: list[_WireFile] = []


@dataclass(frozen=True)
class ZoomFile:
    meeting_uuid: str
    id: str | None  # closed-caption and timeline files have none
    file_type: str
    file_extension: str
    recording_type: str | None
    recording_start: str | None
    status: str | None
    download_url: str | None
    size_bytes: int | None

    @property
    def key(self) -> str:
        """Stable id of the file within the account, with a fallback for files that have no id."""
        return f"{self.meeting_uuid}/{self.id or f'{self.file_type}@{self.recording_start}'}"

    @property
    def completed(self) -> bool:
        return (self.status or "completed") == "completed" and bool(self.download_url)


@dataclass(frozen=True)
class ZoomMeeting:
    uuid: str
    number: int | None
    host_id: str | None
    host_email: str | None
    topic: str | None
    started_at: dt.datetime
    files: tuple[ZoomFile, ...]

    def files_of_type(self, *file_types: str) -> list[ZoomFile]:
        return [file for file in self.files if file.file_type in file_types]


def meeting_from_wire(item: Any, what: str) -> ZoomMeeting:
    try:
        wire = _WireMeeting.model_validate(item)
        started_at = parse_api_datetime(wire.start_time)
    except (ValidationError, ValueError, TypeError) as exc:
        uuid = item.get("uuid") if isinstance(item, dict) else None
        raise UnexpectedResponseError("zoom", f"{what}: meeting {uuid!r} cannot be read: {first_problem(exc)}") from None
    files = tuple(
        ZoomFile(
            meeting_uuid=wire.uuid,
            id=file.id,
            file_type=(file.file_type or "").upper(),
            file_extension=(file.file_extension or "").upper(),
            recording_type=file.recording_type,
            recording_start=file.recording_start,
            status=file.status,
            download_url=file.download_url,
            size_bytes=file.file_size,
        )
        for file in wire.recording_files
    )
    return ZoomMeeting(
        uuid=wire.uuid,
        number=wire.id,
        host_id=wire.host_id,
        host_email=wire.host_email,
        topic=(wire.topic or "").strip() or None,
        started_at=started_at,
        files=files,
    )


def participant_name(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    for field in ("name", "user_email"):
        value = item.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None

