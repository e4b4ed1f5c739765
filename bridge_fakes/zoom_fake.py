"""A fake Zoom API (Server-to-Server OAuth, cloud recordings, downloads) on 127.0.0.1.

Endpoints, with the real JSON shapes:
    POST /oauth/token?grant_type=account_credentials&account_id=..     Basic client_id:client_secret
    GET  /v2/users?status=active                                       paged by next_page_token
    GET  /v2/users/{userId}/recordings?from=&to=&page_size=            at most one month apart
    GET  /v2/past_meetings/{uuid}/participants                         UUID double-encoded when needed
    GET  /rec/download/{fileId}        bearer token -> 302 to /rec/storage/{fileId}?sig=...;
                                       a missing or refused token gets a 200 HTML page, as Zoom does
    GET  /rec/storage/{fileId}?sig=..  the file
    POST /v2/chat/users/{userId}/messages              Team Chat message to a channel or contact
    PUT  /v2/chat/users/{userId}/messages/{messageId}  edit it (sender only; text only)
    GET  /v2/chat/users/{userId}/messages?to_channel|to_contact=&from=&to=   newest first, paged
Issuing a token revokes the previous one (Zoom's behaviour; API calls with it then answer 401
code 124). Tokens carry `granted_scopes`; the chat endpoints check them (rules in `zoom_team_chat`).
`lose_answers(route)` carries a request out and then answers 504. Route names for faults: token,
users, recordings, participants, download, storage, chat_post, chat_edit, chat_list.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from dateutil.relativedelta import relativedelta

from bridge_fakes.loopback import FakeRequest, LoopbackApi, Reply
from bridge_fakes.zoom_team_chat import Caller, FakeZoomTeamChat, ZoomRefusal
from bridge_pipeline.apis.timestamps import format_api_datetime
from bridge_pipeline.apis.zoom.settings import ZoomSettings
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.settings import HttpSettings

if TYPE_CHECKING:
    from bridge_pipeline.notifications.zoom_chat import ZoomChatSettings

MAX_PAGE_SIZE = 300
LOGIN_PAGE = (
    "<!DOCTYPE html><html><head><title>Zoom</title></head><body>"
    "<p>Only the host can download this recording. Sign in to continue.</p></body></html>"
)

_RECORDINGS_PATH = re.compile(r"^/v2/users/(?P<user>[^/]+)/recordings$")
_PARTICIPANTS_PATH = re.compile(r"^/v2/past_meetings/(?P<uuid>[^/]+)/participants$")
_DOWNLOAD_PATH = re.compile(r"^/rec/download/(?P<file>[^/]+)$")
_STORAGE_PATH = re.compile(r"^/rec/storage/(?P<file>[^/]+)$")
_CHAT_MESSAGES_PATH = re.compile(r"^/v2/chat/users/(?P<user>[^/]+)/messages$")
_CHAT_MESSAGE_PATH = re.compile(r"^/v2/chat/users/(?P<user>[^/]+)/messages/(?P<message>[^/]+)$")
DEFAULT_SCOPES = frozenset(
    {
        "cloud_recording:read:list_user_recordings:admin",
        "meeting:read:list_past_participants:admin",
        "user:read:list_users:admin",
        "chat_message:write:admin",
        "chat_message:read:admin",
    }
)


@dataclass
class FakeZoomMeeting:
    """One meeting instance with its cloud-recording files."""

    host_id: str
    topic: str
    start: dt.datetime
    vtt: str | None  # None: no transcript file (yet)
    chat: str | None = None
    participants: tuple[tuple[str, str], ...] = ()  # (name, e-mail)
    transcript_status: str = "completed"  # or "processing"
    audio_only: bool = False  # an M4A audio_only file instead of video
    video: bool = True
    duration_min: int = 30
    uuid: str = ""
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("FakeZoomMeeting.start must be timezone-aware")
        if not self.uuid:
            self.uuid = base64.b64encode(hashlib.sha256(self.key.encode()).digest()[:16]).decode()
        self.number = int(hashlib.sha256(f"number/{self.key}".encode()).hexdigest()[:9], 16) % 9_000_000_000 + 1_000_000_000

    def file_id(self, kind: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.key}/{kind}"))


class FakeZoomServer(LoopbackApi):
    """See the module docstring. Credentials default to sandbox values; seed with `add_meeting`."""

    rate_limited_routes = frozenset({"users", "recordings", "participants", "chat_post", "chat_edit", "chat_list"})

    def __init__(
        self,
        *,
        account_id: str = "sandbox-account",
        client_id: str = "sandbox-zoom-client",
        client_secret: str | None = None,
        page_size_default: int = 30,
        port: int = 0,
        token_lifetime_s: float = 3600.0,
        server_rate_limit_per_s: float | None = None,
    ):
        super().__init__(port=port, token_lifetime_s=token_lifetime_s, server_rate_limit_per_s=server_rate_limit_per_s)
        self.revoke_previous_tokens = True
        self.account_id = account_id
        self.client_id = client_id
        # A fresh secret per instance, so a token cached for an earlier fake on the same port is never reused.
        self.client_secret = client_secret or f"sandbox-zoom-secret-{secrets.token_hex(8)}"
        self.page_size_default = page_size_default
        self.meetings: list[FakeZoomMeeting] = []
        self.users: dict[str, str] = {}  # id -> e-mail
        self.html_for_downloads = 0  # the next N downloads answer with the login page even with a good token
        self._files: dict[str, tuple[FakeZoomMeeting, str]] = {}  # file id -> (meeting, kind)
        self._signing_key = uuid.uuid4().bytes
        self.granted_scopes: set[str] = set(DEFAULT_SCOPES)  # what the app was given; tokens carry it
        self.team_chat = FakeZoomTeamChat()
        self._token_scopes: dict[str, frozenset[str]] = {}

    # --- seeding ---------------------------------------------------------------------------------

    def add_user(self, user_id: str, email: str) -> None:
        with self._lock:
            self.users[user_id] = email

    def add_meeting(self, meeting: FakeZoomMeeting) -> FakeZoomMeeting:
        with self._lock:
            self.users.setdefault(meeting.host_id, f"{meeting.host_id.lower()}@sandbox.example")
            self.meetings.append(meeting)
            for kind in ("transcript", "chat", "audio", "video"):
                self._files[meeting.file_id(kind)] = (meeting, kind)
        return meeting

    def add_channel(self, channel_id: str, name: str, members: tuple[str, ...]) -> None:
        """A Team Chat channel with the given member user ids."""
        self.team_chat.add_channel(channel_id, name, set(members))

    def access_tokens_issued(self) -> list[str]:
        """Every access token handed out so far (for tests that check none leaks)."""
        with self._lock:
            return list(self._token_scopes)

    def invalid_token_answers(self) -> int:
        """API calls answered 401 (code 124: a revoked, expired or unknown token) so far."""
        with self._lock:
            return sum(1 for request in self.requests if request.status == 401)

    def daily_limit(self, route: str, retry_at: dt.datetime, *, times: int | None = 1, with_headers: bool = True) -> None:
        """The next `times` requests to `route` hit the daily limit; Retry-After names `retry_at`."""
        headers = {"X-RateLimit-Category": "Medium", "X-RateLimit-Type": "Daily-limit"} if with_headers else {}
        if with_headers:
            headers["Retry-After"] = format_api_datetime(retry_at)
        self.fail(
            route,
            429,
            payload={
                "code": 429,
                "message": "You have reached the maximum daily rate limit for this API. "
                "Refer to the response header for details on when you can make another request.",
            },
            headers=headers,
            times=times,
        )

    @property
    def api_base_url(self) -> str:
        return f"{self.base_url}/v2"

    def source_settings(self, *, http: HttpSettings | None = None, **overrides: Any) -> ZoomSettings:
        """Settings that point the Zoom source at this fake, in sandbox mode."""
        values: dict[str, Any] = {
            "account_id": self.account_id,
            "client_id": self.client_id,
            "client_secret": Secret(self.client_secret),
            "api_base_url": self.api_base_url,
            "oauth_base_url": self.base_url,
            "allowed_hosts": (),
            "http": http or HttpSettings(mode="sandbox"),
        }
        return ZoomSettings(**{**values, **overrides})

    def chat_sender_settings(self, sender_user_id: str, *, http: HttpSettings | None = None, **overrides: Any) -> ZoomChatSettings:
        """Settings that point the Zoom chat poster at this fake, sending as `sender_user_id`."""
        from bridge_pipeline.notifications.zoom_chat import ZoomChatSettings

        values: dict[str, Any] = {
            "account_id": self.account_id,
            "client_id": self.client_id,
            "client_secret": Secret(self.client_secret),
            "sender_user_id": sender_user_id,
            "api_base_url": self.api_base_url,
            "oauth_base_url": self.base_url,
            "allowed_hosts": (),
            "http": http or HttpSettings(mode="sandbox"),
        }
        return ZoomChatSettings(**{**values, **overrides})

    # --- routing ---------------------------------------------------------------------------------

    def route_of(self, request: FakeRequest) -> str:
        path = request.raw_path
        if path == "/oauth/token":
            return "token"
        if path == "/v2/users":
            return "users"
        if _CHAT_MESSAGES_PATH.match(path):
            return "chat_post" if request.method == "POST" else "chat_list"
        if _CHAT_MESSAGE_PATH.match(path) and request.method == "PUT":
            return "chat_edit"
        for name, pattern in (
            ("recordings", _RECORDINGS_PATH),
            ("participants", _PARTICIPANTS_PATH),
            ("download", _DOWNLOAD_PATH),
            ("storage", _STORAGE_PATH),
        ):
            if pattern.match(path):
                return name
        return "unknown"

    def answer(self, route: str, request: FakeRequest) -> Reply:
        if route == "token":
            return self._token(request)
        if route == "download":
            return self._download(request)
        if route == "storage":
            return self._storage(request)
        if route == "unknown":
            return Reply.json({"code": 404, "message": f"No such API: {request.raw_path}"}, 404)
        if not self.token_valid(request.bearer_token):
            return Reply.json({"code": 124, "message": "Invalid access token."}, 401)
        if route.startswith("chat_"):
            return self._chat(route, request)
        if route == "users":
            return self._users(request)
        if route == "recordings":
            return self._recordings(request)
        return self._participants(request)

    def throttle_reply(self) -> Reply:
        # Per-second limits come with headers but without Retry-After.
        return Reply.json(
            {"code": 429, "message": "You have reached the maximum per-second rate limit for this API. Try again later."},
            429,
            {"X-RateLimit-Category": "Medium", "X-RateLimit-Type": "QPS", "X-RateLimit-Limit": str(self.server_rate_limit_per_s)},
        )

    def lost_answer_reply(self) -> Reply:
        return Reply.json({"code": 504, "message": "Gateway timeout."}, 504)

    # --- handlers --------------------------------------------------------------------------------

    def _token(self, request: FakeRequest) -> Reply:
        if request.param("grant_type") != "account_credentials":
            return Reply.json({"reason": "unsupported grant type", "error": "unsupported_grant_type"}, 400)
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}" or request.param("account_id") != self.account_id:
            return Reply.json({"reason": "Invalid client_id or client_secret", "error": "invalid_client"}, 400)
        token = self.issue_token()
        with self._lock:
            scopes = frozenset(self.granted_scopes)
            self._token_scopes[token] = scopes
        return Reply.json(
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": self.token_lifetime_s,
                "scope": " ".join(sorted(scopes)),
                "api_url": self.base_url,
            }
        )

    def _users(self, request: FakeRequest) -> Reply:
        with self._lock:
            users = [{"id": user_id, "email": email, "status": "active", "type": 2} for user_id, email in sorted(self.users.items())]
        return self._page(request, "users", users, {})

    def _recordings(self, request: FakeRequest) -> Reply:
        user = unquote(_RECORDINGS_PATH.match(request.raw_path)["user"])  # type: ignore[index]
        with self._lock:
            known = user in self.users or user in self.users.values()
        if not known:
            return Reply.json({"code": 1001, "message": f"User {user} not exist or not belong to this account."}, 404)
        today = dt.datetime.now(dt.timezone.utc).date()
        try:
            first = dt.date.fromisoformat(request.param("from") or today.isoformat())
            last = dt.date.fromisoformat(request.param("to") or (today + dt.timedelta(days=1)).isoformat())
        except ValueError as exc:
            return Reply.json({"code": 300, "message": f"Invalid date: {exc}"}, 400)
        if last > first + relativedelta(months=1):
            return Reply.json({"code": 300, "message": "The date range must not be longer than one month."}, 400)
        with self._lock:
            meetings = [
                m
                for m in self.meetings
                if (m.host_id == user or self.users.get(m.host_id) == user)
                and first <= m.start.astimezone(dt.timezone.utc).date() <= last
            ]
        items = [self._meeting_json(m) for m in sorted(meetings, key=lambda m: m.start, reverse=True)]
        return self._page(request, "meetings", items, {"from": first.isoformat(), "to": last.isoformat()})

    def _participants(self, request: FakeRequest) -> Reply:
        raw = _PARTICIPANTS_PATH.match(request.raw_path)["uuid"]  # type: ignore[index]
        once = unquote(raw)
        meeting_uuid = unquote(once) if "%" in once else once
        needs_double = meeting_uuid.startswith("/") or "//" in meeting_uuid
        if needs_double and "%" not in once:
            # Sent encoded once: Zoom's front end turns the slashes into path separators.
            return Reply.json({"code": 3001, "message": "Meeting does not exist."}, 404)
        meeting = self._find(lambda m: m.uuid == meeting_uuid)
        if meeting is None:
            return Reply.json({"code": 3001, "message": "Meeting does not exist."}, 404)
        items = [
            {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, email)), "name": name, "user_email": email}
            for name, email in meeting.participants
        ]
        return self._page(request, "participants", items, {})

    def _download(self, request: FakeRequest) -> Reply:
        file_id = unquote(_DOWNLOAD_PATH.match(request.raw_path)["file"])  # type: ignore[index]
        with self._lock:
            forced_html = self.html_for_downloads > 0
            if forced_html:
                self.html_for_downloads -= 1
        if forced_html or not self.token_valid(request.bearer_token):
            return Reply.text(LOGIN_PAGE, "text/html; charset=utf-8")
        if self._file(file_id) is None:
            return Reply.json({"code": 3301, "message": "There is no recording for this meeting."}, 404)
        signature = hmac.new(self._signing_key, file_id.encode(), hashlib.sha256).hexdigest()
        return Reply(302, b"", {"Location": f"/rec/storage/{file_id}?sig={signature}"})

    def _storage(self, request: FakeRequest) -> Reply:
        file_id = unquote(_STORAGE_PATH.match(request.raw_path)["file"])  # type: ignore[index]
        expected = hmac.new(self._signing_key, file_id.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.param("sig") or "", expected):
            return Reply.text("<Error><Code>AccessDenied</Code></Error>", "application/xml", 403)
        found = self._file(file_id)
        if found is None:
            return Reply.text("<Error><Code>NoSuchKey</Code></Error>", "application/xml", 404)
        content, content_type = found
        return Reply(200, content, {"Content-Type": content_type})

    def _chat(self, route: str, request: FakeRequest) -> Reply:
        match = (_CHAT_MESSAGE_PATH if route == "chat_edit" else _CHAT_MESSAGES_PATH).match(request.raw_path)
        assert match is not None
        with self._lock:
            scopes = self._token_scopes.get(request.bearer_token or "", frozenset())
            contacts = {**{email: email for email in self.users.values()}, **self.users}
        sender_key = unquote(match["user"])
        sender_email = contacts.get(sender_key)
        if sender_email is None:
            return Reply.json({"code": 1001, "message": f"User does not exist: {sender_key}."}, 404)
        sender_id = next(user_id for user_id, email in self.users.items() if email == sender_email)
        caller = Caller(sender_id, sender_email, scopes, contacts)
        try:
            if route == "chat_post":
                return Reply.json(self.team_chat.post(caller, _json(request)), 201)
            if route == "chat_edit":
                self.team_chat.edit(caller, unquote(match["message"]), _json(request))
                return Reply(204)
            query = {name: request.param(name) for name in ("to_channel", "to_contact", "from", "to")}
            items = self.team_chat.listing(caller, query)
        except ZoomRefusal as refusal:
            return Reply.json({"code": refusal.code, "message": refusal.message}, refusal.status)
        return self._page(request, "messages", items, {"from": query["from"], "to": query["to"]})

    # --- helpers ---------------------------------------------------------------------------------

    def _page(self, request: FakeRequest, field_name: str, items: list[Any], extra: dict[str, Any]) -> Reply:
        size = min(int(request.param("page_size") or self.page_size_default), MAX_PAGE_SIZE)
        offset = _decode_page_token(request.param("next_page_token"))
        page = items[offset : offset + size]
        next_token = _encode_page_token(offset + size) if offset + size < len(items) else ""
        return Reply.json(
            {
                **extra,
                "page_count": max(1, -(-len(items) // size)),
                "page_size": size,
                "total_records": len(items),
                "next_page_token": next_token,
                field_name: page,
            }
        )

    def _meeting_json(self, meeting: FakeZoomMeeting) -> dict[str, Any]:
        start = format_api_datetime(meeting.start)
        end = format_api_datetime(meeting.start + dt.timedelta(minutes=meeting.duration_min))
        files = []

        def add(kind: str, file_type: str, extension: str, recording_type: str, size: int, status: str = "completed") -> None:
            files.append(
                {
                    "id": meeting.file_id(kind),
                    "meeting_id": meeting.uuid,
                    "recording_start": start,
                    "recording_end": end,
                    "file_type": file_type,
                    "file_extension": extension,
                    "file_size": size,
                    "play_url": f"{self.base_url}/rec/play/{meeting.file_id(kind)}",
                    "download_url": f"{self.base_url}/rec/download/{meeting.file_id(kind)}",
                    "status": status,
                    "recording_type": recording_type,
                }
            )

        if meeting.audio_only:
            add("audio", "M4A", "M4A", "audio_only", 246_560)
        elif meeting.video:
            add("video", "MP4", "MP4", "shared_screen_with_speaker_view", 7_220_000)
        if meeting.vtt is not None:
            add("transcript", "TRANSCRIPT", "VTT", "audio_transcript", len(meeting.vtt.encode()), meeting.transcript_status)
        if meeting.chat is not None:
            add("chat", "CHAT", "TXT", "chat_file", len(meeting.chat.encode()))
        return {
            "uuid": meeting.uuid,
            "id": meeting.number,
            "account_id": self.account_id,
            "host_id": meeting.host_id,
            "host_email": self.users.get(meeting.host_id),
            "topic": meeting.topic,
            "type": 2,
            "start_time": start,
            "timezone": "UTC",
            "duration": meeting.duration_min,
            "total_size": sum(f["file_size"] for f in files),
            "recording_count": len(files),
            "recording_files": files,
        }

    def _file(self, file_id: str) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._files.get(file_id)
        if found is None:
            return None
        meeting, kind = found
        if kind == "transcript":
            if meeting.vtt is None or meeting.transcript_status != "completed":
                return None
            return meeting.vtt.encode(), "text/vtt"
        if kind == "chat":
            return (meeting.chat.encode(), "text/plain") if meeting.chat is not None else None
        return fake_media_bytes(file_id), "application/octet-stream"

    def _find(self, predicate: Any) -> FakeZoomMeeting | None:
        with self._lock:
            return next((m for m in self.meetings if predicate(m)), None)


def fake_media_bytes(file_id: str) -> bytes:
    """What the fake serves as an audio or video file: a few bytes, distinct per file, far under any upload limit."""
    return b"\x00fake-media:" + file_id.encode() + b"\x00"


def _json(request: FakeRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except ValueError:
        raise ZoomRefusal(400, 300, "The request body is not valid JSON.") from None


def _encode_page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "n": uuid.uuid4().hex[:6]}).encode()).decode()


def _decode_page_token(token: str | None) -> int:
    if not token:
        return 0
    return int(json.loads(base64.urlsafe_b64decode(token.encode()))["o"])
