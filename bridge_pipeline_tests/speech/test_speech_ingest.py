"""ingest_day turns recordings without transcript into ordinary meetings through speech-to-text, once per recording."""

from __future__ import annotations

import logging
from pathlib import Path

from bridge_fakes.openai_fake import DEFAULT_API_KEY
from bridge_fakes.teams_fake import fake_recording_bytes
from bridge_fakes.zoom_fake import fake_media_bytes
from bridge_pipeline import pipeline
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline_tests.speech.conftest import DAY, TEAMS_RECORDING_TITLE, ZOOM_AUDIO_TITLE, Line


def test_teams_recording_and_zoom_audio_only_meetings_come_out_with_utterances(line: Line):
    report = line.ingest(line.speech())
    parsed = pipeline.parse_day(DAY, line.store, line.blobs)

    meetings = {m.title: m for m in line.store.load_meetings(DAY)}
    transcripts = line.store.load_transcripts(DAY)
    ids = line.audio_meeting_ids()
    for title, source in ((TEAMS_RECORDING_TITLE, "teams"), (ZOOM_AUDIO_TITLE, "zoom")):
        meeting = meetings[title]
        assert (meeting.source, meeting.meeting_id) == (source, ids[source])
        utterances = transcripts[meeting.meeting_id].utterances
        assert [u.speaker for u in utterances] == ["Speaker A", "Speaker B"]
        assert utterances[1].text == "We agreed to send the summary by Friday."
    assert parsed.problems == [] and report.problems == []
    assert report.counts["transcribed_from_audio"] == 2
    assert report.counts["recordings_without_transcript"] == 0
    assert report.counts["media_downloads"] == line.media_downloads() == 2
    assert report.counts["speech_api_requests"] == line.transcription_calls() == 2


def test_the_transcription_service_gets_each_recordings_own_bytes_named_after_the_meeting(line: Line):
    line.ingest(line.speech())
    ids = line.audio_meeting_ids()
    uploads = {filename: size for filename, size, _ in line.openai.audio_uploads}
    assert uploads == {
        f"{ids['teams']}.mp4": len(fake_recording_bytes(line.teams_recording().recording_id)),
        f"{ids['zoom']}.m4a": len(fake_media_bytes(line.zoom_audio().file_id("audio"))),
    }


def test_a_second_ingest_reuses_the_stored_speech_transcripts_without_downloads_or_api_calls(line: Line):
    line.ingest(line.speech())
    before = {m.meeting_id: m for m in line.store.load_meetings(DAY) if m.meeting_id in line.audio_meeting_ids().values()}
    downloads, calls = line.media_downloads(), line.transcription_calls()

    again = line.ingest(line.speech())  # a fresh transcriber, as the next run would have
    parsed = pipeline.parse_day(DAY, line.store, line.blobs)

    assert (line.media_downloads(), line.transcription_calls()) == (downloads, calls) == (2, 2)
    assert again.counts["speech_reused"] == again.counts["transcribed_from_audio"] == 2
    assert again.counts["media_downloads"] == again.counts["speech_api_requests"] == 0
    after = {m.meeting_id: m for m in line.store.load_meetings(DAY)}
    for meeting_id, meeting in before.items():
        assert after[meeting_id].raw_blob_key == meeting.raw_blob_key
        assert after[meeting_id].content_sha256 == meeting.content_sha256
    transcripts = line.store.load_transcripts(DAY)
    assert all(len(transcripts[meeting_id].utterances) == 2 for meeting_id in before)
    assert parsed.problems == []


def test_without_the_earlier_rows_the_speech_cache_still_saves_the_api_calls(line: Line, tmp_path: Path):
    line.ingest(line.speech())
    fresh_store = PipelineStore(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    fresh_store.migrate()
    try:
        report = pipeline.ingest_day(
            DAY, [line.teams_source, line.zoom_source], fresh_store, line.blobs, "UTC", speech=line.speech()
        )
    finally:
        fresh_store.dispose()
    # Nothing in the new store to reuse: the media is fetched again, but the transcripts come from cache/stt.
    assert report.counts["media_downloads"] == 2 and line.media_downloads() == 4
    assert report.counts["speech_api_requests"] == 0 and line.transcription_calls() == 2
    assert report.counts["transcribed_from_audio"] == 2


def test_with_speech_off_nothing_is_downloaded_and_the_recordings_are_only_counted(line: Line):
    report = line.ingest(None)
    titles = {m.title for m in line.store.load_meetings(DAY)}
    assert line.media_downloads() == 0 and line.transcription_calls() == 0
    assert report.counts["recordings_without_transcript"] == 2
    assert report.counts["transcribed_from_audio"] == 0
    assert TEAMS_RECORDING_TITLE not in titles and ZOOM_AUDIO_TITLE not in titles
    assert "speech_api_requests" not in report.counts


def test_transcription_failing_past_its_budget_is_a_problem_of_that_meeting_and_the_day_goes_on(line: Line):
    line.openai.fail("audio.transcriptions", 500, payload={"error": {"message": "upstream down"}}, times=None)
    report = line.ingest(line.speech())
    parsed = pipeline.parse_day(DAY, line.store, line.blobs)

    ids = line.audio_meeting_ids()
    problems = {p.location: p.problem for p in report.problems}
    assert set(problems) == set(ids.values())
    assert all("speech-to-text failed" in text and "HTTP 500" in text and "3 attempt(s)" in text for text in problems.values())
    assert line.transcription_calls() == 6  # three attempts per recording, then it gives up
    stored = line.store.load_meetings(DAY)
    # One Teams transcript (the other is not ready on its first request) and three Zoom transcripts.
    assert sorted(m.source for m in stored) == ["teams", "zoom", "zoom", "zoom"]
    assert parsed.counts["transcripts"] == 4 and parsed.problems == []
    assert report.counts["recordings_without_transcript"] == 2 and report.counts["transcribed_from_audio"] == 0
    assert {p.location for p in line.store.load_problems(DAY, stage="raw_recordings")} == set(ids.values())


def test_a_media_download_that_fails_names_the_meeting_and_the_other_recording_is_still_transcribed(line: Line):
    line.graph.fail("recording_content", 404, payload={"error": {"code": "NotFound", "message": "gone"}})
    report = line.ingest(line.speech())
    ids = line.audio_meeting_ids()
    assert [p.location for p in report.problems] == [ids["teams"]]
    assert "downloading the MP4 recording of meeting" in report.problems[0].problem
    assert ids["zoom"] in {m.meeting_id for m in line.store.load_meetings(DAY)}
    assert report.counts["transcribed_from_audio"] == 1 and report.counts["recordings_without_transcript"] == 1


def test_a_refused_api_key_stops_speech_to_text_for_the_rest_of_the_day(line: Line):
    report = line.ingest(line.speech("sk-wrong-key-for-this-test-42"))
    ids = line.audio_meeting_ids()
    problems = {p.location: p.problem for p in report.problems}
    assert set(problems) == set(ids.values())
    assert "API key was refused" in problems[ids["teams"]]
    assert problems[ids["zoom"]] == f"not transcribed: speech-to-text is not configured correctly (see meeting {ids['teams']})"
    assert line.transcription_calls() == 1 and line.media_downloads() == 1


def test_no_secret_reaches_the_logs_the_stored_rows_or_the_blobs(line: Line, caplog, tmp_path: Path):
    caplog.set_level(logging.DEBUG)
    wrong_key = "sk-wrong-key-for-this-test-42"
    line.ingest(line.speech(wrong_key))  # the fake echoes a refused key in its error answer
    line.openai.fail("audio.transcriptions", 500, times=2)
    line.ingest(line.speech())
    pipeline.parse_day(DAY, line.store, line.blobs)
    line.store.dispose()

    secrets = [line.graph.client_secret, line.zoom.client_secret, DEFAULT_API_KEY, wrong_key]
    secrets += line.graph.access_tokens_issued() + line.zoom.access_tokens_issued()
    stored = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    assert len(line.store.load_meetings(DAY)) == 7  # two Teams and three Zoom transcripts, two from audio
    for secret in secrets:
        assert secret not in caplog.text
        assert secret.encode() not in stored
