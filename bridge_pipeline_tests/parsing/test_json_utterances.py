"""JSON transcripts: a list of utterances or an object with language and utterances or segments; errors name the item."""

from __future__ import annotations

import json

import pytest

from bridge_pipeline.errors import TranscriptParseError
from bridge_pipeline_tests.parsing.helpers import parse, spoken

ITEMS = [
    {"speaker": "Aino Virtanen", "start_s": 12.5, "end_s": 15, "text": "We sign the MoU."},
    {"speaker": None, "start_s": 16, "end_s": 17.25, "text": "  agreed  ", "confidence": 0.9},
]


def test_list_of_utterances_is_read_with_null_speaker_as_unknown():
    transcript = parse(json.dumps(ITEMS), "json")
    assert spoken(transcript) == [("Aino Virtanen", 12.5, 15.0, "We sign the MoU."), ("Unknown", 16.0, 17.25, "agreed")]
    assert transcript.language == "en"


def test_object_with_language_and_utterances_is_read():
    transcript = parse(json.dumps({"language": "FI", "utterances": ITEMS}), "json")
    assert transcript.language == "fi"
    assert len(transcript.utterances) == 2


def test_speech_to_text_segments_with_start_and_end_are_read():
    document = {
        "language": "en",
        "segments": [
            {"start": 1.2, "end": 3.4, "text": " We sign the MoU. ", "speaker": "SPEAKER_00", "words": []},
            {"start": 3.5, "end": 5, "text": "Agreed."},
        ],
    }
    transcript = parse(json.dumps(document), "json")
    assert spoken(transcript) == [("SPEAKER_00", 1.2, 3.4, "We sign the MoU."), ("Unknown", 3.5, 5.0, "Agreed.")]
    assert transcript.language == "en"


def test_a_list_of_segments_with_start_and_end_is_read():
    document = [{"start": 0, "end": 2.5, "text": "hello", "speaker": "SPEAKER_01"}]
    assert spoken(parse(json.dumps(document), "json")) == [("SPEAKER_01", 0.0, 2.5, "hello")]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"segments": [{"start": 0, "text": "hi"}]}, "segments[0] is missing key(s) 'end'"),
        ({"segments": [{"start": 0, "end": 1}]}, "segments[0] is missing key(s) 'text'"),
        ([{"start": 0, "end": "1.0", "text": "x"}], "[0].end must be a finite number of seconds, got string '1.0'"),
        ({"segments": [{"start": 0, "end": 1, "text": 5}]}, "segments[0].text must be a string, got number"),
        ({"segments": "none"}, "'segments' must be a list, got string"),
        # Mixing the two spellings is not guessed at: `start_s` asks for `end_s` (and a speaker).
        ([{"start_s": 0, "end": 1, "text": "x"}], "[0] is missing key(s) 'speaker', 'end_s'"),
        ([{"speaker": "A", "text": "x"}], "[0] is missing key(s) 'start_s', 'end_s' (or 'start', 'end')"),
    ],
)
def test_wrong_segments_are_refused_naming_the_item_and_key(document, expected):
    with pytest.raises(TranscriptParseError) as caught:
        parse(json.dumps(document), "json")
    assert caught.value.problem == expected


def test_reversed_segment_is_refused_naming_the_item_and_times():
    with pytest.raises(TranscriptParseError) as caught:
        parse(json.dumps({"segments": [{"start": 65, "end": 62.25, "text": "x"}]}), "json")
    assert caught.value.problem == "segments[0] ends before it starts: 00:01:05.000 --> 00:01:02.250"


def test_empty_segment_list_is_refused():
    with pytest.raises(TranscriptParseError, match="empty list of utterances"):
        parse('{"segments": []}', "json")


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([{"speaker": "A", "start_s": 0, "text": "hi"}], "[0] is missing key(s) 'end_s'"),
        (
            [ITEMS[0], {"speaker": "A", "start_s": 0, "end_s": "1", "text": "x"}],
            "[1].end_s must be a finite number of seconds, got string '1'",
        ),
        (
            {"utterances": [ITEMS[0], ITEMS[1], {"speaker": "A", "start_s": True, "end_s": 1, "text": "x"}]},
            "utterances[2].start_s must be a finite number of seconds, got boolean True",
        ),
        (
            {"utterances": [{"speaker": 7, "start_s": 0, "end_s": 1, "text": "x"}]},
            "utterances[0].speaker must be a string or null, got number",
        ),
        (
            {"utterances": [{"speaker": "A", "start_s": 0, "end_s": 1, "text": ["x"]}]},
            "utterances[0].text must be a string, got list",
        ),
        ({"utterances": ["hello"]}, "utterances[0] must be an object, got string"),
        ({"utterances": {"speaker": "A"}}, "'utterances' must be a list, got object"),
        ({"results": []}, "the top-level object has no 'utterances' or 'segments' key"),
        ({"language": 3, "utterances": ITEMS}, "'language' must be a non-empty string, got number"),
        (
            "just a string",
            "the top level must be a list of utterances or an object with 'utterances' or 'segments', got string",
        ),
    ],
)
def test_wrong_shapes_are_refused_naming_the_item_and_key(document, expected):
    with pytest.raises(TranscriptParseError) as caught:
        parse(json.dumps(document), "json")
    assert caught.value.problem == expected
    assert caught.value.location == "meeting.json"


def test_non_finite_times_are_refused():
    with pytest.raises(TranscriptParseError, match=r"\[0\].start_s must be a finite number"):
        parse('[{"speaker": "A", "start_s": NaN, "end_s": 1, "text": "x"}]', "json")


@pytest.mark.parametrize("cut_at", [30, 70, 100])
def test_json_cut_midway_is_refused_as_truncated(cut_at):
    content = json.dumps(ITEMS)[:cut_at]
    truncated = r"is not valid JSON: .* \(line 1, column \d+\); the file looks truncated"
    with pytest.raises(TranscriptParseError, match=truncated):
        parse(content, "json")


def test_broken_json_in_the_middle_is_refused_without_calling_it_truncated():
    with pytest.raises(TranscriptParseError) as caught:
        parse('[{"speaker": "A",, "start_s": 0}]', "json")
    assert "not valid JSON" in caught.value.problem and "truncated" not in caught.value.problem


def test_reversed_utterance_is_refused_naming_the_item_and_times():
    with pytest.raises(TranscriptParseError) as caught:
        parse(json.dumps([{"speaker": "A", "start_s": 65, "end_s": 62.25, "text": "x"}]), "json")
    assert caught.value.problem == "[0] ends before it starts: 00:01:05.000 --> 00:01:02.250"


def test_empty_utterance_list_is_refused():
    with pytest.raises(TranscriptParseError, match="empty list of utterances"):
        parse('{"language": "en", "utterances": []}', "json")


def test_empty_texts_are_skipped_with_a_warning():
    document = [ITEMS[0], {"speaker": "B", "start_s": 20, "end_s": 21, "text": "   "}]
    transcript = parse(json.dumps(document), "json")
    assert len(transcript.utterances) == 1
    assert transcript.warnings == ("skipped 1 cue(s) with no text: [1]",)
