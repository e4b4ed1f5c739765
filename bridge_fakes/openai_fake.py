"""A loopback fake of the OpenAI API: chat completions with json_schema, audio transcriptions, files, batches.

It speaks the real JSON shapes so the official client talks to it unchanged (`base_url=fake.api_base_url`).
Tests script what the "model" answers (per request, matched on the prompt text), make it refuse,
cut off, stall or fail with 429/500, and count requests to assert that a cached run made none.
Without a script the model answers from a few keyword rules, enough for demos and benchmarks: agreement
words make decisions, "I'll send ..." action items, and fees and payment terms come out as terms with the
status the next speaker's reply gives them (agreed, rejected, or still proposed), or open when left open.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from bridge_fakes.loopback import FakeRequest, LoopbackApi, Reply

DEFAULT_API_KEY = "sk-sandbox-not-a-secret-0000000000"
UPLOAD_LIMIT_BYTES = 25 * 1024 * 1024

ContentSource = str | dict[str, Any] | Callable[[dict[str, Any]], str | dict[str, Any]]


@dataclass
class ChatScript:
    """What the model answers to the chat requests whose prompt contains `match` (all, when None)."""

    content: ContentSource | None = None
    """The answer text, a JSON-able dict, or a function of the request body returning either."""
    refusal: str | None = None
    finish_reason: str = "stop"
    status: int = 200
    """Anything but 200 answers with an OpenAI-style error of that status instead."""
    retry_after: str | None = None
    match: str | None = None
    times: int | None = None
    """How many requests this script answers; None: every one until cleared."""
    delay_s: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass(frozen=True)
class SpokenSegment:
    start: float
    end: float
    text: str
    speaker: str | None = None


@dataclass
class FakeFile:
    id: str
    filename: str
    purpose: str
    data: bytes = field(repr=False)
    created_at: int

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "object": "file", "bytes": len(self.data), "created_at": self.created_at,
                "filename": self.filename, "purpose": self.purpose, "status": "processed"}


@dataclass
class FakeBatch:
    id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    metadata: dict[str, str] | None
    created_at: int
    status: str = "validating"
    polls: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"total": 0, "completed": 0, "failed": 0})
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "object": "batch", "endpoint": self.endpoint, "input_file_id": self.input_file_id,
            "completion_window": self.completion_window, "status": self.status, "created_at": self.created_at,
            "output_file_id": self.output_file_id, "error_file_id": self.error_file_id,
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "request_counts": dict(self.counts), "metadata": self.metadata,
        }


class FakeOpenAIServer(LoopbackApi):
    """Routes: chat.completions, audio.transcriptions, files.create, files.retrieve, files.content,
    batches.create, batches.retrieve, batches.cancel, models."""

    def __init__(
        self,
        *,
        api_key: str = DEFAULT_API_KEY,
        port: int = 0,
        upload_limit_bytes: int = UPLOAD_LIMIT_BYTES,
        batch_polls_to_finish: int = 2,
    ) -> None:
        super().__init__(port=port)
        self.api_key = api_key
        self.upload_limit_bytes = upload_limit_bytes
        self.batch_polls_to_finish = batch_polls_to_finish
        self.batch_outcome = "completed"
        """How batches end: 'completed', 'failed' or 'expired' (expired keeps what was answered)."""
        self.chat_scripts: list[ChatScript] = []
        self.transcription_segments: list[SpokenSegment] | None = None
        self.chat_bodies: list[dict[str, Any]] = []
        """Every chat completion body received directly (not through a batch), in order."""
        self.audio_uploads: list[tuple[str, int, dict[str, str]]] = []
        """(filename, size in bytes, form fields) of every transcription request."""
        self.files: dict[str, FakeFile] = {}
        self.batches: dict[str, FakeBatch] = {}
        self.batch_lines_answered = 0
        self._ids = itertools.count(1)
        self._chat_lock = threading.Lock()

    @property
    def api_base_url(self) -> str:
        """What the OpenAI client takes as base_url."""
        return f"{self.base_url}/v1"

    # --- scripting -----------------------------------------------------------------------------------

    def script_chat(self, content: ContentSource | None = None, **options: Any) -> ChatScript:
        """Add a script (see ChatScript); the first matching script with answers left is used."""
        script = ChatScript(content=content, **options)
        with self._lock:
            self.chat_scripts.append(script)
        return script

    def fail_chat(self, status: int, *, match: str | None = None, times: int | None = 1, retry_after: str | None = None) -> None:
        self.script_chat(status=status, match=match, times=times, retry_after=retry_after)

    def calls(self, route: str = "chat.completions") -> int:
        return len(self.requests_to(route))

    # --- routing -------------------------------------------------------------------------------------

    def route_of(self, request: FakeRequest) -> str:
        path = request.raw_path.rstrip("/")
        method = request.method
        fixed = {
            ("POST", "/v1/chat/completions"): "chat.completions",
            ("POST", "/v1/audio/transcriptions"): "audio.transcriptions",
            ("POST", "/v1/files"): "files.create",
            ("POST", "/v1/batches"): "batches.create",
            ("GET", "/v1/models"): "models",
        }
        if (method, path) in fixed:
            return fixed[(method, path)]
        if method == "GET" and re.fullmatch(r"/v1/files/[^/]+/content", path):
            return "files.content"
        if method == "GET" and re.fullmatch(r"/v1/files/[^/]+", path):
            return "files.retrieve"
        if method == "GET" and re.fullmatch(r"/v1/batches/[^/]+", path):
            return "batches.retrieve"
        if method == "POST" and re.fullmatch(r"/v1/batches/[^/]+/cancel", path):
            return "batches.cancel"
        return "unknown"

    def answer(self, route: str, request: FakeRequest) -> Reply:
        if route == "unknown":
            return _error(404, f"Unknown request URL: {request.method} {request.raw_path}", "invalid_request_error")
        if request.bearer_token != self.api_key:
            # Echoes the presented key whole, as a careless server might, so clients prove they redact it.
            return _error(401, f"Incorrect API key provided: {request.bearer_token}", "invalid_request_error", "invalid_api_key")
        handler = getattr(self, "_" + route.replace(".", "_"))
        return handler(request)

    # --- chat ----------------------------------------------------------------------------------------

    def _chat_completions(self, request: FakeRequest) -> Reply:
        try:
            body = json.loads(request.body)
        except json.JSONDecodeError:
            return _error(400, "We could not parse the JSON body of your request.", "invalid_request_error")
        with self._lock:
            self.chat_bodies.append(body)
        status, payload, headers = self.complete(body)
        return Reply.json(payload, status, headers)

    def complete(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        """(status, JSON body, headers) of a chat completion; used by the direct route and by batches."""
        problem = _request_problem(body)
        if problem:
            return 400, _error_body(problem, "invalid_request_error", param="response_format"), {}
        prompt = "\n".join(str(m.get("content", "")) for m in body["messages"])
        script = self._take_script(prompt)
        if script is not None and script.delay_s:
            time.sleep(script.delay_s)
        if script is not None and script.status != 200:
            headers = {"Retry-After": script.retry_after} if script.retry_after is not None else {}
            kind = "rate_limit_exceeded" if script.status == 429 else "server_error"
            return script.status, _error_body(f"scripted failure {script.status}", kind, code=kind), headers
        if script is not None and script.refusal is not None:
            content, refusal = None, script.refusal
        else:
            source = script.content if script is not None and script.content is not None else keyword_answer
            produced = source(body) if callable(source) else source
            content, refusal = (produced if isinstance(produced, str) else json.dumps(produced)), None
        completion_text = content or refusal or ""
        prompt_tokens = script.prompt_tokens if script and script.prompt_tokens is not None else max(1, len(prompt) // 4)
        completion_tokens = script.completion_tokens if script and script.completion_tokens is not None else max(1, len(completion_text) // 4)
        number = next(self._ids)
        payload = {
            "id": f"chatcmpl-fake{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": script.finish_reason if script is not None else "stop",
                "logprobs": None,
            }],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens,
                      "prompt_tokens_details": {"cached_tokens": 0}},
        }
        return 200, payload, {}

    def _take_script(self, prompt: str) -> ChatScript | None:
        with self._lock:
            for script in self.chat_scripts:
                if script.match is not None and script.match not in prompt:
                    continue
                if script.times is not None:
                    if script.times <= 0:
                        continue
                    script.times -= 1
                return script
        return None

    # --- audio ---------------------------------------------------------------------------------------

    def _audio_transcriptions(self, request: FakeRequest) -> Reply:
        if len(request.body) > self.upload_limit_bytes + 64 * 1024:
            return _error(413, f"Maximum content size limit ({self.upload_limit_bytes}) exceeded.", "invalid_request_error")
        fields, files = _multipart(request)
        upload = files.get("file")
        if upload is None or "model" not in fields:
            return _error(400, "file and model are required", "invalid_request_error")
        filename, data = upload
        if len(data) > self.upload_limit_bytes:
            return _error(413, f"Maximum content size limit ({self.upload_limit_bytes}) exceeded.", "invalid_request_error")
        with self._lock:
            self.audio_uploads.append((filename, len(data), fields))
            number = len(self.audio_uploads)
        segments = self.transcription_segments or [
            SpokenSegment(0.0, 4.0, f"Audio part {number} has {len(data)} bytes.", "A"),
            SpokenSegment(4.0, 9.0, "We agreed to send the summary by Friday.", "B"),
        ]
        duration = max(s.end for s in segments)
        text = " ".join(s.text for s in segments)
        style = fields.get("response_format", "json")
        if style == "diarized_json":
            return Reply.json({
                "task": "transcribe", "duration": duration, "text": text,
                "segments": [{"type": "transcript.text.segment", "id": f"seg_{i}", "start": s.start, "end": s.end,
                              "speaker": s.speaker or "A", "text": s.text} for i, s in enumerate(segments)],
                "usage": {"type": "duration", "seconds": duration},
            })
        if style == "verbose_json":
            return Reply.json({
                "task": "transcribe", "language": "english", "duration": duration, "text": text,
                "segments": [{"id": i, "seek": 0, "start": s.start, "end": s.end, "text": s.text, "tokens": [],
                              "temperature": 0.0, "avg_logprob": -0.2, "compression_ratio": 1.2, "no_speech_prob": 0.01}
                             for i, s in enumerate(segments)],
                "usage": {"type": "duration", "seconds": duration},
            })
        if style == "text":
            return Reply.text(text, "text/plain")
        return Reply.json({"text": text, "usage": {"type": "duration", "seconds": duration}})

    # --- files ---------------------------------------------------------------------------------------

    def _files_create(self, request: FakeRequest) -> Reply:
        fields, files = _multipart(request)
        upload = files.get("file")
        if upload is None or not fields.get("purpose"):
            return _error(400, "file and purpose are required", "invalid_request_error")
        stored = self._store_file(upload[0], fields["purpose"], upload[1])
        return Reply.json(stored.as_json())

    def _store_file(self, filename: str, purpose: str, data: bytes) -> FakeFile:
        with self._lock:
            stored = FakeFile(f"file-fake{next(self._ids)}", filename, purpose, data, int(time.time()))
            self.files[stored.id] = stored
            return stored

    def _files_retrieve(self, request: FakeRequest) -> Reply:
        stored = self.files.get(request.raw_path.rstrip("/").split("/")[3])
        return Reply.json(stored.as_json()) if stored else _error(404, "No such File object", "invalid_request_error")

    def _files_content(self, request: FakeRequest) -> Reply:
        stored = self.files.get(request.raw_path.rstrip("/").split("/")[3])
        if stored is None:
            return _error(404, "No such File object", "invalid_request_error")
        return Reply(200, stored.data, {"Content-Type": "application/octet-stream"})

    # --- batches -------------------------------------------------------------------------------------

    def _batches_create(self, request: FakeRequest) -> Reply:
        body = json.loads(request.body or b"{}")
        source = self.files.get(body.get("input_file_id", ""))
        if source is None or source.purpose != "batch":
            return _error(400, "input_file_id must name a file uploaded with purpose 'batch'", "invalid_request_error")
        if body.get("endpoint") != "/v1/chat/completions" or body.get("completion_window") != "24h":
            return _error(400, "endpoint must be /v1/chat/completions and completion_window 24h", "invalid_request_error")
        with self._lock:
            batch = FakeBatch(f"batch_fake{next(self._ids)}", source.id, body["endpoint"], body["completion_window"],
                              body.get("metadata"), int(time.time()))
            batch.counts["total"] = sum(1 for line in source.data.splitlines() if line.strip())
            self.batches[batch.id] = batch
        return Reply.json(batch.as_json())

    def _batches_retrieve(self, request: FakeRequest) -> Reply:
        batch = self.batches.get(request.raw_path.rstrip("/").split("/")[3])
        if batch is None:
            return _error(404, "No such batch", "invalid_request_error")
        with self._lock:
            batch.polls += 1
            if batch.status in ("validating", "in_progress", "finalizing") and batch.polls >= self.batch_polls_to_finish:
                self._finish(batch)
            elif batch.status == "validating":
                batch.status = "in_progress"
            elif batch.status == "cancelling":
                batch.status = "cancelled"
        return Reply.json(batch.as_json())

    def _batches_cancel(self, request: FakeRequest) -> Reply:
        batch = self.batches.get(request.raw_path.rstrip("/").split("/")[3])
        if batch is None:
            return _error(404, "No such batch", "invalid_request_error")
        with self._lock:
            if batch.status in ("validating", "in_progress", "finalizing"):
                batch.status = "cancelling"
        return Reply.json(batch.as_json())

    def _finish(self, batch: FakeBatch) -> None:
        if self.batch_outcome == "failed":
            batch.status = "failed"
            batch.errors = [{"code": "invalid_request", "message": "scripted batch failure", "line": 1, "param": None}]
            return
        lines = [json.loads(line) for line in self.files[batch.input_file_id].data.splitlines() if line.strip()]
        if self.batch_outcome == "expired":
            lines = lines[: len(lines) // 2]
        outputs, errors = [], []
        for line in lines:
            status, payload, _ = self.complete(line["body"])
            self.batch_lines_answered += 1
            record = {"id": f"batch_req_fake{next(self._ids)}", "custom_id": line["custom_id"],
                      "response": {"status_code": status, "request_id": f"req_{next(self._ids)}", "body": payload},
                      "error": None}
            (outputs if status == 200 else errors).append(json.dumps(record))
        batch.counts["completed"], batch.counts["failed"] = len(outputs), len(errors)
        if outputs:
            batch.output_file_id = self._store_file("batch_output.jsonl", "batch_output", ("\n".join(outputs) + "\n").encode()).id
        if errors:
            batch.error_file_id = self._store_file("batch_errors.jsonl", "batch_output", ("\n".join(errors) + "\n").encode()).id
        batch.status = "expired" if self.batch_outcome == "expired" else "completed"

    def _models(self, request: FakeRequest) -> Reply:
        return Reply.json({"object": "list", "data": [{"id": "gpt-5.4-mini", "object": "model", "created": 0, "owned_by": "sandbox"}]})


# --- helpers ---------------------------------------------------------------------------------------------


def _error_body(message: str, kind: str, *, code: str | None = None, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def _error(status: int, message: str, kind: str, code: str | None = None) -> Reply:
    return Reply.json(_error_body(message, kind, code=code), status)


def _request_problem(body: dict[str, Any]) -> str | None:
    """What the real API would refuse in a chat request with a strict json_schema response format."""
    if not body.get("model") or not isinstance(body.get("messages"), list) or not body["messages"]:
        return "model and a non-empty messages list are required"
    response_format = body.get("response_format")
    if response_format is None:
        return None
    if response_format.get("type") != "json_schema":
        return f"response_format type {response_format.get('type')!r} is not supported by this fake"
    spec = response_format.get("json_schema") or {}
    if not spec.get("name") or not isinstance(spec.get("schema"), dict):
        return "response_format.json_schema needs a name and a schema"
    if spec.get("strict"):
        return _strict_schema_problem(spec["schema"], "schema")
    return None


def _strict_schema_problem(node: Any, where: str) -> str | None:
    if isinstance(node, list):
        for index, child in enumerate(node):
            problem = _strict_schema_problem(child, f"{where}[{index}]")
            if problem:
                return problem
        return None
    if not isinstance(node, dict):
        return None
    if "default" in node:
        return f"Invalid schema for response_format: 'default' is not permitted ({where})"
    if node.get("type") == "object":
        properties = node.get("properties", {})
        if node.get("additionalProperties") is not False:
            return f"Invalid schema for response_format: additionalProperties must be false ({where})"
        if sorted(node.get("required", [])) != sorted(properties):
            return f"Invalid schema for response_format: every property must be required ({where})"
    for key in ("properties", "$defs"):
        for name, child in (node.get(key) or {}).items():
            problem = _strict_schema_problem(child, f"{where}.{name}")
            if problem:
                return problem
    for key in ("items", "anyOf"):
        if key in node:
            problem = _strict_schema_problem(node[key], f"{where}.{key}")
            if problem:
                return problem
    return None


def _multipart(request: FakeRequest) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """(form fields, files by field name) of a multipart/form-data body."""
    content_type = request.headers.get("content-type", "")
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.body)
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    if not message.is_multipart():
        return fields, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = (filename, data)
        elif name.endswith("[]"):
            fields[name] = (fields[name] + "\n" if name in fields else "") + data.decode("utf-8")
        else:
            fields[name] = data.decode("utf-8")
    return fields, files


# --- the default "model" ---------------------------------------------------------------------------------

_LINE = re.compile(r"^\[(?P<index>\d+)\] \d\d:\d\d:\d\d (?P<speaker>[^:]+): (?P<text>.*)$", re.MULTILINE)
_DECIDED = re.compile(r"\b(?:agreed|we decided|decision is|let's go with|we will go with|settled)\b", re.IGNORECASE)
_ASSIGNED = re.compile(r"\b(?:I'll|I will)\s+(?P<task>(?:send|draft|prepare|review|share|follow up|schedule)\b[^.?!]*)", re.IGNORECASE)


_MONEY = re.compile(r"(?:(?P<symbol>[€$£])\s?|\b(?P<code>EUR|USD|GBP)\s?)(?P<number>\d[\d,]*(?:\.\d+)?)(?P<k>k\b)?"
                    r"|\b(?P<number2>\d[\d,]*(?:\.\d+)?)(?P<k2>k\b)?\s?(?P<word>euros?|dollars?|pounds?)\b", re.IGNORECASE)
_CURRENCIES = {"€": "EUR", "$": "USD", "£": "GBP", "euro": "EUR", "dollar": "USD", "pound": "GBP"}
_PAYMENT = re.compile(r"\b(?:payment|paid|pay)\b[^.?!]*?\b(?P<days>\d+)\s+days\b", re.IGNORECASE)
_LEFT_OPEN = re.compile(r"\b(?:leave|left|keep|stays?|remains?)\b[^.?!]*\bopen\b|\bTBD\b|\bto be (?:decided|agreed)\b", re.IGNORECASE)
_REJECTS = re.compile(r"^\W*no\b|\btoo (?:high|much|low|long|short)\b|\b(?:can't|cannot|won't) (?:accept|do|agree)\b"
                      r"|\bnot acceptable\b|\breject", re.IGNORECASE)
_ACCEPTS = re.compile(r"\b(?:yes|yep|ok(?:ay)?|sure|deal|fine|agreed?|works for us|that works|acceptable|confirmed"
                      r"|sounds good|go with that)\b", re.IGNORECASE)
_OPEN_POINTS = (("fee_total", re.compile(r"\b(?:fee|price)", re.IGNORECASE)), ("payment_terms", re.compile(r"\bpayment", re.IGNORECASE)))
# Amounts in these sentences are parts of a fee, not the fee.
_PART_OF_FEE = re.compile(r"\b(?:milestones?|instal+ments?|split)\b", re.IGNORECASE)


def keyword_answer(body: dict[str, Any]) -> dict[str, Any]:
    """A stand-in model: a decision for each line with agreement words, an action item for each 'I'll send ...',
    and a fees decision for each fee or payment term (see the module docstring)."""
    prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user")
    lines = [(int(m.group("index")), m.group("speaker").strip(), m.group("text").strip()) for m in _LINE.finditer(prompt)]
    items = []
    for index, speaker, text in lines:
        if _DECIDED.search(text):
            items.append(_item("decision", text, index, owner=None, confidence=0.8))
        task = _ASSIGNED.search(text)
        if task:
            items.append(_item("action_item", f"{speaker} will {task.group('task').strip()}", index, owner=speaker, confidence=0.7))
    return {"items": items + _term_items(lines)}


def _term_items(lines: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    answered: set[tuple[str, str, int]] = set()  # (key, value, line): a reply that repeats the value, not a new offer
    for position, (index, speaker, text) in enumerate(lines):
        if _LEFT_OPEN.search(text):
            # "The fee stays open": the point is named, not valued.
            items += [_term_item(text, [index], key, "TBD", "open") for key, word in _OPEN_POINTS if word.search(text)]
            continue
        reply = next(((i, t) for i, s, t in lines[position + 1:position + 2] if s != speaker), None)
        for key, value in _term_values(text):
            if (key, value, index) in answered:
                continue
            if reply is None or not (_REJECTS.search(reply[1]) or _ACCEPTS.search(reply[1])):
                items.append(_term_item(text, [index], key, value, "proposed"))
                continue
            answered.add((key, value, reply[0]))
            if _REJECTS.search(reply[1]):
                items.append(_term_item(text, [index, reply[0]], key, value, "rejected"))
            else:
                items.append(_term_item(text, [index, reply[0]], key, value, "agreed", (reply[0],)))
    return items


def _term_item(text: str, cited: list[int], key: str, value: str, status: str, accepted: tuple[int, ...] = ()) -> dict[str, Any]:
    item = _item("decision", text, cited[0], owner=None, confidence=0.8 if status == "agreed" else 0.4)
    item.update(topic="fees", utterances=cited, terms=[{"key": key, "value": value, "status": status, "accepted_in": list(accepted)}])
    return item


def _term_values(text: str) -> list[tuple[str, str]]:
    """(term key, normalised value) of each fee and payment term the line states."""
    values = []
    sentences = re.split(r"(?<=[.?!])\s+", text)
    for match in (m for sentence in sentences if not _PART_OF_FEE.search(sentence) for m in _MONEY.finditer(sentence)):
        currency = _CURRENCIES.get((match.group("symbol") or match.group("word") or "").lower().rstrip("s")) or (match.group("code") or "").upper()
        number = float((match.group("number") or match.group("number2")).replace(",", ""))
        if match.group("k") or match.group("k2"):
            number *= 1000
        values.append(("fee_total", f"{currency} {number:.2f}"))
    values += [("payment_terms", f"{m.group('days')} days") for m in _PAYMENT.finditer(text)]
    return values


def _item(kind: str, text: str, index: int, *, owner: str | None, confidence: float) -> dict[str, Any]:
    return {"kind": kind, "text": text, "topic": "general", "owner": owner, "due_date": None, "amounts": [],
            "parties": [], "terms": [], "utterances": [index], "confidence": confidence}
