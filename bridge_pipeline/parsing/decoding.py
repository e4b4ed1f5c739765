"""Turns a transcript file's bytes into text, refusing binary and mis-encoded files with a precise reason.

Encoding policy:
- UTF-8, with or without a byte-order mark, is the normal case (Zoom, Teams and most editors).
- UTF-16 is accepted only with a byte-order mark (Windows tools write it that way); without one there
  is no reliable way to tell it from binary data.
- Anything else is refused and the error names the first byte offset that is not valid UTF-8. We do not
  guess a legacy code page: a silently mangled party name in a contract is worse than a clear error the
  operator fixes by re-saving the file as UTF-8.
- NUL bytes mean a binary (or BOM-less UTF-16) file and are refused with their offset.
- Other stray control characters (form feeds, vertical tabs from copy-paste) are replaced by spaces with
  a warning, unless there are so many that the file is evidently not text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from bridge_pipeline.errors import TranscriptParseError

# More control characters than this share of the text means binary data, not a stray paste.
_MAX_CONTROL_SHARE = 0.01
_STRAY_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class DecodedText:
    text: str
    warnings: tuple[str, ...] = ()


def decode_transcript_bytes(content: bytes, filename: str) -> DecodedText:
    """Decode per the module policy; raise TranscriptParseError naming the file and what is wrong."""
    if not content:
        raise TranscriptParseError(location=filename, problem="file is empty (0 bytes)")

    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_utf16_with_bom(content, filename)
    else:
        nul_at = content.find(b"\x00")
        if nul_at != -1:
            raise TranscriptParseError(
                location=filename,
                problem=f"contains a NUL byte at byte offset {nul_at}: this is a binary file, not a text "
                "transcript (UTF-16 text is accepted only with a byte-order mark)",
            )
        text = _decode_utf8(content, filename)

    if "\x00" in text:
        raise TranscriptParseError(
            location=filename, problem="contains NUL characters: this is a binary file, not a text transcript"
        )
    if not text.strip():
        raise TranscriptParseError(location=filename, problem="file contains only whitespace")

    warnings: tuple[str, ...] = ()
    stray = _STRAY_CONTROLS.findall(text)
    if stray:
        if len(stray) > max(3, len(text) * _MAX_CONTROL_SHARE):
            raise TranscriptParseError(
                location=filename,
                problem=f"contains {len(stray)} control characters: this looks like a binary file, "
                "not a text transcript",
            )
        text = _STRAY_CONTROLS.sub(" ", text)
        warnings = (f"replaced {len(stray)} stray control character(s) with spaces",)
    return DecodedText(text=text, warnings=warnings)


def _decode_utf8(content: bytes, filename: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = content[exc.start : min(exc.end, exc.start + 4)]
        raise TranscriptParseError(
            location=filename,
            problem=f"is not valid UTF-8: byte offset {exc.start} (bytes {bad.hex(' ')}) cannot be decoded; "
            "re-save the file as UTF-8",
        ) from exc


def _decode_utf16_with_bom(content: bytes, filename: str) -> str:
    try:
        # The "utf-16" codec reads the byte-order mark itself and drops it.
        return content.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise TranscriptParseError(
            location=filename,
            problem=f"starts with a UTF-16 byte-order mark but is not valid UTF-16 at byte offset {exc.start} "
            "(the file may be truncated)",
        ) from exc
