"""Microsoft Teams as a `RecordingSource`: one day's transcripts of the configured organizers.

A Teams meeting occurrence is dated by its transcript's creation time (when transcription started
in that occurrence); the onlineMeeting's own start belongs to the first occurrence of a recurring
series, so it cannot date later ones. Subject and participants come from the onlineMeeting.

What one organizer's failure means for the day:
- a 403 tenant or access-policy refusal, or an answer the client cannot use (no `value`, a page
  loop): an `IngestProblem` naming the organizer; the other organizers are still read;
- a transcript whose content answers 404: listed in `RemoteScan.not_ready`, not a problem of the
  day; the sensor keeps it pending and requests the day again once it is ready;
- a recording without a transcript: listed in `RemoteScan.untranscribed` for speech-to-text;
- refused credentials or retries that ran out (throttling, outages): raised, since the whole
  source is affected and the run should be retried as a whole.
"""

from __future__ import annotations

import datetime as dt
import logging

from bridge_pipeline.apis.graph.client import GraphClient
from bridge_pipeline.apis.graph.models import TeamsArtifact, TeamsMeeting
from bridge_pipeline.apis.graph.settings import GraphSettings
from bridge_pipeline.http.errors import NotFoundError, NotReadyError, UnexpectedResponseError
from bridge_pipeline.models import SourceName, UntranscribedRecording
from bridge_pipeline.observability import metrics
from bridge_pipeline.sources.cursor import Observation, ScopeCursor, already_seen
from bridge_pipeline.sources.days import day_bounds_utc, local_day
from bridge_pipeline.sources.records import remote_meeting_id, remote_recording, scan_problem
from bridge_pipeline.sources.remote import RemoteSource
from bridge_pipeline.sources.scan import (
    PER_ARTIFACT_ERRORS,
    PER_SCOPE_ERRORS,
    DayFindings,
    PendingTranscript,
)

logger = logging.getLogger(__name__)


class GraphSource(RemoteSource[GraphSettings, GraphClient]):
    """Teams meetings of the configured organizers; see the module docstring."""

    name: SourceName = "teams"

    def _new_client(self, settings: GraphSettings) -> GraphClient:
        return GraphClient(settings)

    def __repr__(self) -> str:
        return f"GraphSource(tenant_id={self.settings.tenant_id!r}, organizers={len(self.settings.organizer_ids)})"

    # --- one day ---------------------------------------------------------------------------------

    def _scan_day(self, day: dt.date, zone: dt.tzinfo, found: DayFindings) -> None:
        start, end = day_bounds_utc(day, zone)
        done_transcripts: set[str] = set()

        for organizer_id in self.settings.organizer_ids:
            location = f"teams organizer {organizer_id}"
            try:
                transcripts = self.client.list_transcripts(organizer_id, start, end)
                media = self.client.list_recordings(organizer_id, start, end) if self.settings.include_recordings else []
            except PER_SCOPE_ERRORS as exc:
                found.problems.append(scan_problem(day, location, str(exc)))
                continue
            transcripts = [t for t in transcripts if local_day(t.created_at, zone) == day and t.id not in done_transcripts]
            done_transcripts.update(t.id for t in transcripts)
            fresh = [t for t in transcripts if not found.reuse(t.id, t.created_at)]
            # Metadata only where it is used: transcripts read now, and recordings no transcript belongs to.
            untranscribed = [m for m in _without_transcript(media, transcripts) if local_day(m.created_at, zone) == day]
            meetings = self._meetings(organizer_id, {t.meeting_id for t in fresh} | {m.meeting_id for m in untranscribed})

            for transcript in fresh:
                meeting = meetings.get(transcript.meeting_id)
                meeting_id = remote_meeting_id("teams", day, transcript.id)
                title = _title(meeting, transcript.created_at, zone)
                try:
                    content = self.client.transcript_vtt(transcript)
                except NotReadyError as exc:
                    found.not_ready.append(
                        PendingTranscript("teams", meeting_id, transcript.id, day, title, transcript.created_at, exc.detail)
                    )
                    continue
                except PER_ARTIFACT_ERRORS as exc:
                    found.problems.append(scan_problem(day, meeting_id, str(exc)))
                    continue
                metrics.count(metrics.TRANSCRIPT_DOWNLOADS, source="teams")
                recording = remote_recording(
                    source="teams",
                    source_id=transcript.id,
                    meeting_id=meeting_id,
                    day=day,
                    content=content,
                    title=title,
                    started_at=transcript.created_at,
                    organizer=meeting.organizer if meeting else organizer_id,
                    participants=meeting.participants if meeting else (),
                )
                if meeting and meeting.chat_thread_id:
                    # Kept so the meeting's summary can later be posted into its own chat.
                    recording = recording.model_copy(update={"chat_thread_id": meeting.chat_thread_id})
                found.recordings.append(recording)

            found.untranscribed.extend(self._untranscribed(day, zone, organizer_id, media, transcripts, meetings))

    # --- sensor support --------------------------------------------------------------------------

    def _poll_scopes(self) -> tuple[str, ...]:
        return self.settings.organizer_ids

    def _observations(
        self, organizer_id: str, start: dt.datetime, state: ScopeCursor | None, *, zone: dt.tzinfo, now: dt.datetime
    ) -> list[Observation]:
        """New or newly ready transcripts, and recordings without one."""
        observations = []
        transcripts = self.client.list_transcripts(organizer_id, start)
        for transcript in transcripts:
            ready = True
            if self.settings.probe_readiness and not already_seen(state, transcript.id):
                ready = self.client.transcript_ready(transcript)
            observations.append(
                Observation(transcript.id, transcript.created_at, local_day(transcript.created_at, zone), ready)
            )
        if self.settings.include_recordings:
            # A recording without transcript is a meeting for speech-to-text: its day needs a run too.
            for recording in _without_transcript(self.client.list_recordings(organizer_id, start), transcripts):
                observations.append(
                    Observation(recording.id, recording.created_at, local_day(recording.created_at, zone))
                )
        return observations

    # --- helpers ---------------------------------------------------------------------------------

    def _meetings(self, organizer_id: str, meeting_ids: set[str]) -> dict[str, TeamsMeeting]:
        meetings = {}
        for meeting_id in sorted(meeting_ids):
            try:
                meetings[meeting_id] = self.client.get_meeting(organizer_id, meeting_id)
            except (NotFoundError, UnexpectedResponseError) as exc:
                # Expired or channel meetings have no readable onlineMeeting; the transcript still counts.
                logger.info("teams: no metadata for meeting %s: %s", meeting_id, exc.detail)
        return meetings

    def _untranscribed(
        self,
        day: dt.date,
        zone: dt.tzinfo,
        organizer_id: str,
        media: list[TeamsArtifact],
        transcripts: list[TeamsArtifact],
        meetings: dict[str, TeamsMeeting],
    ) -> list[UntranscribedRecording]:
        found = []
        for recording in _without_transcript(media, transcripts):
            if local_day(recording.created_at, zone) != day:
                continue
            meeting = meetings.get(recording.meeting_id)
            found.append(
                UntranscribedRecording(
                    source="teams",
                    meeting_id=remote_meeting_id("teams", day, recording.id),
                    source_id=recording.id,
                    partition_date=day,
                    title=_title(meeting, recording.created_at, zone),
                    started_at=recording.created_at,
                    organizer=meeting.organizer if meeting else organizer_id,
                    media="video",
                    file_extension="MP4",
                    download_url=recording.content_url or "",
                    chat_thread_id=meeting.chat_thread_id if meeting else None,
                )
            )
        return found


def _without_transcript(recordings: list[TeamsArtifact], transcripts: list[TeamsArtifact]) -> list[TeamsArtifact]:
    """Recordings no listed transcript belongs to (same correlation id, or same meeting when ids are missing)."""
    transcribed = {t.content_correlation_id for t in transcripts if t.content_correlation_id}
    transcribed_meetings = {t.meeting_id for t in transcripts}
    return [
        r
        for r in recordings
        if r.content_correlation_id not in transcribed
        and not (r.content_correlation_id is None and r.meeting_id in transcribed_meetings)
    ]


def _title(meeting: TeamsMeeting | None, started_at: dt.datetime, zone: dt.tzinfo) -> str:
    if meeting and meeting.subject:
        return meeting.subject
    return f"Teams meeting {started_at.astimezone(zone):%Y-%m-%d %H:%M}"
