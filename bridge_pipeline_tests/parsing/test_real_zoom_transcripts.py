"""Every real Zoom transcript in ../shared/data/zoom_meetings parses cleanly (skipped when the data is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
import webvtt
from webvtt.models import Timestamp

from bridge_pipeline.models import Transcript
from bridge_pipeline.parsing.decoding import decode_transcript_bytes
from bridge_pipeline.parsing.transcripts import parse_transcript
from bridge_pipeline.parsing.vtt_reader import read_vtt

ZOOM_MEETINGS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "zoom_meetings"
TRANSCRIPTS = sorted(ZOOM_MEETINGS.glob("*/transcript.vtt")) if ZOOM_MEETINGS.is_dir() else []

needs_data = pytest.mark.skipif(not TRANSCRIPTS, reason=f"real Zoom transcripts not found under {ZOOM_MEETINGS}")


def _ids(path: Path) -> str:
    return path.parent.name


@pytest.fixture(scope="module")
def parsed_real() -> dict[Path, Transcript]:
    return {
        path: parse_transcript(path.read_bytes(), "vtt", meeting_id=path.parent.name, filename=str(path))
        for path in TRANSCRIPTS
    }


@needs_data
@pytest.mark.parametrize("path", TRANSCRIPTS, ids=_ids)
def test_real_zoom_transcript_parses_with_named_speakers_in_time_order(path, parsed_real):
    transcript = parsed_real[path]
    assert transcript.meeting_id == path.parent.name
    utterances = transcript.utterances
    assert len(utterances) > 0
    assert [u.index for u in utterances] == list(range(len(utterances)))
    starts = [u.start_s for u in utterances]
    assert starts == sorted(starts)
    assert all(u.end_s >= u.start_s for u in utterances)
    assert all(u.text for u in utterances)
    # Zoom attributes every cue, so nothing should fall back to "Unknown".
    assert all(u.speaker != "Unknown" for u in utterances)


@needs_data
def test_real_zoom_speaker_names_with_pipes_and_parentheses_come_through_intact(parsed_real):
    speakers = {u.speaker for transcript in parsed_real.values() for u in transcript.utterances}
    piped = {s for s in speakers if "|" in s}
    bracketed = {s for s in speakers if "(" in s}
    assert piped and bracketed
    # The raw cue lines hold exactly these names before the first ": ".
    raw_names = set()
    for path in TRANSCRIPTS:
        for cue in read_vtt(decode_transcript_bytes(path.read_bytes(), path.name).text, path.name).cues:
            raw_names.add(cue.body_lines[0].split(": ", 1)[0].strip())
    assert piped | bracketed <= raw_names


@needs_data
def test_our_vtt_reader_matches_webvtt_py_on_every_real_file():
    for path in TRANSCRIPTS:
        text = decode_transcript_bytes(path.read_bytes(), path.name).text
        ours = read_vtt(text, path.name).cues
        reference = webvtt.from_string(text, strict=True).captions
        assert len(ours) == len(reference), path.parent.name
        for cue, caption in zip(ours, reference):
            assert cue.identifier == caption.identifier
            assert round(cue.start_s * 1000) == _milliseconds(caption.start_time)
            assert round(cue.end_s * 1000) == _milliseconds(caption.end_time)
            assert list(cue.body_lines) == caption.lines


@needs_data
def test_every_real_zoom_transcript_yields_utterances_in_time_order():
    # How fast this goes is printed by bench/bench_stages.py, not asserted here.
    for path in TRANSCRIPTS:
        transcript = parse_transcript(path.read_bytes(), "vtt", meeting_id="m", filename="t.vtt")
        starts = [u.start_s for u in transcript.utterances]
        assert starts and starts == sorted(starts), path.parent.name


def _milliseconds(timestamp: Timestamp) -> int:
    hours, minutes, seconds, milliseconds = timestamp.to_tuple()
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + milliseconds
