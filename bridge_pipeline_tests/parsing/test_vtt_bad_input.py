"""WebVTT that cannot be used is refused with the cue and times named; repairable problems become warnings."""

from __future__ import annotations

import pytest

from bridge_pipeline.errors import TranscriptParseError
from bridge_pipeline_tests.parsing.helpers import parse, spoken, vtt_bytes


def test_file_cut_in_the_middle_of_a_timing_line_is_refused_as_truncated():
    content = b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAna: hi\n\n2\n00:00:03.000 --> 00:0"
    with pytest.raises(TranscriptParseError) as caught:
        parse(content)
    assert caught.value.location == "meeting.vtt"
    assert "line 8: cue '2' has an unreadable timing line '00:00:03.000 --> 00:0'" in caught.value.problem
    assert "truncated" in caught.value.problem


def test_file_cut_right_after_a_cue_id_is_refused_as_truncated():
    content = b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAna: hi\n\n2\n"
    with pytest.raises(TranscriptParseError, match=r"line 7: the file ends with '2' and no timing line.*truncated"):
        parse(content)


def test_unreadable_timing_line_in_the_middle_is_refused_naming_the_line():
    content = vtt_bytes(
        "1\n00:00:01.000 --> 00:00:02.000\nAna: hi",
        "2\n00:00:03 --> 00:00:04\nBo: yo",
        "3\n00:00:05.000 --> 00:00:06.000\nAna: ok",
    )
    with pytest.raises(TranscriptParseError, match=r"line 8: cue '2' has an unreadable timing line") as caught:
        parse(content)
    assert "truncated" not in caught.value.problem


def test_cue_that_ends_before_it_starts_is_refused_naming_the_cue_and_times():
    content = vtt_bytes("1\n00:00:01.000 --> 00:00:02.000\nAna: hi", "2\n00:01:05.000 --> 00:01:02.250\nBo: yo")
    with pytest.raises(TranscriptParseError) as caught:
        parse(content)
    assert caught.value.problem == "cue '2' (line 8) ends before it starts: 00:01:05.000 --> 00:01:02.250"


def test_cues_out_of_order_are_sorted_by_start_with_a_warning():
    transcript = parse(
        vtt_bytes(
            "1\n00:00:05.000 --> 00:00:06.000\nAna: second",
            "2\n00:00:01.000 --> 00:00:02.000\nBo: first",
            "3\n00:00:07.000 --> 00:00:08.000\nAna: third",
        )
    )
    assert [(u.index, u.text) for u in transcript.utterances] == [(0, "first"), (1, "second"), (2, "third")]
    assert transcript.warnings == ("1 cue(s) were out of time order; sorted by start time",)


def test_overlapping_cues_are_kept_and_counted_in_a_warning():
    transcript = parse(
        vtt_bytes(
            "1\n00:00:01.000 --> 00:00:05.000\nAna: I think we should",
            "2\n00:00:02.000 --> 00:00:03.000\nBo: yes",
            "3\n00:00:04.000 --> 00:00:06.000\nCy: agreed",
            "4\n00:00:07.000 --> 00:00:08.000\nAna: good",
        )
    )
    assert len(transcript.utterances) == 4
    assert transcript.warnings == ("2 cue(s) overlap an earlier cue (crosstalk); kept as they are",)


def test_empty_cues_are_skipped_and_counted_not_dropped_silently():
    transcript = parse(
        vtt_bytes(
            "1\n00:00:01.000 --> 00:00:02.000\nAna: hi",
            "2\n00:00:03.000 --> 00:00:04.000",
            "3\n00:00:05.000 --> 00:00:06.000\n<v Bo></v>",
            "4\n00:00:07.000 --> 00:00:08.000\nBo: bye",
        )
    )
    assert [u.text for u in transcript.utterances] == ["hi", "bye"]
    assert [u.index for u in transcript.utterances] == [0, 1]
    assert transcript.warnings == ("skipped 2 cue(s) with no text: cue '2' (line 8), cue '3' (line 11)",)


def test_header_only_file_is_refused_for_having_no_cues():
    with pytest.raises(TranscriptParseError, match="WEBVTT header but no cues"):
        parse(b"WEBVTT\n\nNOTE nothing was recorded\n")


def test_file_whose_cues_are_all_empty_is_refused():
    with pytest.raises(TranscriptParseError, match="all 2 cue"):
        parse(vtt_bytes("00:00:01.000 --> 00:00:02.000", "00:00:03.000 --> 00:00:04.000\n   "))


def test_file_without_webvtt_header_is_refused():
    with pytest.raises(TranscriptParseError, match="does not start with the 'WEBVTT' header"):
        parse(b"1\n00:00:01,000 --> 00:00:02,000\nAna: this is SRT\n")


def test_text_block_without_timing_in_the_middle_is_skipped_with_a_warning():
    transcript = parse(
        vtt_bytes(
            "1\n00:00:01.000 --> 00:00:02.000\nAna: hi",
            "stray words\nmore stray words",
            "2\n00:00:03.000 --> 00:00:04.000\nBo: yo",
        )
    )
    assert spoken(transcript) == [("Ana", 1.0, 2.0, "hi"), ("Bo", 3.0, 4.0, "yo")]
    assert transcript.warnings == ("ignored 1 block(s) with no timing line (starting at line 7)",)
