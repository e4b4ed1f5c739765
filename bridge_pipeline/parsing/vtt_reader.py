"""Reads WebVTT text into timed cues with raw bodies, tolerant of what Teams and Zoom really write.

Why not webvtt-py alone: even in strict mode it silently drops a block that has no timing line
(including a file truncated right after a cue id), its strict mode rejects the unpadded timestamps in
Microsoft's own Teams sample (`0:0:0.0`), its lenient mode silently drops cues with negative offsets,
and it reports no line numbers. This reader accepts those variants and either keeps a cue or says why
not. The test suite checks it against webvtt-py on the real Zoom files (identical cues).

Accepted beyond the strict WebVTT grammar: leading blank lines, unpadded or hour-less timestamps,
`,` as decimal separator, more than three fraction digits, negative timestamps, cue settings after the
timings, CR/LF/CRLF line ends, whitespace-only separator lines, and a timing line that follows the
previous cue's text with no blank line between.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bridge_pipeline.errors import TranscriptParseError

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TIMING_LINE = re.compile(r"\s*(?P<start>\S+)[ \t]+-->[ \t]+(?P<end>\S+)(?P<settings>[ \t].*)?")
_TIMESTAMP = re.compile(r"(?P<neg>-)?(?:(?P<h>\d+):)?(?P<m>\d{1,2}):(?P<s>\d{1,2})[.,](?P<frac>\d+)")
_HEADER_FIELD = re.compile(r"(?P<key>[A-Za-z][\w-]*)[ \t]*:[ \t]*(?P<value>.*)")
_NON_CUE_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?")


@dataclass(frozen=True)
class VttCue:
    identifier: str | None
    start_s: float
    end_s: float
    body_lines: tuple[str, ...]
    timing_line_number: int  # 1-based, for messages

    @property
    def label(self) -> str:
        where = f"line {self.timing_line_number}"
        return f"cue '{self.identifier}' ({where})" if self.identifier else f"cue at {where}"


@dataclass(frozen=True)
class VttDocument:
    cues: tuple[VttCue, ...]
    header_fields: tuple[tuple[str, str], ...]  # ("Language", "en") pairs from the header block
    skipped_blocks: tuple[int, ...]  # first line numbers of blocks that had no timing line

    def header_value(self, key: str) -> str | None:
        return next((value for name, value in self.header_fields if name.lower() == key.lower()), None)


@dataclass
class _Block:
    lines: list[tuple[int, str]]  # (1-based line number, text)

    def timing_position(self) -> int | None:
        """Index of the timing line: first line, or second after a cue identifier."""
        for position, (_, text) in enumerate(self.lines[:2]):
            if "-->" in text:
                return position
        return None


def read_vtt(text: str, filename: str) -> VttDocument:
    """Parse WebVTT text; raise TranscriptParseError naming the line for anything unreadable."""
    numbered = list(enumerate(_LINE_BREAK.split(text), start=1))
    position = next((i for i, (_, line) in enumerate(numbered) if line.strip()), len(numbered))
    if position == len(numbered) or not numbered[position][1].lstrip("\ufeff").startswith("WEBVTT"):
        raise TranscriptParseError(location=filename, problem="does not start with the 'WEBVTT' header line")

    header_fields: list[tuple[str, str]] = []
    position += 1
    # Header lines run to the first blank line, or to a timing line when the blank line is missing.
    while position < len(numbered) and numbered[position][1].strip() and "-->" not in numbered[position][1]:
        field = _HEADER_FIELD.fullmatch(numbered[position][1].strip())
        if field:
            header_fields.append((field.group("key"), field.group("value").strip()))
        position += 1

    blocks = _split_blocks(numbered[position:])
    cues: list[VttCue] = []
    skipped: list[int] = []
    for block_index, block in enumerate(blocks):
        is_last = block_index == len(blocks) - 1
        first_line_number, first_text = block.lines[0]
        if _NON_CUE_BLOCK.fullmatch(first_text.strip()) and block.timing_position() != 0:
            continue
        timing_at = block.timing_position()
        if timing_at is None:
            if is_last and len(block.lines) == 1:
                raise TranscriptParseError(
                    location=filename,
                    problem=f"line {first_line_number}: the file ends with {first_text.strip()!r} and no timing "
                    "line after it; the file looks truncated",
                )
            skipped.append(first_line_number)
            continue
        cues.append(_read_cue(block, timing_at, filename, is_last=is_last))
    return VttDocument(cues=tuple(cues), header_fields=tuple(header_fields), skipped_blocks=tuple(skipped))


def parse_vtt_timestamp(value: str) -> float | None:
    """Seconds for `[-][h:]mm:ss.fff` (any number of hour and fraction digits), None if unreadable."""
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        return None
    minutes, seconds = int(match.group("m")), int(match.group("s"))
    if minutes > 59 or seconds > 59:
        return None
    fraction = match.group("frac")
    total = int(match.group("h") or 0) * 3600 + minutes * 60 + seconds + int(fraction) / 10 ** len(fraction)
    return -total if match.group("neg") else total


def _split_blocks(numbered: list[tuple[int, str]]) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []
    for line_number, line in numbered:
        if not line.strip():
            if current:
                blocks.append(_Block(current))
                current = []
            continue
        if "-->" in line and current and _Block(current).timing_position() is not None:
            # A second timing line in one block: the blank separator line was left out.
            blocks.append(_Block(current))
            current = []
        current.append((line_number, line))
    if current:
        blocks.append(_Block(current))
    return blocks


def _read_cue(block: _Block, timing_at: int, filename: str, *, is_last: bool) -> VttCue:
    identifier = block.lines[0][1].strip() if timing_at == 1 else None
    line_number, timing_text = block.lines[timing_at]
    match = _TIMING_LINE.match(timing_text)
    start_s = parse_vtt_timestamp(match.group("start")) if match else None
    end_s = parse_vtt_timestamp(match.group("end")) if match else None
    if start_s is None or end_s is None:
        named = f"cue '{identifier}'" if identifier else "cue"
        hint = "; the file looks truncated" if is_last else ""
        raise TranscriptParseError(
            location=filename,
            problem=f"line {line_number}: {named} has an unreadable timing line {timing_text.strip()!r} "
            f"(expected 'HH:MM:SS.mmm --> HH:MM:SS.mmm'){hint}",
        )
    body = tuple(text for _, text in block.lines[timing_at + 1 :])
    return VttCue(
        identifier=identifier, start_s=start_s, end_s=end_s, body_lines=body, timing_line_number=line_number
    )
