"""Two layers around every route: security headers on every response, and no response without a reviewer."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bridge_pipeline.review_desk.identity import ReviewerIdentity

STATIC_PREFIX = "/static/"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
)


class SecurityHeaders:
    """Pages and files are confidential: never framed, never cached, never sniffed into another type."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(STATIC_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
                headers["X-Frame-Options"] = "DENY"
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                headers["Cache-Control"] = "private, max-age=300" if static else "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequireReviewer:
    """Answers 401 unless the request names an allowed reviewer; puts the reviewer in the request state."""

    def __init__(self, app: ASGIApp, identity: ReviewerIdentity):
        self.app = app
        self.identity = identity

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        reviewer = self.identity.reviewer_for(Headers(scope=scope), client[0] if client else None)
        if reviewer is None:
            response = PlainTextResponse(f"401 Unauthorized\n\n{self.identity.sign_in_hint()}\n", status_code=401)
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["reviewer"] = reviewer
        await self.app(scope, receive, send)
