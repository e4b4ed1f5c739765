import datetime as dt
import re

from bridge_pipeline.sources.base import RecordingSource
from bridge_pipeline.sources.cursor import PollCursor
from bridge_pipeline.sources.teams import GraphSource

from bridge_pipeline_tests.http.fast_settings import FAST_HTTP, http_with

from .conftest import DAY, MORNING, ORGANIZER_A, ORGANIZER_B, UTC, meeting


def test_graph_source_is_a_recording_source(source):
    assert isinstance(source, RecordingSource)
    assert source.name == "teams"


def test_recordings_carry_meeting_metadata_and_vtt_content(graph, source):
    seeded = graph.add_meeting(meeting(ORGANIZER_A, MORNING, 1))
    scan = source.recordings_for_day(DAY, "UTC")
    [recording] = scan.recordings
    assert recording.source == "teams"
    assert re.fullmatch(r"teams-20260514-[0-9a-f]{12}", recording.meeting_id)
    assert recording.source_id == seeded.transcript_id
    assert recording.partition_date == DAY
    assert recording.filename == f"{recording.meeting_id}.vtt"
    assert recording.transcript_format == "vtt"
    assert recording.title == "Harbor Analytics pilot: statement of work"
    assert recording.started_at == MORNING + dt.timedelta(minutes=1)
    assert recording.organizer == "mara.lindqvist@brightwater.example"
    assert recording.participants == ("mara.lindqvist@brightwater.example", "Tobias Renner")
    assert recording.content.startswith(b"WEBVTT")
    assert scan.problems == () and scan.not_ready == () and scan.untranscribed == ()


def test_meeting_ids_are_stable_between_scans(graph, source):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    first = source.recordings_for_day(DAY, "UTC").recordings[0].meeting_id
    graph.add_meeting(meeting(ORGANIZER_A, MORNING + dt.timedelta(hours=1), 2))
    assert first in {r.meeting_id for r in source.recordings_for_day(DAY, "UTC").recordings}


def test_partition_date_is_the_meeting_day_in_the_given_timezone(graph, source):
    graph.add_meeting(meeting(ORGANIZER_A, dt.datetime(2026, 5, 13, 22, 30, tzinfo=UTC)))
    assert len(source.recordings_for_day(DAY, "Europe/Berlin").recordings) == 1  # 00:31 in Berlin
    assert source.recordings_for_day(DAY, "UTC").recordings == ()
    assert len(source.recordings_for_day(DAY - dt.timedelta(days=1), "UTC").recordings) == 1


def test_not_ready_transcript_is_reported_as_such_and_not_as_a_problem(graph, source):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING, not_ready_polls=1))
    graph.add_meeting(meeting(ORGANIZER_A, MORNING + dt.timedelta(hours=1), 2))
    scan = source.recordings_for_day(DAY, "UTC")
    assert len(scan.recordings) == 1
    assert scan.problems == ()
    [pending] = scan.not_ready
    assert "not available yet" in pending.reason
    # The next run of the day finds it.
    again = source.recordings_for_day(DAY, "UTC")
    assert pending.meeting_id in {r.meeting_id for r in again.recordings}


def test_a_recorded_meeting_without_transcript_is_kept_for_speech_to_text(graph, source):
    seeded = graph.add_meeting(meeting(ORGANIZER_A, MORNING, vtt=None, subject="Recorded only"))
    scan = source.recordings_for_day(DAY, "UTC")
    assert scan.recordings == ()
    [media] = scan.untranscribed
    assert (media.title, media.media, media.file_extension) == ("Recorded only", "video", "MP4")
    assert "/recordings/" in media.download_url
    # Its summary can still go to the meeting chat once speech-to-text has made it a meeting.
    assert media.chat_thread_id == seeded.chat_thread_id


def test_one_forbidden_organizer_is_a_problem_and_the_others_are_still_read(graph):
    graph.add_organizer(ORGANIZER_B, "priya.natarajan@harbor.example")
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    graph.add_meeting(meeting(ORGANIZER_B, MORNING, 1))
    graph.forbid_organizer(ORGANIZER_B, "no_access_policy")
    source = GraphSource(graph.source_settings(http=FAST_HTTP))
    scan = source.recordings_for_day(DAY, "UTC")
    assert [r.title for r in scan.recordings] == [meeting(ORGANIZER_A, MORNING).subject]
    [problem] = scan.problems
    assert problem.location == f"teams organizer {ORGANIZER_B}"
    assert "application access policy" in problem.problem
    source.close()


def test_a_page_without_value_is_a_problem_of_that_organizer(graph, source):
    graph.fail("transcripts", 200, payload={"@odata.context": "x"})
    scan = source.recordings_for_day(DAY, "UTC")
    assert "no 'value' list" in scan.problems[0].problem


def test_html_instead_of_a_transcript_is_a_problem_of_that_meeting_only(graph, source):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    graph.add_meeting(meeting(ORGANIZER_A, MORNING + dt.timedelta(hours=1), 1))
    graph.fail("content", 200, body=b"<html><body>Please sign in</body></html>", content_type="text/html")
    scan = source.recordings_for_day(DAY, "UTC")
    assert len(scan.recordings) == 1
    assert "HTML page" in scan.problems[0].problem
    assert scan.problems[0].location.startswith("teams-20260514-")


# --- sensor support --------------------------------------------------------------------------------


NOON = dt.datetime(2026, 5, 14, 12, 0, tzinfo=UTC)


def test_changes_since_reports_new_days_once(graph, source):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    first = source.changes_since(None, timezone="UTC", now=NOON)
    assert first.changed_days == (DAY,)
    second = source.changes_since(first.cursor.to_json(), timezone="UTC", now=NOON + dt.timedelta(minutes=5))
    assert second.changed_days == ()


def test_changes_since_finds_a_transcript_that_arrives_late(graph, source):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    first = source.changes_since(None, timezone="UTC", now=NOON)
    # Created during yesterday's meeting, listed by Graph only now.
    graph.add_meeting(meeting(ORGANIZER_A, MORNING - dt.timedelta(hours=20), 3))
    later = source.changes_since(first.cursor, timezone="UTC", now=NOON + dt.timedelta(hours=2))
    assert later.changed_days == (DAY - dt.timedelta(days=1),)


def test_changes_since_waits_for_a_transcript_whose_content_is_not_ready(graph, source):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING, not_ready_polls=1))
    first = source.changes_since(None, timezone="UTC", now=NOON)
    assert first.changed_days == ()
    second = source.changes_since(first.cursor, timezone="UTC", now=NOON + dt.timedelta(minutes=10))
    assert second.changed_days == (DAY,)
    probes = len(graph.requests_to("content"))
    source.changes_since(second.cursor, timezone="UTC", now=NOON + dt.timedelta(minutes=20))
    assert len(graph.requests_to("content")) == probes  # seen transcripts are not probed again


def test_changes_since_keeps_a_forbidden_organizers_place_until_access_is_granted(graph):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    graph.forbid_organizer(ORGANIZER_A, "transcripts_disabled")
    source = GraphSource(graph.source_settings(http=FAST_HTTP))
    blocked = source.changes_since(None, timezone="UTC", now=NOON)
    assert blocked.changed_days == ()
    assert "GraphAccessToTranscriptsDisabled" in blocked.problems[0]
    graph.organizer_errors.clear()
    # Three days later the meeting is far outside a fresh look-back window, yet still found.
    granted = source.changes_since(blocked.cursor, timezone="UTC", now=NOON + dt.timedelta(days=3))
    assert granted.changed_days == (DAY,)
    source.close()


def test_cursor_of_changes_since_is_a_string_dagster_can_store(graph, source):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    text = source.changes_since(None, timezone="UTC", now=NOON).cursor.to_json()
    assert isinstance(text, str) and len(text) < 1000
    assert PollCursor.from_json(text).scopes[ORGANIZER_A].listed_until == NOON


def test_scan_of_a_quiet_day_makes_few_requests(graph):
    source = GraphSource(graph.source_settings(http=http_with(), include_recordings=False))
    assert source.recordings_for_day(DAY, "UTC").recordings == ()
    assert [r.route for r in graph.requests] == ["token", "transcripts"]
    source.close()


def test_recordings_carry_the_meeting_chat_thread_for_later_summaries(graph, source):
    seeded = graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    [recording] = source.recordings_for_day(DAY, "UTC").recordings
    assert recording.chat_thread_id == seeded.chat_thread_id
    assert re.fullmatch(r"19:meeting_[0-9a-f]{32}@thread\.v2", recording.chat_thread_id)


def test_a_meeting_without_chat_info_gives_a_recording_without_chat_thread(graph, source):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    graph.fail("meeting", 404, payload={"error": {"code": "NotFound", "message": "expired"}}, times=None)
    [recording] = source.recordings_for_day(DAY, "UTC").recordings
    assert recording.chat_thread_id is None
    assert recording.organizer == ORGANIZER_A  # no onlineMeeting: the organizer id stands in
