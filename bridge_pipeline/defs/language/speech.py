"""Speech-to-text as a Dagster resource, so raw_recordings can transcribe recordings that came without a transcript.

The resource is always in the definitions; switched off (the default, BRIDGE_SPEECH_TO_TEXT=off; the choice
is made in bridge_pipeline.defs.resources_for_environment) it hands out no transcriber and those recordings
are only counted. The key is an `EnvVar`: Dagster stores the variable's name and resolves it only in the
process that runs. Transcripts are cached as blobs under cache/stt/, so a re-run of a day pays for no audio twice.
No postponed annotations here: Dagster reads the field types to build the resource's config.
"""

from dagster import ConfigurableResource, MetadataValue
from pydantic import PrivateAttr

from bridge_pipeline.defs.language.extractors import openai_retry
from bridge_pipeline.defs.storage.resources import BlobStorageResource
from bridge_pipeline.speech.transcribe import DEFAULT_SPEECH_MODEL, SpeechSettings, SpeechToText


class SpeechToTextResource(ConfigurableResource):
    """Transcribes audio through an OpenAI-compatible `/v1/audio/transcriptions`; `base_url` empty means OpenAI's own."""

    blob_storage: BlobStorageResource
    enabled: bool = False
    api_key: str = ""
    base_url: str = ""
    model: str = DEFAULT_SPEECH_MODEL
    language: str = ""
    """ISO 639-1 code of the meetings' language; empty lets the model detect it."""
    request_timeout_s: float = 600.0
    max_attempts: int = 5
    retry_budget_s: float = 900.0
    retry_base_delay_s: float = 1.0

    _speech: SpeechToText | None = PrivateAttr(default=None)

    def settings(self) -> SpeechSettings:
        return SpeechSettings(
            api_key=self.api_key,
            model=self.model,
            base_url=self.base_url or None,
            language=self.language or None,
            request_timeout_s=self.request_timeout_s,
            retry=openai_retry(self.max_attempts, self.retry_budget_s, self.retry_base_delay_s),
        )

    def get_speech(self) -> SpeechToText | None:
        """None when switched off; otherwise one transcriber per run, so its usage totals cover every day of the run."""
        if not self.enabled:
            return None
        if self._speech is None:
            self._speech = SpeechToText(self.settings(), blobs=self.blob_storage.get_blob_store())
        return self._speech


def speech_usage_metadata(speech: SpeechToText | None) -> dict[str, MetadataValue]:
    """Audio minutes, requests, cache hits and estimated cost of the run's speech-to-text; empty when it is off."""
    if speech is None:
        return {}
    usage = speech.usage
    return {
        "stt_api_requests": MetadataValue.int(usage.api_requests),
        "stt_cache_hits": MetadataValue.int(usage.cache_hits),
        "stt_cache_misses": MetadataValue.int(usage.cache_misses),
        "stt_audio_minutes": MetadataValue.float(round(usage.audio_seconds / 60, 2)),
        "stt_cost_usd_estimate": MetadataValue.float(round(usage.cost_usd, 4)),
    }
