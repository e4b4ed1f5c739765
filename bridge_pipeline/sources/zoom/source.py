"""Zoom as a `RecordingSource`: one day's cloud-recording transcripts of the account's users.

A meeting instance (one UUID) belongs to the day its `start_time` falls on in the given timezone.
Each completed `TRANSCRIPT` file becomes a `Recording`; its meeting's participants come from the
past-meeting participant list. Besides the recordings, the scan lists:
- transcripts Zoom still shows as processing (`RemoteScan.not_ready`; the sensor asks again later);
- meetings with audio or video but no transcript (`RemoteScan.untranscribed`, audio-only preferred),
  kept for speech-to-text;
- in-meeting chat files (`RemoteScan.chats`) when `download_chat` is on.
One user's listing refused by a setting or answered unusably is an `IngestProblem` naming the user;
refused credentials and retries that ran out are raised.
"""

from __future__ import annotations

import datetime as dt
import logging

from bridge_pipeline.apis.zoom.client import ZoomClient
from bridge_pipeline.apis.zoom.models import AUDIO_TYPES, CHAT, TRANSCRIPT, VIDEO_TYPES, ZoomFile, ZoomMeeting
from bridge_pipeline.apis.zoom.settings import ZoomSettings
from bridge_pipeline.models import SourceName, UntranscribedRecording
from bridge_pipeline.observability import metrics
from bridge_pipeline.sources.cursor import Observation, ScopeCursor
from bridge_pipeline.sources.days import day_bounds_utc, local_day
from bridge_pipeline.sources.records import remote_meeting_id, remote_recording, scan_problem
from bridge_pipeline.sources.remote import RemoteSource
from bridge_pipeline.sources.scan import (
    PER_ARTIFACT_ERRORS,
    PER_SCOPE_ERRORS,
    ChatFile,
    DayFindings,
    PendingTranscript,
)

logger = logging.getLogger(__name__)


class ZoomSource(RemoteSource[ZoomSettings, ZoomClient]):
    """Zoom cloud recordings of the configured users; see the module docstring."""

    name: SourceName = "zoom"

    def _new_client(self, settings: ZoomSettings) -> ZoomClient:
        return ZoomClient(settings)

    def __repr__(self) -> str:
        return f"ZoomSource(account_id={self.settings.account_id!r})"

    def user_ids(self) -> tuple[str, ...]:
        return self.settings.user_ids or tuple(self.client.list_users())

    # --- one day ---------------------------------------------------------------------------------

    def _scan_day(self, day: dt.date, zone: dt.tzinfo, found: DayFindings) -> None:
        start, end = day_bounds_utc(day, zone)
        done: set[str] = set()

        for user_id in self.user_ids():
            try:
                meetings = self.client.list_recordings(user_id, start.date(), (end - dt.timedelta(microseconds=1)).date())
            except PER_SCOPE_ERRORS as exc:
                found.problems.append(scan_problem(day, f"zoom user {user_id}", str(exc)))
                continue
            for meeting in meetings:
                if meeting.uuid in done or local_day(meeting.started_at, zone) != day:
                    continue
                done.add(meeting.uuid)
                self._read_meeting(day, zone, meeting, found)

    def _read_meeting(self, day: dt.date, zone: dt.tzinfo, meeting: ZoomMeeting, found: DayFindings) -> None:
        title = meeting.topic or f"Zoom meeting {meeting.started_at.astimezone(zone):%Y-%m-%d %H:%M}"
        organizer = meeting.host_email or meeting.host_id
        transcripts = meeting.files_of_type(TRANSCRIPT)
        ready = [file for file in transcripts if file.completed]
        fresh = [file for file in ready if not found.reuse(file.key, meeting.started_at)]
        participants = self._participants(meeting) if fresh else ()

        for file in transcripts:
            meeting_id = remote_meeting_id("zoom", day, file.key)
            if not file.completed:
                reason = f"Zoom lists the transcript as {file.status or 'without a download URL'}"
                found.not_ready.append(PendingTranscript("zoom", meeting_id, file.key, day, title, meeting.started_at, reason))
                continue
            if file not in fresh:
                continue
            try:
                content = self.client.download(file)
            except PER_ARTIFACT_ERRORS as exc:
                found.problems.append(scan_problem(day, meeting_id, str(exc)))
                continue
            metrics.count(metrics.TRANSCRIPT_DOWNLOADS, source="zoom")
            found.recordings.append(
                remote_recording(
                    source="zoom",
                    source_id=file.key,
                    meeting_id=meeting_id,
                    day=day,
                    content=content,
                    title=title,
                    started_at=meeting.started_at,
                    organizer=organizer,
                    participants=participants,
                )
            )

        if not transcripts and (media := untranscribed_media(meeting)) is not None:
            found.untranscribed.append(
                UntranscribedRecording(
                    source="zoom",
                    meeting_id=remote_meeting_id("zoom", day, media.key),
                    source_id=media.key,
                    partition_date=day,
                    title=title,
                    started_at=meeting.started_at,
                    organizer=organizer,
                    media="audio" if media.file_type in AUDIO_TYPES else "video",
                    file_extension=media.file_extension or media.file_type,
                    download_url=media.download_url or "",
                    size_bytes=media.size_bytes,
                )
            )

        if self.settings.download_chat and ready:
            for file in meeting.files_of_type(CHAT):
                if not file.completed:
                    continue
                meeting_id = remote_meeting_id("zoom", day, ready[0].key)
                try:
                    found.chats.append(ChatFile(meeting_id, f"{meeting_id}.chat.txt", self.client.download(file)))
                except PER_ARTIFACT_ERRORS as exc:
                    found.problems.append(scan_problem(day, meeting_id, f"chat file: {exc}"))

    def _participants(self, meeting: ZoomMeeting) -> tuple[str, ...]:
        if not self.settings.fetch_participants:
            return ()
        try:
            return self.client.meeting_participants(meeting.uuid)
        except PER_SCOPE_ERRORS as exc:
            # Participant lists need an extra scope and expire sooner than recordings; the transcript still counts.
            logger.info("zoom: no participants for meeting %s: %s", meeting.uuid, exc.detail)
            return ()

    # --- sensor support --------------------------------------------------------------------------

    def _poll_scopes(self) -> tuple[str, ...]:
        return self.user_ids()

    def _observations(
        self, user_id: str, start: dt.datetime, state: ScopeCursor | None, *, zone: dt.tzinfo, now: dt.datetime
    ) -> list[Observation]:
        """New transcripts, or new untranscribed media of meetings without one."""
        # Zoom filters on UTC dates; one day past today covers meetings that started just now.
        last = (now + dt.timedelta(days=1)).date()
        observations = []
        for meeting in self.client.list_recordings(user_id, start.date(), last):
            day = local_day(meeting.started_at, zone)
            tracked = meeting.files_of_type(TRANSCRIPT) or [m for m in [untranscribed_media(meeting)] if m]
            observations.extend(Observation(f.key, meeting.started_at, day, f.completed) for f in tracked)
        return observations


def untranscribed_media(meeting: ZoomMeeting) -> ZoomFile | None:
    """The file speech-to-text should use for a meeting without transcript: audio-only first, then video."""
    for file_types in (AUDIO_TYPES, VIDEO_TYPES):
        for file in meeting.files_of_type(*file_types):
            if file.completed:
                return file
    return None
