"""Model answers kept by content hash in the blob store (`cache/llm/<sha256>.json`).

The key hashes everything that shapes an answer: the prompt version, the model, the response schema
and the exact messages (which hold the transcript excerpt and the meeting date). An unchanged meeting
therefore finds all its answers and costs no request; a changed one misses only where its text changed.
What is stored is the raw answer before grounding, so better grounding rules apply without new requests.
"""

from __future__ import annotations

import hashlib
import json
import logging

from pydantic import BaseModel, ConfigDict, ValidationError

from bridge_pipeline.extraction.llm.completion import ReadAnswer
from bridge_pipeline.extraction.llm.prompt import PROMPT_VERSION, ChatRequest
from bridge_pipeline.storage.blobs import BlobStore

log = logging.getLogger(__name__)

CACHE_PREFIX = "cache/llm"


class CachedAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    prompt_version: str
    model: str
    content: str
    """The model's JSON answer exactly as received."""
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0
    completion_tokens: int = 0
    via_batch: bool = False

    @classmethod
    def of(cls, key: str, request: ChatRequest, read: ReadAnswer, *, via_batch: bool = False) -> CachedAnswer:
        return cls(
            key=key,
            prompt_version=PROMPT_VERSION,
            model=request.model,
            content=read.content,
            prompt_tokens=read.prompt_tokens,
            cached_prompt_tokens=read.cached_prompt_tokens,
            completion_tokens=read.completion_tokens,
            via_batch=via_batch,
        )


def cache_key(request: ChatRequest) -> str:
    body = request.body()
    material = {
        "prompt_version": PROMPT_VERSION,
        "model": body["model"],
        "messages": body["messages"],
        "response_format": body["response_format"],
    }
    canonical = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AnswerCache:
    def __init__(self, blobs: BlobStore, prefix: str = CACHE_PREFIX) -> None:
        self._blobs = blobs
        self._prefix = prefix

    def blob_key(self, key: str) -> str:
        return f"{self._prefix}/{key}.json"

    def get(self, key: str) -> CachedAnswer | None:
        """The stored answer, or None when there is none or it cannot be read (then it is asked again)."""
        blob_key = self.blob_key(key)
        if not self._blobs.exists(blob_key):
            return None
        try:
            answer = CachedAnswer.model_validate_json(self._blobs.get(blob_key))
        except (ValidationError, ValueError, OSError) as error:
            log.warning("ignoring unreadable cached answer %s: %s", blob_key, error)
            return None
        return answer if answer.key == key else None

    def put(self, answer: CachedAnswer) -> None:
        self._blobs.put(self.blob_key(answer.key), answer.model_dump_json(indent=1).encode("utf-8"))
