"""The language-model extractor: chunk, ask (or read the cache), merge, ground, number.

It implements the same Extractor protocol as the offline rules. A meeting whose requests cannot be
answered within the retry budget raises LanguageModelError (a BridgeError), which the decisions stage
records as that meeting's problem while the rest of the day completes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bridge_pipeline.errors import BridgeError
from bridge_pipeline.extraction.llm.api import OpenAIApi
from bridge_pipeline.extraction.llm.batch import BatchReport, BatchTiming, run_batch
from bridge_pipeline.extraction.llm.cache import AnswerCache, CachedAnswer, cache_key
from bridge_pipeline.extraction.llm.chunking import merge_items, split_into_chunks
from bridge_pipeline.extraction.llm.completion import ReadAnswer, read_completion, token_counts
from bridge_pipeline.extraction.llm.grounding import GroundingIssue, TranscriptEvidence, ground_items
from bridge_pipeline.extraction.llm.prompt import PROMPT_VERSION, ChatRequest, build_request
from bridge_pipeline.extraction.llm.schema import ExtractionAnswer
from bridge_pipeline.extraction.llm.settings import LanguageModelSettings
from bridge_pipeline.extraction.llm.usage import UsageTotals
from bridge_pipeline.extraction.reference_date import meeting_reference_date
from bridge_pipeline.models import MeetingDecisions, MeetingInfo, Transcript
from bridge_pipeline.storage.blobs import BlobStore

if TYPE_CHECKING:
    from openai import OpenAI

log = logging.getLogger(__name__)

_KIND_ORDER = {"decision": 0, "action_item": 1}


class OpenAIExtractor:
    """Decisions and action items from an OpenAI-compatible chat model, grounded in the transcript."""

    def __init__(
        self,
        settings: LanguageModelSettings,
        blobs: BlobStore,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.name = f"openai/{settings.model}/{PROMPT_VERSION}"
        self.api = OpenAIApi(
            settings.api_key,
            base_url=settings.base_url,
            request_timeout_s=settings.request_timeout_s,
            retry=settings.retry,
            sleep=sleep,
            clock=clock,
        )
        self.cache = AnswerCache(blobs)
        self.usage = UsageTotals()
        self.grounding_issues: list[GroundingIssue] = []
        self._timing = BatchTiming(settings.batch_poll_interval_s, settings.batch_timeout_s, sleep, clock)

    def __repr__(self) -> str:
        return f"OpenAIExtractor(model={self.settings.model!r}, base_url={self.settings.base_url!r})"

    # --- the Extractor protocol ----------------------------------------------------------------------

    def extract(self, meeting: MeetingInfo, transcript: Transcript, timezone: str) -> MeetingDecisions:
        reference_date = meeting_reference_date(meeting, timezone)
        try:
            answers = [self._answer(request) for request in self.requests_for(meeting, transcript, timezone)]
        except BridgeError:
            self.usage.meetings_failed += 1
            raise
        items = merge_items([item for answer in answers for item in answer.items])
        grounded = ground_items(items, TranscriptEvidence(meeting, transcript, reference_date))
        for issue in grounded.issues:
            if issue.outcome == "not_agreed":
                # Proposals and rejections are ordinary negotiation, not a fault of the model.
                log.info("grounding: %s", issue)
                self.usage.terms_not_agreed += 1
                continue
            log.warning("grounding: %s", issue)
            if issue.outcome == "dropped":
                self.usage.grounding_dropped += 1
            else:
                self.usage.grounding_lowered += 1
        self.grounding_issues.extend(grounded.issues)
        drafts = sorted(grounded.drafts, key=lambda d: (d.citations[0].utterance_index, d.order, _KIND_ORDER[d.kind], d.text))
        decisions = tuple(draft.to_decision(meeting.meeting_id, number) for number, draft in enumerate(drafts, start=1))
        return MeetingDecisions(meeting_id=meeting.meeting_id, decisions=decisions, extractor=self.name)

    # --- batches ------------------------------------------------------------------------------------

    def prepare(self, meetings: Sequence[tuple[MeetingInfo, Transcript]], timezone: str) -> BatchReport | None:
        """With use_batch, answers every uncached request of these meetings through the Batch API first.

        Call it once for a run's meetings before extracting them; without use_batch it does nothing.
        """
        if not self.settings.use_batch:
            return None
        requests = [request for meeting, transcript in meetings for request in self.requests_for(meeting, transcript, timezone)]
        report = run_batch(self.api, self.cache, requests, price=self.settings.price, usage=self.usage, timing=self._timing)
        for label, reason in report.failed.items():
            log.warning("batch gave no answer for %s: %s; it will be asked directly", label, self.api.redact(reason))
        return report

    # --- internals ----------------------------------------------------------------------------------

    def requests_for(self, meeting: MeetingInfo, transcript: Transcript, timezone: str) -> list[ChatRequest]:
        reference_date = meeting_reference_date(meeting, timezone)
        chunks = split_into_chunks(transcript, self.settings.max_chunk_chars, self.settings.chunk_overlap_utterances)
        return [
            build_request(
                meeting, chunk, reference_date, len(transcript.utterances),
                model=self.settings.model, max_output_tokens=self.settings.max_output_tokens,
            )
            for chunk in chunks
        ]

    def _answer(self, request: ChatRequest) -> ExtractionAnswer:
        key = cache_key(request)
        cached = self.cache.get(key)
        if cached is not None:
            try:
                answer = ExtractionAnswer.model_validate_json(cached.content)
            except ValidationError:
                log.warning("cached answer for %s no longer fits the schema; asking again", request.label)
            else:
                self.usage.cache_hits += 1
                return answer
        self.usage.cache_misses += 1
        retries_before = self.api.retries
        read = self.api.call(request.label, lambda client: self._complete(client, request))
        self.usage.retries += self.api.retries - retries_before
        self.cache.put(CachedAnswer.of(key, request, read))
        return read.answer

    def _complete(self, client: OpenAI, request: ChatRequest) -> ReadAnswer:
        self.usage.api_requests += 1
        completion = client.chat.completions.create(**request.body())
        # Tokens are billed whether or not the answer is usable.
        counts = token_counts(completion)
        self.usage.add_tokens(self.settings.price, counts.prompt, counts.cached, counts.completion)
        return read_completion(completion)
