"""Recordings without a transcript become the same utterance records through /v1/audio/transcriptions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from bridge_fakes.openai_fake import DEFAULT_API_KEY, FakeOpenAIServer, SpokenSegment
from bridge_pipeline.extraction.llm.settings import LANGUAGE_MODEL_RETRY
from bridge_pipeline.models import UntranscribedRecording
from bridge_pipeline.parsing.transcripts import parse_transcript
from bridge_pipeline.speech.recordings import recording_from_audio
from bridge_pipeline.speech.transcribe import SpeechSettings, SpeechToText
from bridge_pipeline.storage.blobs import LocalBlobStore
from bridge_pipeline_tests.speech.audio import wav_bytes

PIECE_BYTES = 40_000


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(upload_limit_bytes=PIECE_BYTES) as server:
        server.transcription_segments = [
            SpokenSegment(0.0, 0.5, "Shall we go with the March date?", "A"),
            SpokenSegment(0.6, 1.2, "Yes, agreed.", "B"),
        ]
        yield server


def speech(fake, tmp_path=None, **overrides) -> SpeechToText:
    options = dict(api_key=DEFAULT_API_KEY, base_url=fake.api_base_url, piece_bytes=PIECE_BYTES,
                   retry=replace(LANGUAGE_MODEL_RETRY, max_attempts=3, budget_s=10, backoff_initial_s=0.01, backoff_max_s=0.05))
    options.update(overrides)
    blobs = LocalBlobStore(tmp_path / "blobs") if tmp_path is not None else None
    return SpeechToText(SpeechSettings(**options), blobs=blobs, sleep=lambda s: None)


def test_short_recording_gives_speaker_labelled_utterances(fake):
    result = speech(fake).transcribe("call-1", wav_bytes(1.0), "call.wav")
    utterances = result.transcript.utterances
    assert [(u.speaker, u.text) for u in utterances] == [
        ("Speaker A", "Shall we go with the March date?"),
        ("Speaker B", "Yes, agreed."),
    ]
    assert (utterances[1].start_s, utterances[1].end_s) == (0.6, 1.2)
    assert result.pieces == 1 and fake.calls("audio.transcriptions") == 1
    filename, size, fields = fake.audio_uploads[0]
    assert fields["model"] == "gpt-4o-transcribe-diarize" and fields["response_format"] == "diarized_json"


def test_long_recording_is_split_at_the_upload_limit_and_put_back_on_one_clock(fake):
    result = speech(fake).transcribe("call-2", wav_bytes(3.0), "call.wav")
    assert result.pieces == 3
    assert all(size <= PIECE_BYTES for _, size, _ in fake.audio_uploads)
    starts = [u.start_s for u in result.transcript.utterances]
    assert starts == [0.0, 0.6, 1.248, 1.848, 2.496, 3.096]
    # Labels restart in every request, so a piece's "A" is not assumed to be another piece's "A".
    assert result.transcript.utterances[2].speaker == "Speaker A (part 2)"
    assert [u.index for u in result.transcript.utterances] == list(range(6))


def test_whisper_segments_without_speakers_become_unknown(fake):
    result = speech(fake, model="whisper-1").transcribe("call-3", wav_bytes(1.0), "call.wav")
    assert {u.speaker for u in result.transcript.utterances} == {"Unknown"}
    assert fake.audio_uploads[0][2]["response_format"] == "verbose_json"
    assert json.loads(result.document)["language"] == "en"  # the model said "english"


def test_transcription_is_retried_after_a_server_error(fake):
    fake.fail("audio.transcriptions", 500)
    result = speech(fake).transcribe("call-4", wav_bytes(1.0), "call.wav")
    assert fake.calls("audio.transcriptions") == 2 and len(result.transcript.utterances) == 2


def test_same_audio_is_transcribed_once_when_a_blob_store_is_given(fake, tmp_path):
    audio = wav_bytes(1.0)
    first = speech(fake, tmp_path).transcribe("call-5", audio, "call.wav")
    second_engine = speech(fake, tmp_path)
    second = second_engine.transcribe("call-5", audio, "call.wav")
    assert fake.calls("audio.transcriptions") == 1
    assert second.transcript == first.transcript and second_engine.usage.cache_hits == 1


def test_untranscribed_recording_becomes_a_json_recording_the_parser_reads(fake):
    pending = UntranscribedRecording(
        source="zoom", meeting_id="zoom-8812", source_id="8812", partition_date=dt.date(2026, 5, 14),
        title="Audio-only call", started_at=None, organizer="ana@example.com", media="audio",
        file_extension="M4A", download_url="https://example.invalid/rec",
    )
    # WAV bytes stand in for the downloaded audio; the name only has to be under the limit to go whole.
    recording = recording_from_audio(pending, wav_bytes(1.0)[:PIECE_BYTES], speech(fake))
    assert recording.transcript_format == "json" and recording.filename.endswith(".json")
    assert fake.audio_uploads[0][0] == "zoom-8812.m4a"
    transcript = parse_transcript(recording.content, "json", meeting_id="zoom-8812", filename=recording.filename)
    assert transcript.utterances[1].text == "Yes, agreed."
    assert json.loads(recording.content)["utterances"][0]["speaker"] == "Speaker A"
