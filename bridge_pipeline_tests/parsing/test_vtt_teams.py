"""Teams-style WebVTT: GUID cue ids, `<v Name>` voice spans, unpadded times, settings, entities, metadataContent."""

from __future__ import annotations

import json

from bridge_pipeline_tests.parsing.helpers import parse, spoken, vtt_bytes


def test_microsoft_doc_sample_with_unpadded_timestamps_is_read():
    transcript = parse(vtt_bytes("0:0:0.0 --> 0:0:5.320\n<v User Name>This is a transcript test.</v>"))
    assert spoken(transcript) == [("User Name", 0.0, 5.32, "This is a transcript test.")]


def test_teams_guid_cue_ids_cue_settings_and_multiline_voice_spans_are_read():
    transcript = parse(
        vtt_bytes(
            "91b3f3c3-44c6-4a8b-8c0a-add105d816bd/32-0\n"
            "00:01:02.500 --> 00:01:06.000 align:start position:0%\n"
            "<v Grace Okafor>We accept the thirty day\npayment term.</v>",
            "91b3f3c3-44c6-4a8b-8c0a-add105d816bd/33-0\n00:01:07.000 --> 00:01:08.000\n<v Oliver Bennett>Agreed.</v>",
        ),
        "vtt",
    )
    assert spoken(transcript) == [
        ("Grace Okafor", 62.5, 66.0, "We accept the thirty day payment term."),
        ("Oliver Bennett", 67.0, 68.0, "Agreed."),
    ]


def test_voice_span_without_closing_tag_and_with_class_is_read():
    transcript = parse(vtt_bytes("00:00:01.000 --> 00:00:02.000\n<v.loud Zofia Kowalczyk (Nordlicht)>Yes, signed"))
    assert spoken(transcript) == [("Zofia Kowalczyk (Nordlicht)", 1.0, 2.0, "Yes, signed")]


def test_html_entities_and_inline_tags_are_decoded_in_text_and_speaker():
    transcript = parse(
        vtt_bytes("00:00:01.000 --> 00:00:02.000\n<v Smith &amp; Sons>Fees &lt; <b>10%</b> &amp; net 30</v>")
    )
    assert spoken(transcript) == [("Smith & Sons", 1.0, 2.0, "Fees < 10% & net 30")]


def test_metadata_content_cues_give_speaker_text_and_language():
    body = {
        "startDateTime": "2023-03-08T08:22:30.0461639+00:00",
        "endDateTime": "2023-03-08T08:22:33.0461639+00:00",
        "speakerName": "User Name",
        "spokenText": "This is a transcription test.",
        "spokenLanguage": "en-us",
    }
    transcript = parse(vtt_bytes(f"00:00:00.046 --> 00:00:03.046\n{json.dumps(body)}"))
    assert spoken(transcript) == [("User Name", 0.046, 3.046, "This is a transcription test.")]
    assert transcript.language == "en-us"


def test_speaker_named_in_the_cue_identifier_is_used_when_the_text_has_none():
    transcript = parse(vtt_bytes('12 "Jane Roe" (1063281152)\n00:00:03.000 --> 00:00:04.000\nwe agree'))
    assert spoken(transcript) == [("Jane Roe", 3.0, 4.0, "we agree")]


def test_negative_offsets_are_clamped_to_zero_with_a_warning():
    transcript = parse(
        vtt_bytes("-0:0:1.500 --> 0:0:2.0\n<v Ana>started early</v>", "0:0:3.0 --> 0:0:4.0\n<v Bo>then</v>")
    )
    assert spoken(transcript) == [("Ana", 0.0, 2.0, "started early"), ("Bo", 3.0, 4.0, "then")]
    assert len(transcript.warnings) == 1
    assert "negative offsets" in transcript.warnings[0] and "clamped to 0 s" in transcript.warnings[0]


def test_timing_line_right_after_text_without_a_blank_line_starts_a_new_cue():
    content = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>one\n00:00:03.000 --> 00:00:04.000\n<v Bo>two\n"
    assert spoken(parse(content)) == [("Ana", 1.0, 2.0, "one"), ("Bo", 3.0, 4.0, "two")]
