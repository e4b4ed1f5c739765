"""The machinery both fake APIs share: a real HTTP server on 127.0.0.1, tokens, faults on demand.

A `LoopbackApi` runs a `ThreadingHTTPServer` on a free port in a background thread. Subclasses map
a request to a route name and answer it. Before a route's own answer, queued faults for that route
are served (a status and body, a delay, a hang), so a test can say "the next 20 transcript listings
answer 429" without the fake knowing about tests; `lose_answers` instead lets the request take
effect and replaces only its answer (a post stored, its answer lost on the way back). Every request is logged, without credentials
but with the status it got, for assertions.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ANY_ROUTE = "*"


@dataclass(frozen=True)
class FakeRequest:
    method: str
    raw_path: str  # path as sent, still percent-encoded
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]  # lower-case names
    body: bytes

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    @property
    def bearer_token(self) -> str | None:
        value = self.headers.get("authorization", "")
        return value[7:] if value.lower().startswith("bearer ") else None


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, payload: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
        return cls(status, json.dumps(payload).encode(), {"Content-Type": "application/json", **(headers or {})})

    @classmethod
    def text(cls, text: str, content_type: str, status: int = 200) -> Reply:
        return cls(status, text.encode("utf-8"), {"Content-Type": content_type})


@dataclass
class Fault:
    """What the next `times` requests to `route` get instead of (or before) the normal answer."""

    route: str
    reply: Reply | None = None  # None: only delay, then answer normally
    times: int | None = 1  # None: every request until cleared
    delay_s: float = 0.0


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    route: str
    path: str
    query: Mapping[str, list[str]]
    authorization_scheme: str | None
    at: float
    status: int | None  # None: the request was left hanging


class LoopbackApi:
    """Base class of the fakes; use as a context manager or call start()/stop()."""

    #: Routes counted by the server-side rate limit (API calls, not token or file downloads).
    rate_limited_routes: frozenset[str] = frozenset()

    def __init__(self, *, port: int = 0, token_lifetime_s: float = 3599.0, server_rate_limit_per_s: float | None = None):
        self._requested_port = port
        self.token_lifetime_s = token_lifetime_s
        self.server_rate_limit_per_s = server_rate_limit_per_s
        self.revoke_previous_tokens = False
        self._lock = threading.RLock()
        self._tokens: dict[str, float] = {}
        self._faults: list[Fault] = []
        self._lost_answers: dict[str, int] = {}
        self._recent_api_calls: deque[float] = deque()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.requests: list[LoggedRequest] = []
        # Called with (route, request) before each answer; lets a test change state mid-walk.
        self.on_request: Callable[[str, FakeRequest], None] | None = None
        self.tokens_issued = 0
        self.throttled = 0

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> LoopbackApi:
        if self._server is not None:
            return self
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; with Nagle on, each answer would stall ~40 ms.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                api._handle(self)

            do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
                pass

        self._stopping.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", self._requested_port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name=type(self).__name__, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # releases handlers that are hanging on purpose
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> LoopbackApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- faults ----------------------------------------------------------------------------------

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def fail(
        self,
        route: str,
        status: int,
        *,
        payload: Any = None,
        body: bytes | None = None,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
        times: int | None = 1,
    ) -> None:
        """The next `times` requests to `route` answer `status` with a JSON `payload` or raw `body`."""
        raw = body if body is not None else json.dumps(payload if payload is not None else {}).encode()
        self.add_fault(Fault(route, Reply(status, raw, {"Content-Type": content_type, **(headers or {})}), times))

    def slow(self, route: str, delay_s: float, *, times: int | None = 1) -> None:
        """The next `times` requests to `route` are answered normally, after `delay_s`."""
        self.add_fault(Fault(route, None, times, delay_s))

    def hang(self, route: str, *, times: int | None = 1) -> None:
        """The next `times` requests to `route` get no answer until the server stops."""
        self.add_fault(Fault(route, None, times, delay_s=3600.0))

    def lose_answers(self, route: str, times: int = 1) -> None:
        """The next `times` requests to `route` are carried out, then answered with `lost_answer_reply()`
        (as when a proxy times out after the server did the work)."""
        with self._lock:
            self._lost_answers[route] = self._lost_answers.get(route, 0) + times

    # --- tokens ----------------------------------------------------------------------------------

    def issue_token(self) -> str:
        with self._lock:
            if self.revoke_previous_tokens:
                self._tokens.clear()
            token = "fake-" + secrets.token_urlsafe(24)
            self._tokens[token] = time.monotonic() + self.token_lifetime_s
            self.tokens_issued += 1
            return token

    def token_valid(self, token: str | None) -> bool:
        with self._lock:
            expires = self._tokens.get(token or "")
            return expires is not None and time.monotonic() < expires

    def expire_tokens(self) -> None:
        """Every token issued so far stops working (as if its hour had run out)."""
        with self._lock:
            self._tokens.clear()

    # --- to implement ----------------------------------------------------------------------------

    def route_of(self, request: FakeRequest) -> str:
        raise NotImplementedError

    def answer(self, route: str, request: FakeRequest) -> Reply:
        raise NotImplementedError

    def throttle_reply(self) -> Reply:
        """The answer to a request over the server-side rate limit."""
        return Reply.json({"error": "too many requests"}, 429)

    def lost_answer_reply(self) -> Reply:
        """What a client gets instead of the answer to a request whose answer was lost."""
        return Reply.json({"error": "gateway timeout"}, 504)

    # --- plumbing --------------------------------------------------------------------------------

    def requests_to(self, route: str) -> list[LoggedRequest]:
        with self._lock:
            return [request for request in self.requests if request.route == route]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        split = urlsplit(handler.path)
        request = FakeRequest(
            method=handler.command,
            raw_path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in handler.headers.items()},
            body=body,
        )
        try:
            route = self.route_of(request)
        except Exception as exc:  # a fake must answer, even to what it cannot route
            route, reply = "unknown", Reply.json({"error": f"fake could not route: {exc}"}, 500)
        else:
            if self.on_request is not None:
                self.on_request(route, request)
            reply = self._reply_for(route, request)
        scheme = request.headers.get("authorization", "").split(" ", 1)[0] or None
        with self._lock:
            self.requests.append(
                LoggedRequest(request.method, route, split.path, request.query, scheme, time.monotonic(),
                              reply.status if reply else None)
            )
        if reply is None:
            return  # hung until the server stopped; the client has long given up
        self._write(handler, reply)

    def _reply_for(self, route: str, request: FakeRequest) -> Reply | None:
        fault = self._take_fault(route)
        if fault is not None:
            if fault.delay_s and self._stopping.wait(fault.delay_s):
                return None
            if fault.reply is not None:
                return fault.reply
        if route in self.rate_limited_routes and self._over_rate_limit():
            with self._lock:
                self.throttled += 1
            return self.throttle_reply()
        try:
            reply = self.answer(route, request)
        except Exception as exc:  # surfaces fake bugs as 500s instead of dropped connections
            return Reply.json({"error": f"fake failed: {type(exc).__name__}: {exc}"}, 500)
        with self._lock:
            lost = self._lost_answers.get(route, 0)
            if lost:
                self._lost_answers[route] = lost - 1
        return self.lost_answer_reply() if lost else reply

    def _take_fault(self, route: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.route in (route, ANY_ROUTE):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def _over_rate_limit(self) -> bool:
        if self.server_rate_limit_per_s is None:
            return False
        now = time.monotonic()
        with self._lock:
            while self._recent_api_calls and now - self._recent_api_calls[0] >= 1.0:
                self._recent_api_calls.popleft()
            if len(self._recent_api_calls) >= self.server_rate_limit_per_s:
                return True
            self._recent_api_calls.append(now)
            return False

    @staticmethod
    def _write(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        try:
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (timed out); nothing to tell it
