import datetime as dt
import re

from bridge_pipeline.sources.base import RecordingSource
from bridge_pipeline.sources.zoom import ZoomSource

from bridge_pipeline_tests.http.fast_settings import FAST_HTTP

from .conftest import DAY, HOST, HOST_EMAIL, MORNING, UTC, meeting

NOON = dt.datetime(2026, 5, 14, 12, 0, tzinfo=UTC)


def test_zoom_source_is_a_recording_source(source):
    assert isinstance(source, RecordingSource)
    assert source.name == "zoom"


def test_recordings_carry_meeting_metadata_transcript_and_chat(zoom, source):
    seeded = zoom.add_meeting(meeting(MORNING, 2))
    scan = source.recordings_for_day(DAY, "UTC")
    [recording] = scan.recordings
    assert recording.source == "zoom"
    assert re.fullmatch(r"zoom-20260514-[0-9a-f]{12}", recording.meeting_id)
    assert recording.source_id == f"{seeded.uuid}/{seeded.file_id('transcript')}"
    assert recording.partition_date == DAY
    assert recording.transcript_format == "vtt"
    assert recording.title == "Northwind hosting: service levels"
    assert recording.started_at == MORNING
    assert recording.organizer == HOST_EMAIL
    assert recording.participants == ("Elena Sokolova", "Samir Haddad")
    assert recording.content.startswith(b"WEBVTT")
    [chat] = scan.chats
    assert chat.meeting_id == recording.meeting_id
    assert b"\tElena Sokolova:\t" in chat.content
    assert scan.problems == () and scan.not_ready == ()


def test_partition_date_follows_the_timezone(zoom, source):
    zoom.add_meeting(meeting(dt.datetime(2026, 5, 14, 2, 30, tzinfo=UTC)))
    assert source.recordings_for_day(DAY, "UTC").recordings != ()
    assert source.recordings_for_day(DAY, "America/New_York").recordings == ()  # 22:30 the day before there
    assert len(source.recordings_for_day(DAY - dt.timedelta(days=1), "America/New_York").recordings) == 1


def test_audio_only_recording_is_kept_for_speech_to_text_not_as_a_transcript(zoom, source):
    zoom.add_meeting(meeting(MORNING, vtt=None, chat=None, audio_only=True, topic="Phone bridge"))
    scan = source.recordings_for_day(DAY, "UTC")
    assert scan.recordings == ()
    [audio] = scan.untranscribed
    assert (audio.title, audio.media, audio.file_extension, audio.size_bytes) == ("Phone bridge", "audio", "M4A", 246_560)
    assert audio.download_url.startswith(zoom.base_url + "/rec/download/")


def test_a_meeting_whose_transcript_is_still_processing_is_not_ready(zoom, source):
    zoom.add_meeting(meeting(MORNING, transcript_status="processing"))
    scan = source.recordings_for_day(DAY, "UTC")
    assert scan.recordings == () and scan.problems == ()
    assert "processing" in scan.not_ready[0].reason


def test_a_meeting_with_no_transcript_yet_has_its_video_noted(zoom, source):
    zoom.add_meeting(meeting(MORNING, vtt=None, chat=None))
    scan = source.recordings_for_day(DAY, "UTC")
    assert scan.recordings == ()
    assert scan.untranscribed[0].media == "video"


def test_html_instead_of_one_transcript_is_that_meetings_problem(zoom, source):
    zoom.add_meeting(meeting(MORNING))
    zoom.add_meeting(meeting(MORNING + dt.timedelta(hours=2), 1, chat=None))
    zoom.html_for_downloads = 2  # the first download and its retry with a fresh token
    scan = source.recordings_for_day(DAY, "UTC")
    assert len(scan.recordings) == 1
    assert "HTML page" in scan.problems[0].problem


def test_users_are_listed_from_the_account_when_none_are_configured(zoom):
    zoom.add_user("second-user", "hannah.okafor@coastal.example")
    zoom.add_meeting(meeting(MORNING))
    zoom.add_meeting(meeting(MORNING, 1, host_id="second-user"))
    source = ZoomSource(zoom.source_settings(http=FAST_HTTP))
    assert len(source.recordings_for_day(DAY, "UTC").recordings) == 2
    assert len(zoom.requests_to("users")) == 1
    source.close()


def test_an_unknown_user_is_a_problem_naming_the_user(zoom):
    source = ZoomSource(zoom.source_settings(http=FAST_HTTP, user_ids=(HOST, "left.the.company@x.example")))
    zoom.add_meeting(meeting(MORNING))
    scan = source.recordings_for_day(DAY, "UTC")
    assert len(scan.recordings) == 1
    assert scan.problems[0].location == "zoom user left.the.company@x.example"
    assert "1001" in scan.problems[0].problem
    source.close()


# --- sensor support --------------------------------------------------------------------------------


def test_changes_since_reports_new_days_once(zoom, source):
    zoom.add_meeting(meeting(MORNING))
    first = source.changes_since(None, timezone="UTC", now=NOON)
    assert first.changed_days == (DAY,)
    assert source.changes_since(first.cursor, timezone="UTC", now=NOON + dt.timedelta(minutes=5)).changed_days == ()


def test_changes_since_finds_a_transcript_that_appears_hours_after_the_meeting(zoom, source):
    late = zoom.add_meeting(meeting(MORNING - dt.timedelta(hours=20), vtt=None, chat=None))
    first = source.changes_since(None, timezone="UTC", now=NOON)
    assert first.changed_days == (DAY - dt.timedelta(days=1),)  # its video, for speech-to-text
    late.vtt = "WEBVTT\r\n\r\n1\r\n00:00:01.000 --> 00:00:02.000\r\nMara Lindqvist: Hello.\r\n"
    later = source.changes_since(first.cursor, timezone="UTC", now=NOON + dt.timedelta(hours=6))
    assert later.changed_days == (DAY - dt.timedelta(days=1),)


def test_changes_since_waits_for_a_processing_transcript(zoom, source):
    seeded = zoom.add_meeting(meeting(MORNING, transcript_status="processing"))
    first = source.changes_since(None, timezone="UTC", now=NOON)
    assert first.changed_days == ()
    seeded.transcript_status = "completed"
    assert source.changes_since(first.cursor, timezone="UTC", now=NOON + dt.timedelta(hours=1)).changed_days == (DAY,)


def test_nothing_is_lost_or_duplicated_when_a_poll_fails_in_between(zoom, source):
    zoom.add_meeting(meeting(MORNING))
    first = source.changes_since(None, timezone="UTC", now=NOON)
    zoom.add_meeting(meeting(MORNING + dt.timedelta(hours=1), 1))
    zoom.fail("recordings", 200, payload={"oops": True})
    failed = source.changes_since(first.cursor, timezone="UTC", now=NOON + dt.timedelta(hours=1))
    assert failed.changed_days == () and failed.problems
    recovered = source.changes_since(failed.cursor, timezone="UTC", now=NOON + dt.timedelta(hours=2))
    assert recovered.changed_days == (DAY,)
    assert source.changes_since(recovered.cursor, timezone="UTC", now=NOON + dt.timedelta(hours=3)).changed_days == ()
