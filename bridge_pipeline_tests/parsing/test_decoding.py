"""Bytes that are not usable text are refused with the reason and the offset; usable encodings are read."""

from __future__ import annotations

import codecs

import pytest

from bridge_pipeline.errors import TranscriptParseError
from bridge_pipeline.parsing.decoding import decode_transcript_bytes
from bridge_pipeline_tests.parsing.helpers import parse, spoken, vtt_bytes

ONE_CUE = "1\n00:00:01.000 --> 00:00:02.000\nJosé Muñoz: Einverstanden, Grüße"


def test_empty_file_is_refused_as_empty():
    with pytest.raises(TranscriptParseError, match=r"empty \(0 bytes\)") as caught:
        parse(b"")
    assert caught.value.location == "meeting.vtt"


@pytest.mark.parametrize("content", [b"   \n\t\r\n  ", b"\xef\xbb\xbf \n"])
def test_whitespace_only_file_is_refused(content):
    with pytest.raises(TranscriptParseError, match="only whitespace"):
        parse(content)


def test_binary_file_is_refused_naming_the_first_nul_byte_offset():
    png_start = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    with pytest.raises(TranscriptParseError, match=r"NUL byte at byte offset 8.*binary"):
        parse(png_start)


def test_latin1_file_is_refused_naming_the_byte_offset_that_is_not_utf8():
    content = vtt_bytes(ONE_CUE).decode("utf-8").encode("latin-1")
    offset = content.index("é".encode("latin-1"))
    with pytest.raises(TranscriptParseError, match=rf"not valid UTF-8: byte offset {offset} \(bytes e9"):
        parse(content)


def test_utf8_with_byte_order_mark_is_read():
    transcript = parse(codecs.BOM_UTF8 + vtt_bytes(ONE_CUE))
    assert spoken(transcript) == [("José Muñoz", 1.0, 2.0, "Einverstanden, Grüße")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_byte_order_mark_is_read(encoding):
    text = vtt_bytes(ONE_CUE).decode("utf-8")
    content = text.encode(encoding)
    if encoding == "utf-16-be":
        content = codecs.BOM_UTF16_BE + content
    assert spoken(parse(content)) == [("José Muñoz", 1.0, 2.0, "Einverstanden, Grüße")]


def test_utf16_without_byte_order_mark_is_refused_as_binary():
    content = vtt_bytes(ONE_CUE).decode("utf-8").encode("utf-16-le")
    with pytest.raises(TranscriptParseError, match="NUL byte at byte offset 1"):
        parse(content)


def test_utf16_cut_in_half_a_character_is_refused_as_truncated():
    content = codecs.BOM_UTF16_LE + "WEBVTT".encode("utf-16-le") + b"\x00"
    with pytest.raises(TranscriptParseError, match="not valid UTF-16 at byte offset 14"):
        parse(content)


def test_a_stray_control_character_is_replaced_and_warned_about():
    decoded = decode_transcript_bytes(b"Ana: we agree\x0b on the fee\n", "notes.txt")
    assert decoded.text == "Ana: we agree  on the fee\n"
    assert decoded.warnings == ("replaced 1 stray control character(s) with spaces",)


def test_text_full_of_control_characters_is_refused_as_binary():
    with pytest.raises(TranscriptParseError, match="control characters: this looks like a binary file"):
        decode_transcript_bytes(b"WEBVTT\n" + bytes(range(1, 9)) * 20, "x.vtt")
