"""Who reads decisions out of transcripts, as Dagster resources: the offline rules or a language model.

`OpenAIExtractorResource` hands the decisions asset an `OpenAIExtractor` (OpenAI or any compatible server)
exactly as `OfflineExtractorResource` hands it the offline rules. Which one a deployment gets is chosen in
bridge_pipeline.defs.resources_for_environment.
No postponed annotations here: Dagster reads the field types to build the resources' config.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from dagster import ConfigurableResource, MetadataValue
from pydantic import PrivateAttr

from bridge_pipeline.defs.storage.resources import BlobStorageResource
from bridge_pipeline.extraction.base import Extractor
from bridge_pipeline.extraction.llm.batch import BatchReport
from bridge_pipeline.extraction.llm.extractor import OpenAIExtractor
from bridge_pipeline.extraction.llm.settings import DEFAULT_MODEL, LanguageModelSettings, ModelPrice, language_model_retry
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline.http.retry import RetryPolicy
from bridge_pipeline.models import MeetingInfo, Transcript
from bridge_pipeline.storage.store import PipelineStore


class ExtractorResource(ConfigurableResource):
    """Who reads decisions out of transcripts; the decisions asset asks for this type."""

    def get_extractor(self) -> Extractor:
        raise NotImplementedError(f"{type(self).__name__} does not name an extractor")


class OfflineExtractorResource(ExtractorResource):
    """Rules and patterns; needs no network and no key."""

    def get_extractor(self) -> Extractor:
        return OfflineExtractor()


class OpenAIExtractorResource(ExtractorResource):
    """Decisions through an OpenAI-compatible chat model; answers cached as blobs under cache/llm/.

    Configure the key as `EnvVar("OPENAI_API_KEY")`; `base_url` empty means the client's default endpoint.
    """

    api_key: str
    blob_storage: BlobStorageResource
    base_url: str = ""
    model: str = DEFAULT_MODEL
    request_timeout_s: float = 120.0
    max_attempts: int = 5
    retry_budget_s: float = 180.0
    retry_base_delay_s: float = 1.0
    max_chunk_chars: int = 60_000
    use_batch: bool = False
    batch_poll_interval_s: float = 30.0
    batch_timeout_s: float = 24 * 3600.0
    input_usd_per_million: float = ModelPrice.input_per_million
    cached_input_usd_per_million: float = ModelPrice.cached_input_per_million
    output_usd_per_million: float = ModelPrice.output_per_million

    _extractor: OpenAIExtractor | None = PrivateAttr(default=None)

    def settings(self) -> LanguageModelSettings:
        return LanguageModelSettings(
            api_key=self.api_key,
            model=self.model,
            base_url=self.base_url or None,
            request_timeout_s=self.request_timeout_s,
            retry=openai_retry(self.max_attempts, self.retry_budget_s, self.retry_base_delay_s),
            max_chunk_chars=self.max_chunk_chars,
            price=ModelPrice(
                input_per_million=self.input_usd_per_million,
                cached_input_per_million=self.cached_input_usd_per_million,
                output_per_million=self.output_usd_per_million,
            ),
            use_batch=self.use_batch,
            batch_poll_interval_s=self.batch_poll_interval_s,
            batch_timeout_s=self.batch_timeout_s,
        )

    def get_extractor(self) -> OpenAIExtractor:
        """One extractor per run, so its usage totals cover every day the run materializes."""
        if self._extractor is None:
            self._extractor = OpenAIExtractor(self.settings(), self.blob_storage.get_blob_store())
        return self._extractor


def openai_retry(max_attempts: int, budget_s: float, backoff_initial_s: float) -> RetryPolicy:
    """The language model's retry policy, naming the API so each attempt lands in the API latency histogram."""
    return replace(language_model_retry(max_attempts, budget_s, backoff_initial_s), api="openai")


def usage_metadata(extractor: Extractor) -> dict[str, MetadataValue]:
    """Token, cost and cache figures of a language-model extractor; empty for extractors without usage."""
    usage = getattr(extractor, "usage", None)
    if usage is None:
        return {}
    metadata: dict[str, MetadataValue] = {}
    for name, value in usage.as_metadata().items():
        metadata[name] = MetadataValue.float(float(value)) if isinstance(value, float) else MetadataValue.int(int(value))
    return metadata


def prepare_days(extractor: Extractor, store: PipelineStore, days: Iterable[dt.date], timezone: str) -> BatchReport | None:
    """Before a range of days is extracted: lets an extractor that batches requests (use_batch) send them all at once."""
    prepare = getattr(extractor, "prepare", None)
    if prepare is None:
        return None
    meetings: list[tuple[MeetingInfo, Transcript]] = []
    for day in days:
        transcripts = store.load_transcripts(day)
        meetings.extend((m, transcripts[m.meeting_id]) for m in store.load_meetings(day) if m.meeting_id in transcripts)
    return prepare(meetings, timezone)
