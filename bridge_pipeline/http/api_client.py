"""The request loop every API client runs on (Graph, Zoom, the chat posters): guard, rate limit, token, retries, redirects.

Each logical request (`Call`) goes through these steps, in one place for every API alike:
1. the URL guard checks the URL (and, for downloads, each redirect target) before anything is sent;
2. the shared token bucket hands out a slot (calls the API counts; not token or storage downloads);
3. the bearer token comes from the shared per-tenant/account cache (per process, or per deployment in
   the database for Zoom); if the server refuses it, the token is dropped, refetched once (or replaced by
   the one another process stored meanwhile) and the request sent again; a second refusal is an auth failure;
4. 429 and 5xx answers, timeouts, dropped connections and garbled JSON are retried under the
   `RetryPolicy` (tenacity), waiting as `Retry-After` says (or backing off with jitter) within its budget;
5. everything else becomes the `SourceError` the API's `ResponseRules` choose.
Every HTTP request sent (each redirect hop and token request too) is counted by status and timed by outcome
into the tallies of bridge_pipeline.observability.metrics.
A download with a size cap (`Call.max_bytes`, recordings for speech-to-text) is read as a stream and
dropped as soon as it passes the cap.
Every error message passes through the redactor before it leaves, so no credential can leak.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

import httpx
import tenacity

from bridge_pipeline.http.content import json_object, looks_like_html, short_text
from bridge_pipeline.http.errors import (
    AuthFailedError,
    NotFoundError,
    RetriesExhaustedError,
    SourceError,
    SourceTimeoutError,
    ThrottledError,
    TooLargeError,
    TransientSourceError,
    UnexpectedResponseError,
)
from bridge_pipeline.http.rate_limit import TokenBucket
from bridge_pipeline.http.retry import RetriesSpent, RetryPolicy
from bridge_pipeline.http.retry_after import parse_retry_after
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.settings import HttpSettings
from bridge_pipeline.http.tokens import AccessToken, IssuedToken, TokenSource
from bridge_pipeline.http.url_guard import UrlGuard
from bridge_pipeline.observability import metrics
from bridge_pipeline.observability.redaction import Redactor

logger = logging.getLogger(__name__)

T = TypeVar("T")
CallKind = Literal["token", "api", "download"]
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})
# The API each source's clients call, as the latency histogram names it: Teams is read and posted to
# through Microsoft Graph.
API_OF_SOURCE = {"teams": "graph", "zoom": "zoom"}


@dataclass(frozen=True)
class Call:
    """One logical request, retried as a whole."""

    method: str
    url: str
    what: str  # for messages: "listing transcripts of organizer 1234"
    kind: CallKind = "api"
    params: Mapping[str, str | int] | None = None
    headers: Mapping[str, str] | None = None
    form: Mapping[str, str] | None = None
    json: Any = None  # a JSON request body (chat posts and edits); None sends none
    scope: str | None = None  # the organizer or user the call is about, for error messages
    rate_limited: bool = True  # False for calls the API does not count (token endpoint, storage downloads)
    max_bytes: int | None = None  # downloads: refuse a body over this size, reading no more than that of it

    @property
    def authenticated(self) -> bool:
        return self.kind != "token"


class ResponseRules(Protocol):
    """What differs between the APIs: how a refused token looks, and what a failed answer means."""

    def token_rejected(self, response: httpx.Response, call: Call) -> bool: ...

    def error_for(self, response: httpx.Response, call: Call) -> SourceError: ...


def _identity(response: httpx.Response) -> httpx.Response:
    return response


class ApiClient:
    """Sends `Call`s for one API client; see the module docstring for the steps."""

    def __init__(
        self,
        *,
        source: str,
        settings: HttpSettings,
        guard: UrlGuard,
        rules: ResponseRules,
        token_cache: TokenSource,
        limiter: TokenBucket,
        redactor: Redactor,
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.source = source
        self.settings = settings
        self.guard = guard
        self.rules = rules
        self.token_cache = token_cache
        self.limiter = limiter
        self.redactor = redactor
        self._sleep = sleep
        self._owns_http = http is None
        self.http = http or httpx.Client(
            timeout=httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s),
            follow_redirects=False,
            # Proxy variables from the environment must not reroute calls to the loopback fakes.
            trust_env=settings.mode == "production",
            headers={"User-Agent": "bridge-pipeline"},
        )
        # Production: every new connection is checked on the address it reached (see UrlGuard.peer_check).
        peer_check = guard.peer_check()
        self._extensions = {"trace": peer_check} if peer_check is not None else None
        self._fetch_token: Callable[[], IssuedToken] | None = None
        self.requests_sent = 0
        self.throttled_answers = 0

    def __repr__(self) -> str:
        return f"ApiClient(source={self.source!r}, mode={self.settings.mode!r})"

    def use_token_fetcher(self, fetch: Callable[[], IssuedToken]) -> None:
        self._fetch_token = fetch

    def close(self) -> None:
        if self._owns_http:
            self.http.close()

    # --- the public entry point ------------------------------------------------------------------

    def request(
        self, call: Call, parse: Callable[[httpx.Response], T] = _identity, *, policy: RetryPolicy | None = None
    ) -> T:
        """The parsed answer to `call`, retrying transient failures; a SourceError otherwise."""
        policy = policy or self.settings.retry

        def attempt() -> T:
            try:
                return self._attempt(call, parse)
            except SourceError as exc:
                raise self._redacted(exc) from exc.__cause__

        try:
            return policy.run(attempt, retryable=_is_retryable, sleep=self._sleep, before_sleep=self._log_retry(call))
        except RetriesSpent as spent:
            last = spent.last_error
            assert isinstance(last, TransientSourceError)
            raise RetriesExhaustedError(
                self.source,
                self.redactor.redact(_gave_up_message(call, last, spent, policy)),
                last_error=last,
                attempts=spent.attempts,
                elapsed_s=spent.elapsed_s,
            ) from last

    # --- one attempt -----------------------------------------------------------------------------

    def _attempt(self, call: Call, parse: Callable[[httpx.Response], T]) -> T:
        url = self.guard.check(call.url)
        refetched = False
        while True:
            token = self._token() if call.authenticated else None
            response = self._send(call, url, token)
            if token is None or not self.rules.token_rejected(response, call):
                break
            if refetched:
                answer = (
                    "an HTML page instead of the file"
                    if looks_like_html(response.content[:512], response.headers.get("content-type"))
                    else f"HTTP {response.status_code}"
                )
                raise AuthFailedError(
                    self.source,
                    f"{call.what}: the server still refused the access token after a fresh one was fetched "
                    f"({answer}: {short_text(response.content)})",
                    status=response.status_code,
                )
            logger.info("%s: %s: access token refused, fetching a new one", self.source, call.what)
            self.token_cache.invalidate(token)
            refetched = True
        self._raise_for_status(response, call)
        return parse(response)

    def bearer_token(self) -> Secret:
        """The access token requests are sent with (from the shared cache, fetched when needed)."""
        return self._token().value

    def check_credentials(self) -> None:
        """Ask the token endpoint for a fresh token, even with one cached: proves the credentials work.

        The new token replaces the cached one: Zoom has just revoked it, and a shared cache must not
        keep handing it to other processes.
        """
        token = self.token_cache.renew(self._token_fetcher())
        self.redactor.add(token.value)

    def _token_fetcher(self) -> Callable[[], IssuedToken]:
        if self._fetch_token is None:
            raise RuntimeError("no token fetcher configured")
        return self._fetch_token

    def _token(self) -> AccessToken:
        token = self.token_cache.get(self._token_fetcher())
        # The cache is shared, so this client may see a token another client fetched.
        self.redactor.add(token.value)
        return token

    def _send(self, call: Call, url: httpx.URL, token: AccessToken | None) -> httpx.Response:
        if call.rate_limited and call.kind != "token":
            self.limiter.acquire()
        origin = (url.scheme, url.host, url.port)
        method = call.method
        for hop in range(self.settings.max_redirects + 1):
            headers = dict(call.headers or {})
            # The bearer token only goes to the origin it was meant for, never to a redirect target elsewhere.
            if token is not None and (url.scheme, url.host, url.port) == origin:
                headers["Authorization"] = f"Bearer {token.value.reveal()}"
            request = self.http.build_request(
                method,
                url,
                params=call.params if hop == 0 else None,
                headers=headers,
                data=call.form if hop == 0 else None,
                json=call.json if hop == 0 else None,
                extensions=self._extensions,
            )
            response = self._send_once(call, request)
            if call.kind != "download" or response.status_code not in _REDIRECTS:
                return response
            location = response.headers.get("location")
            if not location:
                return response
            url = self.guard.check(response.url.join(location), redirect=True)
            if response.status_code in (301, 302, 303):
                method = "GET"
        raise UnexpectedResponseError(
            self.source, f"{call.what}: more than {self.settings.max_redirects} redirects", status=None
        )

    def _send_once(self, call: Call, request: httpx.Request) -> httpx.Response:
        self.requests_sent += 1
        began = time.perf_counter()
        try:
            if call.max_bytes is None:
                response = self.http.send(request)
            else:
                response = self._send_capped(call, request, call.max_bytes)
        except httpx.TimeoutException as exc:
            self._record_request("timeout", metrics.OUTCOME_RETRYABLE, began)
            raise SourceTimeoutError(
                self.source, f"{call.what}: no answer within the client timeout ({type(exc).__name__})"
            ) from exc
        except httpx.TransportError as exc:
            self._record_request("connection_error", metrics.OUTCOME_RETRYABLE, began)
            raise TransientSourceError(
                self.source, f"{call.what}: connection failed ({type(exc).__name__}: {exc})"
            ) from exc
        self._record_request(response.status_code, status_outcome(response.status_code), began)
        return response

    def _record_request(self, status: int | str, outcome: str, began: float) -> None:
        metrics.count(metrics.API_REQUESTS, source=self.source, status=status)
        api = API_OF_SOURCE.get(self.source, self.source)
        metrics.observe(metrics.API_REQUEST_DURATION, time.perf_counter() - began, api=api, outcome=outcome)

    def _send_capped(self, call: Call, request: httpx.Request, max_bytes: int) -> httpx.Response:
        """The response read as a stream that is dropped as soon as it passes `max_bytes` (recordings can be gigabytes)."""
        response = self.http.send(request, stream=True)
        try:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise TooLargeError(
                    self.source, f"{call.what}: the file is {int(declared)} bytes, over the {max_bytes}-byte download limit"
                )
            received = bytearray()
            for chunk in response.iter_raw():
                received += chunk
                if len(received) > max_bytes:
                    raise TooLargeError(
                        self.source, f"{call.what}: the file is over the {max_bytes}-byte download limit (stopped reading)"
                    )
        finally:
            response.close()
        raw = bytes(received)
        received.clear()  # a recording can be large; keep one copy, not two
        # A fresh response over the raw bytes decodes them as the original would have (content-encoding and all).
        whole = httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(raw),
            request=response.request,
            extensions=response.extensions,
        )
        whole.read()
        return whole

    def _raise_for_status(self, response: httpx.Response, call: Call) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        if status == 429 or status in _TRANSIENT_STATUSES:
            wait = parse_retry_after(response.headers.get("retry-after"), dt.datetime.now(dt.timezone.utc))
            retry_after_s = wait.seconds if wait else None
            error_type = ThrottledError if status in (429, 503) else TransientSourceError
            if status == 429:
                self.throttled_answers += 1
                if retry_after_s is not None and not self.settings.retry.asks_too_long(retry_after_s):
                    self.limiter.hold_for(retry_after_s)
            asked = f", Retry-After {response.headers.get('retry-after')!r}" if wait else ""
            raise error_type(
                self.source,
                f"{call.what}: HTTP {status}{asked}: {short_text(response.content)}",
                status=status,
                retry_after_s=retry_after_s,
                retry_at=wait.at if wait else None,
            )
        raise self.rules.error_for(response, call)

    # --- helpers ---------------------------------------------------------------------------------

    def _redacted(self, exc: SourceError) -> SourceError:
        exc.detail = self.redactor.redact(exc.detail)
        exc.args = tuple(self.redactor.redact(arg) if isinstance(arg, str) else arg for arg in exc.args)
        return exc

    def _log_retry(self, call: Call) -> Callable[[tenacity.RetryCallState], None]:
        def log(state: tenacity.RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            logger.warning(
                "%s: %s; retry %d in %.2f s",
                self.source,
                self.redactor.redact(getattr(error, "detail", str(error))),
                state.attempt_number,
                state.upcoming_sleep,
            )

        return log


def default_error_for(source: str, response: httpx.Response, call: Call, code: str | None, message: str) -> SourceError:
    """The error for a failed answer no source-specific rule claimed."""
    status = response.status_code
    text = f"{call.what}: HTTP {status}" + (f" {code}" if code else "") + (f": {message}" if message else "")
    if call.kind == "token" and status in (400, 401, 403):
        return AuthFailedError(source, f"{text} (check the client id, secret and tenant/account id)", status=status, code=code)
    if status == 401:
        return AuthFailedError(source, text, status=status, code=code)
    if status == 404:
        return NotFoundError(source, text, status=status, code=code)
    return UnexpectedResponseError(source, text, status=status, code=code)


def status_outcome(status: int) -> str:
    """The latency histogram's outcome of an answer, by the same rules `_raise_for_status` retries by."""
    if status < 400:
        return metrics.OUTCOME_OK  # redirects included: a download's hop to storage is a good answer
    if status == 429:
        return metrics.OUTCOME_THROTTLED
    if status in _TRANSIENT_STATUSES:
        return metrics.OUTCOME_RETRYABLE
    return metrics.OUTCOME_ERROR


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, SourceError) and exc.retryable


def _gave_up_message(call: Call, last: TransientSourceError, spent: RetriesSpent, policy: RetryPolicy) -> str:
    asked = last.retry_after_s
    if asked is not None and spent.reason == "retry_after":
        until = f" (until {last.retry_at.isoformat()})" if last.retry_at else ""
        return (
            f"{call.what}: the server asks to wait {asked:.0f} s{until}, longer than the "
            f"{policy.max_retry_after_s:.0f} s this client waits; try again after that. Last answer: {last.detail}"
        )
    return (
        f"{call.what}: gave up after {spent.attempts} attempt(s) in {spent.elapsed_s:.1f} s "
        f"(policy: at most {policy.max_attempts} attempts within {policy.budget_s:.0f} s); last error: {last.detail}"
    )


def parse_json_with(source: str, what: str) -> Callable[[httpx.Response], dict[str, Any]]:
    """A `parse` argument for `ApiClient.request` that reads the answer as a JSON object."""
    return lambda response: json_object(response, source=source, what=what)


class ApiClientUser:
    """Base of the per-API clients: each holds one `ApiClient` in `api` and closes it when done."""

    api: ApiClient

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.api.close()
