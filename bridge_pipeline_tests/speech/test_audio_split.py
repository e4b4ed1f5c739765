"""Audio over the upload limit is cut into complete files that fit, each knowing where it starts."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

import pytest

from bridge_pipeline.errors import BadInputError
from bridge_pipeline.speech import audio_split
from bridge_pipeline.speech.audio_split import split_audio
from bridge_pipeline_tests.speech.audio import MP3_FRAME_BYTES, MP3_FRAME_SECONDS, mp3_bytes, wav_bytes


def test_audio_under_the_limit_is_sent_whole():
    data = wav_bytes(0.5)
    (piece,) = split_audio(data, "call.wav", max_bytes=len(data))
    assert piece.data == data and piece.offset_s == 0.0 and piece.filename == "call.wav"


def test_wav_is_cut_into_valid_files_under_the_limit_with_exact_offsets():
    data = wav_bytes(3.0)
    pieces = split_audio(data, "call.wav", max_bytes=40_000)
    assert len(pieces) == 3
    frames = b""
    for piece in pieces:
        assert len(piece.data) <= 40_000
        with wave.open(io.BytesIO(piece.data)) as reader:
            assert (reader.getframerate(), reader.getnchannels(), reader.getsampwidth()) == (16000, 1, 2)
            frames += reader.readframes(reader.getnframes())
    with wave.open(io.BytesIO(data)) as original:
        assert frames == original.readframes(original.getnframes())
    assert [round(p.offset_s, 3) for p in pieces] == [0.0, 1.248, 2.496]
    assert [p.filename for p in pieces] == ["call.part001.wav", "call.part002.wav", "call.part003.wav"]


def test_mp3_is_cut_on_frame_boundaries():
    data = mp3_bytes(100)
    pieces = split_audio(data, "call.mp3", max_bytes=30 * MP3_FRAME_BYTES + 10)
    assert [len(p.data) // MP3_FRAME_BYTES for p in pieces] == [30, 30, 30, 10]
    assert all(p.data[:2] == b"\xff\xfb" and len(p.data) % MP3_FRAME_BYTES == 0 for p in pieces)
    assert pieces[1].offset_s == pytest.approx(30 * MP3_FRAME_SECONDS)
    assert pieces[3].offset_s == pytest.approx(90 * MP3_FRAME_SECONDS)


def test_mp3_without_frames_is_refused():
    with pytest.raises(BadInputError, match="no MPEG audio frames"):
        split_audio(b"\x00" * 5000, "noise.mp3", max_bytes=1000)


def test_other_formats_over_the_limit_need_ffmpeg(monkeypatch):
    monkeypatch.setattr(audio_split.shutil, "which", lambda name: None)
    with pytest.raises(BadInputError) as raised:
        split_audio(b"\x00" * 5000, "zoom_audio.m4a", max_bytes=1000)
    assert "zoom_audio.m4a" in str(raised.value) and "ffmpeg" in str(raised.value)


def test_empty_audio_is_refused():
    with pytest.raises(BadInputError, match="empty"):
        split_audio(b"", "call.wav")


@pytest.mark.skipif(shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None, reason="ffmpeg is not installed")
def test_m4a_is_cut_with_ffmpeg(tmp_path):
    source = tmp_path / "tone.m4a"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=12",
         "-c:a", "aac", "-b:a", "64k", str(source)],
        check=True,
    )
    data = source.read_bytes()
    pieces = split_audio(data, "tone.m4a", max_bytes=len(data) // 3)
    assert len(pieces) >= 3
    assert all(len(p.data) <= len(data) // 3 for p in pieces)
    assert pieces[0].offset_s == 0.0
    assert all(b.offset_s > a.offset_s for a, b in zip(pieces, pieces[1:]))
    assert pieces[-1].offset_s < 12.0
