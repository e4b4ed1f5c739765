"""Speech-to-text through `/v1/audio/transcriptions`, giving the same utterance records as a transcript file.

The audio is cut to the upload limit, each piece transcribed (with speaker labels when the model
gives them: the `-diarize` models), and the segments put back on the recording's clock. The result is
written as the project's JSON transcript format and parsed by the ordinary parser, so a transcribed
meeting goes down the line exactly like a meeting whose source had a transcript.

Speaker labels ("A", "B") are only consistent inside one request; when a recording needed several
pieces, labels carry the piece number so two different people are never merged into one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any


from bridge_pipeline.errors import BadInputError, ConfigurationError
from bridge_pipeline.extraction.llm.api import OpenAIApi
from bridge_pipeline.extraction.llm.errors import RetryableFailure
from bridge_pipeline.extraction.llm.settings import LANGUAGE_MODEL_RETRY
from bridge_pipeline.extraction.llm.usage import UsageTotals
from bridge_pipeline.http.retry import RetryPolicy
from bridge_pipeline.models import Transcript
from bridge_pipeline.parsing.transcripts import parse_transcript
from bridge_pipeline.speech.audio_split import DEFAULT_PIECE_BYTES, AudioPiece, split_audio
from bridge_pipeline.storage.blobs import BlobStore

if TYPE_CHECKING:
    from openai import OpenAI

log = logging.getLogger(__name__)

STT_CACHE_PREFIX = "cache/stt"
DEFAULT_SPEECH_MODEL = "gpt-4o-transcribe-diarize"

_LANGUAGE_CODES = {
    "english": "en", "german": "de", "french": "fr", "spanish": "es", "italian": "it", "portuguese": "pt",
    "dutch": "nl", "polish": "pl", "swedish": "sv", "danish": "da", "norwegian": "no", "finnish": "fi",
    "czech": "cs", "japanese": "ja", "chinese": "zh", "korean": "ko", "russian": "ru", "ukrainian": "uk",
}


@dataclass(frozen=True)
class SpeechSettings:
    api_key: str = field(repr=False)
    model: str = DEFAULT_SPEECH_MODEL
    base_url: str | None = None
    language: str | None = None
    """ISO 639-1 code to pass to the model; None lets the model detect it."""
    request_timeout_s: float = 600.0
    retry: RetryPolicy = LANGUAGE_MODEL_RETRY
    piece_bytes: int = DEFAULT_PIECE_BYTES
    price_per_minute_usd: float = 0.006

    def __post_init__(self) -> None:
        if not self.api_key.strip():
            raise ConfigurationError("OPENAI_API_KEY is empty; speech-to-text needs an API key")

    @property
    def diarizes(self) -> bool:
        return "diarize" in self.model


@dataclass(frozen=True)
class SpokenSegment:
    start_s: float
    end_s: float
    speaker: str | None
    text: str


@dataclass(frozen=True)
class SpeechResult:
    document: bytes = field(repr=False)
    """The transcript in the project's JSON format, ready to be a Recording's content."""
    transcript: Transcript
    duration_s: float
    pieces: int


class SpeechToText:
    def __init__(
        self,
        settings: SpeechSettings,
        *,
        blobs: BlobStore | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.api = OpenAIApi(
            settings.api_key, base_url=settings.base_url, request_timeout_s=settings.request_timeout_s,
            retry=settings.retry, sleep=sleep, clock=clock,
        )
        self._blobs = blobs
        self.usage = UsageTotals()

    def __repr__(self) -> str:
        return f"SpeechToText(model={self.settings.model!r}, base_url={self.settings.base_url!r})"

    def transcribe(self, meeting_id: str, audio: bytes, filename: str) -> SpeechResult:
        """The recording as speaker-attributed utterances; cached by audio content when a blob store is given."""
        cache_key = self._cache_key(audio)
        cached = self._cached_document(cache_key)
        if cached is not None:
            self.usage.cache_hits += 1
            document = cached
            pieces = 0
        else:
            self.usage.cache_misses += 1
            pieces_audio = split_audio(audio, filename, self.settings.piece_bytes)
            segments: list[SpokenSegment] = []
            detected: list[str] = []
            for piece in pieces_audio:
                piece_segments, language = self._transcribe_piece(meeting_id, piece, len(pieces_audio))
                segments.extend(piece_segments)
                detected.extend([language] if language else [])
            if not segments:
                raise BadInputError(location=filename, problem="speech-to-text found no speech in the recording")
            document = transcript_document(segments, self.settings.language or (detected[0] if detected else None))
            pieces = len(pieces_audio)
            if self._blobs is not None:
                self._blobs.put(f"{STT_CACHE_PREFIX}/{cache_key}.json", document)
        transcript = parse_transcript(document, "json", meeting_id=meeting_id, filename=f"{filename} (speech-to-text)")
        duration = max((u.end_s for u in transcript.utterances), default=0.0)
        return SpeechResult(document=document, transcript=transcript, duration_s=duration, pieces=pieces)

    # --- internals ----------------------------------------------------------------------------------

    def _cache_key(self, audio: bytes) -> str:
        material = f"{self.settings.model}|{self.settings.language}|{self.settings.piece_bytes}|".encode() + audio
        return hashlib.sha256(material).hexdigest()

    def _cached_document(self, key: str) -> bytes | None:
        if self._blobs is None or not self._blobs.exists(f"{STT_CACHE_PREFIX}/{key}.json"):
            return None
        return self._blobs.get(f"{STT_CACHE_PREFIX}/{key}.json")

    def _transcribe_piece(self, meeting_id: str, piece: AudioPiece, total: int) -> tuple[list[SpokenSegment], str | None]:
        """The piece's segments on the recording's clock, and the language the model detected (ISO code)."""
        label = f"meeting {meeting_id}, audio piece {piece.number + 1} of {total}"
        answer = self.api.call(label, lambda client: self._request(client, piece))
        usage = answer.get("usage") if isinstance(answer.get("usage"), dict) else {}
        duration = float(answer.get("duration") or usage.get("seconds") or 0.0)
        self.usage.audio_seconds += duration
        self.usage.cost_usd += duration / 60 * self.settings.price_per_minute_usd
        detected = answer.get("language")
        language = _LANGUAGE_CODES.get(str(detected).lower()) if detected else None
        raw_segments = answer.get("segments") or []
        if not raw_segments:
            text = str(answer.get("text") or "").strip()
            return ([SpokenSegment(piece.offset_s, piece.offset_s + duration, None, text)] if text else []), language
        segments = []
        for raw in raw_segments:
            text = str(raw.get("text") or "").strip()
            if not text:
                continue
            speaker = raw.get("speaker")
            if speaker:
                speaker = f"Speaker {speaker}" if len(str(speaker)) <= 2 else str(speaker)
                if total > 1:
                    speaker = f"{speaker} (part {piece.number + 1})"
            segments.append(
                SpokenSegment(piece.offset_s + float(raw["start"]), piece.offset_s + float(raw["end"]), speaker, text)
            )
        return segments, language

    def _request(self, client: OpenAI, piece: AudioPiece) -> dict[str, Any]:
        self.usage.api_requests += 1
        options: dict[str, Any] = {}
        if self.settings.diarizes:
            options.update(response_format="diarized_json", chunking_strategy="auto")
        elif self.settings.model.startswith("whisper"):
            options.update(response_format="verbose_json", timestamp_granularities=["segment"])
        else:
            options.update(response_format="json")
        if self.settings.language:
            options["language"] = self.settings.language
        result = client.audio.transcriptions.create(file=(piece.filename, piece.data), model=self.settings.model, **options)
        answer = result.model_dump() if hasattr(result, "model_dump") else None
        if not isinstance(answer, dict):
            raise RetryableFailure("the transcription answer was not a JSON object")
        return answer


def transcript_document(segments: list[SpokenSegment], language: str | None) -> bytes:
    """Segments as the JSON transcript format the parser reads (see parsing.json_utterances)."""
    ordered = sorted(segments, key=lambda s: (s.start_s, s.end_s))
    document: dict[str, Any] = {
        "utterances": [
            {"speaker": s.speaker, "start_s": round(s.start_s, 3), "end_s": round(max(s.end_s, s.start_s), 3), "text": s.text}
            for s in ordered
        ]
    }
    if language:
        document["language"] = language
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
