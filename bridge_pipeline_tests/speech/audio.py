"""Audio files made in the test: PCM WAV through the wave module, MP3 as valid frame headers around silence."""

from __future__ import annotations

import io
import math
import struct
import wave

MP3_FRAME_BYTES = 417  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding
MP3_FRAME_SECONDS = 1152 / 44100


def wav_bytes(seconds: float, rate: int = 16000) -> bytes:
    frames = int(seconds * rate)
    samples = b"".join(struct.pack("<h", int(8000 * math.sin(i / 20))) for i in range(frames))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(rate)
        target.writeframes(samples)
    return buffer.getvalue()


def mp3_bytes(frames: int, *, id3: bool = True) -> bytes:
    header = bytes([0xFF, 0xFB, 0x90, 0x00])
    body = b"".join(header + bytes([n % 251]) * (MP3_FRAME_BYTES - 4) for n in range(frames))
    tag = b"ID3\x03\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10 if id3 else b""
    return tag + body
