"""The parts of Graph's callTranscript, callRecording and onlineMeeting answers the Teams source uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bridge_pipeline.apis.timestamps import parse_api_datetime
from bridge_pipeline.http.errors import UnexpectedResponseError
from bridge_pipeline.http.wire import first_problem


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class _WireUser(_Wire):
    id: str | None = None
    display_name: str | None = Field(default=None, alias="displayName")


class _WireIdentitySet(_Wire):
    user: _WireUser | None = None


class _WireArtifact(_Wire):
    id: str = Field(min_length=1)
    meeting_id: str = Field(alias="meetingId", min_length=1)
    content_correlation_id: str | None = Field(default=None, alias="contentCorrelationId")
    created: str = Field(alias="createdDateTime")
    ended: str | None = Field(default=None, alias="endDateTime")
    organizer: _WireIdentitySet | None = Field(default=None, alias="meetingOrganizer")
    transcript_content_url: str | None = Field(default=None, alias="transcriptContentUrl")
    recording_content_url: str | None = Field(default=None, alias="recordingContentUrl")


class _WireParticipant(_Wire):
    upn: str | None = None
    identity: _WireIdentitySet | None = None


class _WireParticipants(_Wire):
    organizer: _WireParticipant | None = None
    attendees: list[_WireParticipant] = []


class _WireChatInfo(_Wire):
    thread_id: str | None = Field(default=None, alias="threadId")


class _WireMeeting(_Wire):
    id: str
    subject: str | None = None
    start: str | None = Field(default=None, alias="startDateTime")
    participants: _WireParticipants | None = None
    chat_info: _WireChatInfo | None = Field(default=None, alias="chatInfo")


@dataclass(frozen=True)
class TeamsArtifact:
    """A transcript or recording as getAllTranscripts / getAllRecordings list it."""

    id: str
    meeting_id: str
    organizer_id: str  # the organizer whose listing returned it
    created_at: dt.datetime  # when transcription or recording started in that meeting occurrence
    ended_at: dt.datetime | None
    content_correlation_id: str | None
    content_url: str | None


@dataclass(frozen=True)
class TeamsMeeting:
    id: str
    subject: str | None
    started_at: dt.datetime | None
    organizer: str | None
    participants: tuple[str, ...]
    chat_thread_id: str | None = None  # the meeting chat, where a summary can be posted


def artifact_from_wire(item: Any, organizer_id: str, what: str, *, content_url_field: str) -> TeamsArtifact:
    try:
        wire = _WireArtifact.model_validate(item)
        created_at = parse_api_datetime(wire.created)
        ended_at = parse_api_datetime(wire.ended) if wire.ended else None
    except (ValidationError, ValueError, TypeError) as exc:
        item_id = item.get("id") if isinstance(item, dict) else None
        raise UnexpectedResponseError("teams", f"{what}: item {item_id!r} cannot be read: {first_problem(exc)}") from None
    return TeamsArtifact(
        id=wire.id,
        meeting_id=wire.meeting_id,
        organizer_id=organizer_id,
        created_at=created_at,
        ended_at=ended_at,
        content_correlation_id=wire.content_correlation_id,
        content_url=getattr(wire, content_url_field),
    )


def meeting_from_wire(item: Any, what: str) -> TeamsMeeting:
    try:
        wire = _WireMeeting.model_validate(item)
        started_at = parse_api_datetime(wire.start) if wire.start else None
    except (ValidationError, ValueError, TypeError) as exc:
        raise UnexpectedResponseError("teams", f"{what}: the meeting cannot be read: {first_problem(exc)}") from None
    participants = wire.participants or _WireParticipants()
    organizer = _participant_name(participants.organizer) if participants.organizer else None
    names = [organizer] if organizer else []
    names.extend(name for attendee in participants.attendees if (name := _participant_name(attendee)))
    return TeamsMeeting(
        id=wire.id,
        subject=(wire.subject or "").strip() or None,
        started_at=started_at,
        organizer=organizer,
        participants=tuple(dict.fromkeys(names)),
        chat_thread_id=((wire.chat_info.thread_id or "").strip() or None) if wire.chat_info else None,
    )


def _participant_name(participant: _WireParticipant) -> str | None:
    user = participant.identity.user if participant.identity else None
    # Graph leaves displayName null in app-only answers more often than not; the UPN is always there.
    for candidate in (user.display_name if user else None, participant.upn, user.id if user else None):
        if candidate and candidate.strip():
            return candidate.strip()
    return None

