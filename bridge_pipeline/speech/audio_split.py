"""Cuts audio that is over the transcription endpoint's upload limit (25 MB) into pieces that fit.

Each piece is a complete file of the same format with its start time in the original, so the
transcripts of the pieces line up on one clock. WAV (PCM) is cut on frame boundaries and MP3 on
frame headers, both in pure Python; any other container (M4A, MP4, WebM ...) needs ffmpeg.
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from bridge_pipeline.errors import BadInputError

API_UPLOAD_LIMIT_BYTES = 25 * 1024 * 1024
DEFAULT_PIECE_BYTES = 24 * 1024 * 1024
"""A megabyte under the limit leaves room for the multipart envelope around the file."""


@dataclass(frozen=True)
class AudioPiece:
    number: int
    filename: str
    offset_s: float
    """Where the piece starts in the original recording."""
    data: bytes = field(repr=False)


def split_audio(data: bytes, filename: str, max_bytes: int = DEFAULT_PIECE_BYTES) -> list[AudioPiece]:
    """The recording as one piece when it fits, otherwise as consecutive pieces of at most max_bytes."""
    if not data:
        raise BadInputError(location=filename, problem="the audio file is empty")
    if len(data) <= max_bytes:
        return [AudioPiece(0, filename, 0.0, data)]
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix == ".wav":
        return _split_wav(data, filename, max_bytes)
    if suffix == ".mp3":
        return _split_mp3(data, filename, max_bytes)
    if shutil.which("ffmpeg") and shutil.which("ffprobe"):
        return _split_with_ffmpeg(data, filename, max_bytes)
    raise BadInputError(
        location=filename,
        problem=f"is {len(data)} bytes, over the {max_bytes}-byte upload piece size, and {suffix or 'this format'} "
        "can only be cut with ffmpeg, which is not installed (WAV and MP3 are cut without it)",
    )


def _piece_name(filename: str, number: int) -> str:
    path = PurePosixPath(filename)
    return f"{path.stem}.part{number + 1:03d}{path.suffix}"


# --- WAV -----------------------------------------------------------------------------------------------


def _split_wav(data: bytes, filename: str, max_bytes: int) -> list[AudioPiece]:
    try:
        with wave.open(io.BytesIO(data)) as source:
            params = source.getparams()
            frames = source.readframes(params.nframes)
    except (wave.Error, EOFError) as error:
        raise BadInputError(location=filename, problem=f"is not a PCM WAV file that can be cut: {error}") from None
    frame_bytes = params.sampwidth * params.nchannels
    header_bytes = 64  # a canonical header is 44 bytes; keep a margin
    frames_per_piece = (max_bytes - header_bytes) // frame_bytes
    if frames_per_piece <= 0:
        raise BadInputError(location=filename, problem=f"a piece of {max_bytes} bytes cannot hold one audio frame")
    pieces = []
    total_frames = len(frames) // frame_bytes
    for number, first in enumerate(range(0, total_frames, frames_per_piece)):
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as target:
            target.setnchannels(params.nchannels)
            target.setsampwidth(params.sampwidth)
            target.setframerate(params.framerate)
            target.writeframes(frames[first * frame_bytes:(first + frames_per_piece) * frame_bytes])
        pieces.append(AudioPiece(number, _piece_name(filename, number), first / params.framerate, buffer.getvalue()))
    return pieces


# --- MP3 -----------------------------------------------------------------------------------------------

_BITRATES_KBPS = {
    # (MPEG-1?, layer) -> bitrate by index 1..14
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits


@dataclass(frozen=True)
class _Mp3Frame:
    start: int
    length: int
    samples: int
    sample_rate: int


def _mp3_frame_at(data: bytes, position: int) -> _Mp3Frame | None:
    if position + 4 > len(data) or data[position] != 0xFF or data[position + 1] & 0xE0 != 0xE0:
        return None
    header = int.from_bytes(data[position:position + 4], "big")
    version_bits = (header >> 19) & 3
    layer = 4 - ((header >> 17) & 3)
    bitrate_index = (header >> 12) & 0xF
    rate_index = (header >> 10) & 3
    padding = (header >> 9) & 1
    if version_bits == 1 or layer == 4 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    mpeg1 = version_bits == 3
    bitrate = _BITRATES_KBPS[(mpeg1, layer)][bitrate_index - 1] * 1000
    sample_rate = _SAMPLE_RATES[version_bits][rate_index]
    if layer == 1:
        length, samples = (12 * bitrate // sample_rate + padding) * 4, 384
    elif layer == 2 or mpeg1:
        length, samples = 144 * bitrate // sample_rate + padding, 1152
    else:
        length, samples = 72 * bitrate // sample_rate + padding, 576
    return _Mp3Frame(position, length, samples, sample_rate) if length > 4 else None


def _id3_size(data: bytes) -> int:
    """Bytes of a leading ID3v2 tag (the tag travels with the first piece only)."""
    if len(data) < 10 or data[:3] != b"ID3":
        return 0
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | (byte & 0x7F)
    return 10 + size + (10 if data[5] & 0x10 else 0)


def _split_mp3(data: bytes, filename: str, max_bytes: int) -> list[AudioPiece]:
    position = _id3_size(data)
    frames: list[_Mp3Frame] = []
    while position < len(data):
        frame = _mp3_frame_at(data, position)
        if frame is None or frame.start + frame.length > len(data):
            position += 1  # lost sync (junk, a trailing tag): look for the next header
            continue
        frames.append(frame)
        position += frame.length
    if not frames:
        raise BadInputError(location=filename, problem="has no MPEG audio frames to cut at")
    pieces: list[AudioPiece] = []
    elapsed_s = 0.0
    current: list[_Mp3Frame] = []
    size = 0

    def close_piece() -> None:
        nonlocal elapsed_s
        number = len(pieces)
        chunk = b"".join(data[f.start:f.start + f.length] for f in current)
        pieces.append(AudioPiece(number, _piece_name(filename, number), elapsed_s, chunk))
        elapsed_s += sum(f.samples / f.sample_rate for f in current)

    for frame in frames:
        if current and size + frame.length > max_bytes:
            close_piece()
            current, size = [], 0
        current.append(frame)
        size += frame.length
    close_piece()
    return pieces


# --- anything else, through ffmpeg ---------------------------------------------------------------------

_SLIVER_S = 0.05


def _split_with_ffmpeg(data: bytes, filename: str, max_bytes: int) -> list[AudioPiece]:
    suffix = PurePosixPath(filename).suffix.lower() or ".audio"
    with tempfile.TemporaryDirectory(prefix="bridge-audio-") as folder:
        source = Path(folder) / f"source{suffix}"
        source.write_bytes(data)
        duration_s = _ffprobe_duration(source, filename)
        # Pieces of equal length sized from the average bitrate, with a margin for uneven encoding.
        count = math.ceil(len(data) / (max_bytes * 0.85))
        piece_s = duration_s / count
        pattern = Path(folder) / f"piece%04d{suffix}"
        _run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(source), "-map", "0:a:0", "-c", "copy", "-f", "segment",
              "-segment_time", f"{piece_s:.3f}", "-reset_timestamps", "1", str(pattern)], filename)
        outputs = sorted(Path(folder).glob(f"piece*{suffix}"))
        pieces = []
        offset = 0.0
        for path in outputs:
            chunk = path.read_bytes()
            length_s = _ffprobe_duration(path, filename)
            if length_s < _SLIVER_S:
                continue  # the cut can leave a few milliseconds at the end; nothing to transcribe there
            if len(chunk) > max_bytes:
                raise BadInputError(location=filename, problem=f"a piece came out at {len(chunk)} bytes, over {max_bytes}")
            number = len(pieces)
            pieces.append(AudioPiece(number, _piece_name(filename, number), offset, chunk))
            offset += length_s
        return pieces


def _ffprobe_duration(path: Path, filename: str) -> float:
    output = _run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", str(path)], filename)
    try:
        return float(output.strip())
    except ValueError:
        raise BadInputError(location=filename, problem="ffprobe could not read the audio duration") from None


def _run(command: list[str], filename: str) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BadInputError(location=filename, problem=f"{command[0]} failed: {error}") from None
    if result.returncode != 0:
        raise BadInputError(location=filename, problem=f"{command[0]} failed: {result.stderr.strip()[:300]}")
    return result.stdout
