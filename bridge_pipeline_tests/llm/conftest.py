"""A fake OpenAI server on loopback and extractors wired to it, with back-off sleeps recorded instead of slept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from bridge_fakes.openai_fake import DEFAULT_API_KEY, FakeOpenAIServer
from bridge_pipeline.extraction.llm.extractor import OpenAIExtractor
from bridge_pipeline.extraction.llm.settings import LANGUAGE_MODEL_RETRY, LanguageModelSettings
from bridge_pipeline.storage.blobs import LocalBlobStore

FAST_RETRIES = replace(LANGUAGE_MODEL_RETRY, max_attempts=4, budget_s=30.0, backoff_initial_s=0.5, backoff_max_s=2.0)


class RecordedSleeps(list):
    """Stands in for time.sleep: remembers each wait so tests can check the back-off without waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def blobs(tmp_path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture
def sleeps() -> RecordedSleeps:
    return RecordedSleeps()


@pytest.fixture
def settings(fake: FakeOpenAIServer) -> LanguageModelSettings:
    return LanguageModelSettings(api_key=DEFAULT_API_KEY, base_url=fake.api_base_url, retry=FAST_RETRIES, request_timeout_s=5.0)


@pytest.fixture
def make_extractor(settings, blobs, sleeps) -> Callable[..., OpenAIExtractor]:
    def build(**overrides) -> OpenAIExtractor:
        return OpenAIExtractor(replace(settings, **overrides), blobs, sleep=sleeps)

    return build
