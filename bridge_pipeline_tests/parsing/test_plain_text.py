"""Plain-text transcripts: `Name: text` lines, optional timestamps, continuation lines, estimated times."""

from __future__ import annotations

import pytest

from bridge_pipeline.errors import TranscriptParseError
from bridge_pipeline_tests.parsing.helpers import parse, spoken


def test_timestamped_lines_start_at_their_stamp_and_end_where_the_next_starts():
    transcript = parse("[00:00:05] Ana: we agree on two years\n[00:00:09] Bo: fine\n00:01:10 Ana: done\n", "txt")
    assert spoken(transcript)[:2] == [("Ana", 5.0, 9.0, "we agree on two years"), ("Bo", 9.0, 70.0, "fine")]
    last = transcript.utterances[2]
    assert (last.speaker, last.start_s, last.text) == ("Ana", 70.0, "done")
    assert last.end_s > last.start_s
    assert transcript.warnings == ()


def test_lines_without_a_name_continue_the_previous_utterance():
    transcript = parse("[00:00:01] Ana: the fee is\n48,000 euros\n\nper year\n[00:00:09] Bo: ok\n", "txt")
    assert spoken(transcript)[0] == ("Ana", 1.0, 9.0, "the fee is 48,000 euros per year")
    assert len(transcript.utterances) == 2


def test_without_timestamps_times_are_estimated_from_word_counts_with_a_warning():
    # 150 words per minute: 10 words take 4 s; anything shorter still lasts 1 s.
    ten_words = "one two three four five six seven eight nine ten"
    transcript = parse(f"Ana: {ten_words}\nBo: yes\nAna: good\n", "txt")
    assert spoken(transcript) == [("Ana", 0.0, 4.0, ten_words), ("Bo", 4.0, 5.0, "yes"), ("Ana", 5.0, 6.0, "good")]
    assert len(transcript.warnings) == 1
    assert "no timestamps" in transcript.warnings[0] and "estimated" in transcript.warnings[0]


def test_some_lines_without_timestamps_are_estimated_and_counted():
    transcript = parse("[00:01:00] Ana: hello there\nBo: hi\n[00:02:00] Ana: bye\n", "txt")
    # "hello there" is 2 words, estimated at 1 s, so Bo follows at 61 s.
    assert [(u.speaker, u.start_s) for u in transcript.utterances] == [("Ana", 60.0), ("Bo", 61.0), ("Ana", 120.0)]
    assert transcript.warnings == (
        "1 of 3 utterance(s) have no timestamp; their times are estimated from word counts at 150 words per minute",
    )


def test_bracketed_minutes_and_fractions_and_dash_separators_are_read():
    transcript = parse("[01:05] Ana: one\n[1:10.5] - Bo: two\n01:00:00.250 Cy: three\n", "txt")
    assert [(u.speaker, u.start_s) for u in transcript.utterances] == [("Ana", 65.0), ("Bo", 70.5), ("Cy", 3600.25)]


def test_text_before_the_first_named_line_belongs_to_unknown():
    transcript = parse("recording started\nAna: hello\n", "txt")
    assert [(u.speaker, u.text) for u in transcript.utterances] == [("Unknown", "recording started"), ("Ana", "hello")]


def test_a_clock_time_inside_speech_is_not_read_as_a_timestamp():
    transcript = parse("Ana: we meet at\n10:30 on Friday\n", "txt")
    assert spoken(transcript)[0][3] == "we meet at 10:30 on Friday"


def test_txt_file_holding_webvtt_is_read_as_webvtt_with_a_warning():
    transcript = parse("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAna: hi\n", "txt")
    assert spoken(transcript) == [("Ana", 1.0, 2.0, "hi")]
    assert transcript.warnings == ("the .txt file is WebVTT; it was read as WebVTT",)


def test_stamps_going_backwards_are_sorted_with_a_warning():
    transcript = parse("[00:00:09] Bo: later\n[00:00:01] Ana: earlier\n", "txt")
    assert [u.text for u in transcript.utterances] == ["earlier", "later"]
    assert "out of time order" in transcript.warnings[0]


def test_whitespace_only_text_file_is_refused():
    with pytest.raises(TranscriptParseError, match="only whitespace"):
        parse("\n\n   \n", "txt")
