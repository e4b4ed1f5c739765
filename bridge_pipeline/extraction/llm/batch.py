"""Backfills through the Batch API: upload every uncached request as JSONL, create a batch, poll, collect.

Collected answers go into the same content-hash cache the direct path reads, so extraction afterwards
runs entirely from the cache. A request the batch could not answer is simply not cached; the direct
path asks it again (within its own retry budget) when its meeting is extracted.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bridge_pipeline.extraction.llm.api import OpenAIApi
from bridge_pipeline.extraction.llm.cache import AnswerCache, CachedAnswer, cache_key
from bridge_pipeline.extraction.llm.completion import read_completion_body
from bridge_pipeline.extraction.llm.errors import RetryableFailure
from bridge_pipeline.extraction.llm.prompt import PROMPT_VERSION, ChatRequest
from bridge_pipeline.extraction.llm.settings import ModelPrice
from bridge_pipeline.extraction.llm.usage import UsageTotals

log = logging.getLogger(__name__)

CHAT_ENDPOINT = "/v1/chat/completions"
_FINISHED = frozenset({"completed", "failed", "expired", "cancelled"})


@dataclass
class BatchReport:
    batch_id: str | None = None
    status: str = "not needed"
    already_cached: int = 0
    submitted: int = 0
    answered: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    """Request label -> why the batch gave no usable answer for it."""


@dataclass(frozen=True)
class BatchTiming:
    poll_interval_s: float
    timeout_s: float
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic


def batch_input(requests: dict[str, ChatRequest]) -> bytes:
    """The JSONL file the Batch API reads: one chat completion per line, its cache key as custom_id."""
    lines = [
        json.dumps({"custom_id": key, "method": "POST", "url": CHAT_ENDPOINT, "body": request.body()}, ensure_ascii=False)
        for key, request in requests.items()
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def run_batch(
    api: OpenAIApi,
    cache: AnswerCache,
    requests: Sequence[ChatRequest],
    *,
    price: ModelPrice,
    usage: UsageTotals,
    timing: BatchTiming,
) -> BatchReport:
    report = BatchReport()
    pending: dict[str, ChatRequest] = {}
    for request in requests:
        key = cache_key(request)
        if key in pending:
            continue
        if cache.get(key) is not None:
            report.already_cached += 1
        else:
            pending[key] = request
    if not pending:
        return report
    report.submitted = len(pending)
    upload = api.call(
        "batch input upload",
        lambda client: client.files.create(file=("requests.jsonl", batch_input(pending), "application/jsonl"), purpose="batch"),
    )
    batch = api.call(
        "batch creation",
        lambda client: client.batches.create(
            input_file_id=upload.id,
            endpoint=CHAT_ENDPOINT,
            completion_window="24h",
            metadata={"created_by": "bridge_pipeline", "prompt_version": PROMPT_VERSION},
        ),
    )
    report.batch_id = batch.id
    log.info("batch %s created for %d request(s)", batch.id, len(pending))
    started = timing.clock()
    while batch.status not in _FINISHED:
        if timing.clock() - started >= timing.timeout_s:
            # The direct path will ask these again; a batch left running would be paid for twice.
            api.call(f"batch {batch.id} cancellation", lambda client: client.batches.cancel(batch.id))
            report.status = f"cancelled after {timing.timeout_s:g}s"
            _fail_all(report, pending, f"batch {batch.id} did not finish within {timing.timeout_s:g}s")
            return report
        timing.sleep(timing.poll_interval_s)
        batch = api.call(f"batch {batch.id} status", lambda client: client.batches.retrieve(batch.id))
    report.status = batch.status
    if batch.output_file_id:
        output = api.call(f"batch {batch.id} output", lambda client: client.files.content(batch.output_file_id).text)
        _collect(output, pending, cache, report, price, usage)
    if batch.error_file_id:
        errors = api.call(f"batch {batch.id} errors", lambda client: client.files.content(batch.error_file_id).text)
        _collect(errors, pending, cache, report, price, usage)
    unanswered = {key: request for key, request in pending.items() if request.label not in report.failed}
    answered_keys = {key for key in unanswered if cache.get(key) is not None}
    reason = f"batch {batch.id} ended '{batch.status}' without an answer for it"
    if batch.errors and batch.errors.data:
        reason += ": " + "; ".join(e.message or e.code or "error" for e in batch.errors.data[:3])
    _fail_all(report, {k: r for k, r in unanswered.items() if k not in answered_keys}, api.redact(reason))
    return report


def _collect(
    text: str,
    pending: dict[str, ChatRequest],
    cache: AnswerCache,
    report: BatchReport,
    price: ModelPrice,
    usage: UsageTotals,
) -> None:
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            log.warning("skipping an unreadable batch output line")
            continue
        key = record.get("custom_id")
        request = pending.get(key)
        if request is None:
            continue
        response = record.get("response") or {}
        if response.get("status_code") != 200:
            error = record.get("error") or (response.get("body") or {}).get("error") or {}
            report.failed[request.label] = f"HTTP {response.get('status_code')}: {error.get('message', 'no answer')}"
            continue
        try:
            read = read_completion_body(response.get("body"))
        except RetryableFailure as failure:
            report.failed[request.label] = failure.reason
            continue
        usage.batch_requests += 1
        usage.add_tokens(price, read.prompt_tokens, read.cached_prompt_tokens, read.completion_tokens, batch=True)
        cache.put(CachedAnswer.of(key, request, read, via_batch=True))
        report.answered += 1


def _fail_all(report: BatchReport, requests: dict[str, ChatRequest], reason: str) -> None:
    for request in requests.values():
        report.failed.setdefault(request.label, reason)
