"""Zoom-style WebVTT: numbered cues, `Name: text` bodies, CRLF, times from recording start."""

from __future__ import annotations

from bridge_pipeline_tests.parsing.helpers import parse, spoken, vtt_bytes


def test_zoom_vtt_splits_speaker_on_first_colon_space():
    transcript = parse(vtt_bytes("1\n00:04:57.140 --> 00:04:59.109\nAkash | ECH: Note: the fee is 10: final."))
    assert spoken(transcript) == [("Akash | ECH", 297.14, 299.109, "Note: the fee is 10: final.")]


def test_zoom_vtt_keeps_names_with_pipes_parentheses_and_handles_intact():
    transcript = parse(
        vtt_bytes(
            "1\n00:00:01.000 --> 00:00:02.000\nFLCL (Nethermind): hello",
            "2\n00:00:03.000 --> 00:00:04.000\nTomás Arjovsky | Lambda | Ethrex: hi",
            "3\n00:00:05.000 --> 00:00:06.000\nKarim T. (matkt): yes",
        )
    )
    assert [u.speaker for u in transcript.utterances] == [
        "FLCL (Nethermind)",
        "Tomás Arjovsky | Lambda | Ethrex",
        "Karim T. (matkt)",
    ]


def test_zoom_vtt_with_crlf_and_byte_order_mark_reads_like_lf():
    cues = ("1\n00:00:01.000 --> 00:00:02.500\nAna: one", "2\n00:00:03.000 --> 00:00:04.000\nBo: two")
    crlf = parse(b"\xef\xbb\xbf" + vtt_bytes(*cues, newline="\r\n"))
    lf = parse(vtt_bytes(*cues))
    assert spoken(crlf) == spoken(lf) == [("Ana", 1.0, 2.5, "one"), ("Bo", 3.0, 4.0, "two")]


def test_cue_without_name_prefix_is_attributed_to_unknown():
    transcript = parse(vtt_bytes("1\n00:00:01.000 --> 00:00:02.000\nso we are agreed then"))
    assert spoken(transcript) == [("Unknown", 1.0, 2.0, "so we are agreed then")]


def test_a_long_sentence_before_a_colon_is_not_taken_for_a_speaker_name():
    text = "The thing we all agreed on at the end of the last call was this: two years"
    transcript = parse(vtt_bytes(f"1\n00:00:01.000 --> 00:00:02.000\n{text}"))
    assert spoken(transcript) == [("Unknown", 1.0, 2.0, text)]


def test_utterances_are_indexed_from_zero_in_time_order_one_per_cue():
    transcript = parse(
        vtt_bytes(
            "1\n00:00:01.000 --> 00:00:02.000\nAna: first",
            "2\n00:00:02.000 --> 00:00:03.000\nAna: second",
            "3\n00:00:03.000 --> 00:00:04.000\nBo: third",
        )
    )
    assert [(u.index, u.text) for u in transcript.utterances] == [(0, "first"), (1, "second"), (2, "third")]
    assert transcript.meeting_id == "m-1"
    assert transcript.warnings == ()


def test_language_header_sets_the_transcript_language():
    transcript = parse(vtt_bytes("1\n00:00:01.000 --> 00:00:02.000\nAna: hallo", header="WEBVTT\nLanguage: DE"))
    assert transcript.language == "de"


def test_note_and_style_blocks_are_not_cues():
    transcript = parse(
        vtt_bytes(
            "NOTE exported by the meeting tool",
            "STYLE\n::cue { color: white }",
            "1\n00:00:01.000 --> 00:00:02.000\nAna: hi",
        )
    )
    assert spoken(transcript) == [("Ana", 1.0, 2.0, "hi")]
    assert transcript.warnings == ()
