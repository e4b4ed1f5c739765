"""A fake Microsoft Graph (and Entra ID token endpoint) for Teams transcripts, on 127.0.0.1.

Endpoints, with the real JSON shapes:
    POST /login/{tenant}/oauth2/v2.0/token                              client credentials (form)
    GET  /v1.0/users/{id}/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='{id}',startDateTime=..,endDateTime=..)
    GET  /v1.0/users/{id}/onlineMeetings/getAllRecordings(...)          same parameters
    GET  /v1.0/users/{id}/onlineMeetings/{meetingId}                    onlineMeeting
    GET  /v1.0/users/{id}/onlineMeetings/{meetingId}/transcripts/{id}/content   text/vtt
    GET  /v1.0/users/{id}/onlineMeetings/{meetingId}/recordings/{id}/content    302 to /storage/recordings/{id}?sig=..
    GET  /storage/recordings/{id}?sig=..                                the video bytes (no token; the link is signed)
    POST /v1.0/chats/{chatId}/messages                                  send a chatMessage (delegated only)
    PATCH /v1.0/chats/{chatId}/messages/{messageId}                     edit it (sender, Chat.ReadWrite)
    GET  /v1.0/chats/{chatId}/messages?$top=&$orderby=                  newest first, paged by skipToken
The token endpoint takes client credentials (app-only tokens) and, for service accounts seeded with
`add_service_account`, refresh tokens (delegated tokens carrying the account's consented scopes,
answered with a rotated refresh token). Each meeting has a chat (`chatInfo.threadId`); the chat
rules are in `teams_chats`. Next-page links use the `users('{id}')` key form and an opaque
`skipToken`, as Graph's own do.
Per organizer: a 403 policy refusal (`forbid_organizer`). Per transcript: 404 for its first N
content requests (`not_ready_polls`). Switches: `next_link_loop`, `duplicate_across_pages`,
`revoke_used_refresh_tokens`; `lose_answers(route)` handles a request and then answers 504.
Route names for faults: token, transcripts, recordings, meeting, content, chat_post, chat_edit, chat_list,
recording_content, recording_storage.
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
from urllib.parse import parse_qs, quote, unquote

from bridge_fakes.loopback import FakeRequest, LoopbackApi, Reply
from bridge_fakes.teams_chats import ChatRefusal, FakeTeamsChats, TokenGrant
from bridge_pipeline.apis.graph.settings import GraphSettings
from bridge_pipeline.apis.timestamps import format_api_datetime, parse_api_datetime
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.settings import HttpSettings

if TYPE_CHECKING:
    from bridge_pipeline.notifications.teams_chat import TeamsChatSettings

POLICY_ERRORS = {
    "no_access_policy": (
        "Forbidden",
        None,
        "Application is not allowed to perform operations on the user, neither is allowed access through RSC "
        "permission evaluation.",
    ),
    "transcripts_disabled": (
        "Forbidden",
        "GraphAccessToTranscriptsDisabled",
        "Graph access to transcripts is disabled for this tenant.",
    ),
    "speaker_attribution_disabled": (
        "Forbidden",
        "SpeakerAttributionNotAllowed",
        "Speaker attributed transcripts are not allowed for this tenant.",
    ),
}

_FUNCTION_PATH = re.compile(
    r"^/v1\.0/users(?:/(?P<plain>[^/(]+)|\('(?P<keyed>[^']+)'\))/onlineMeetings/"
    r"(?P<function>getAllTranscripts|getAllRecordings)\((?P<args>[^)]*)\)$"
)
_MEETING_PATH = re.compile(r"^/v1\.0/users/(?P<org>[^/]+)/onlineMeetings/(?P<meeting>[^/]+)$")
_CONTENT_PATH = re.compile(
    r"^/v1\.0/users/(?P<org>[^/]+)/onlineMeetings/(?P<meeting>[^/]+)/transcripts/(?P<transcript>[^/]+)/content$"
)
_TOKEN_PATH = re.compile(r"^/login/(?P<tenant>[^/]+)/oauth2/v2\.0/token$")
_RECORDING_CONTENT_PATH = re.compile(
    r"^/v1\.0/users/(?P<org>[^/]+)/onlineMeetings/(?P<meeting>[^/]+)/recordings/(?P<recording>[^/]+)/content$"
)
_RECORDING_STORAGE_PATH = re.compile(r"^/storage/recordings/(?P<recording>[^/]+)$")
_CHAT_MESSAGES_PATH = re.compile(r"^/v1\.0/chats/(?P<chat>[^/]+)/messages$")
_CHAT_MESSAGE_PATH = re.compile(r"^/v1\.0/chats/(?P<chat>[^/]+)/messages/(?P<message>[^/]+)$")
GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default"
_GRAPH_RESOURCE = "https://graph.microsoft.com/"
# Scopes a delegated token request may name besides Graph permissions; they are not permissions.
_OIDC_SCOPES = frozenset({"offline_access", "openid", "profile", "email"})


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@dataclass(frozen=True)
class FakeServiceAccount:
    """A user the pipeline posts chat messages as, with the delegated scopes an admin consented to."""

    user_id: str
    upn: str
    display_name: str
    consented_scopes: frozenset[str]


@dataclass
class FakeTeamsMeeting:
    """One meeting occurrence with its transcript (or none) and recording."""

    organizer_id: str
    subject: str
    start: dt.datetime
    vtt: str | None
    attendees: tuple[tuple[str, str], ...] = ()  # (upn, display name)
    has_recording: bool = True
    not_ready_polls: int = 0  # the transcript content answers 404 this many times first
    transcript_created: dt.datetime | None = None  # default: one minute after the start
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("FakeTeamsMeeting.start must be timezone-aware")
        self.transcript_created = self.transcript_created or self.start + dt.timedelta(minutes=1)
        thread = uuid.uuid5(uuid.NAMESPACE_URL, f"thread/{self.key}").hex
        self.meeting_id = _b64(f"1*{self.organizer_id}*0**19:meeting_{thread}@thread.v2")
        self.transcript_id = _b64(f"1##0##{uuid.uuid5(uuid.NAMESPACE_URL, f'transcript/{self.key}')}")
        self.recording_id = _b64(f"1##0##{uuid.uuid5(uuid.NAMESPACE_URL, f'recording/{self.key}')}")
        self.chat_thread_id = f"19:meeting_{thread}@thread.v2"
        self.correlation_id = f"{uuid.uuid5(uuid.NAMESPACE_URL, f'correlation/{self.key}')}-0"


class FakeGraphServer(LoopbackApi):
    """See the module docstring. Credentials default to sandbox values; seed with `add_meeting`."""

    rate_limited_routes = frozenset({"transcripts", "recordings", "meeting", "content", "chat_post", "chat_edit", "chat_list"})

    def __init__(
        self,
        *,
        tenant_id: str = "sandbox-tenant",
        client_id: str = "sandbox-graph-client",
        client_secret: str | None = None,
        page_size: int = 10,
        port: int = 0,
        token_lifetime_s: float = 3599.0,
        server_rate_limit_per_s: float | None = None,
    ):
        super().__init__(port=port, token_lifetime_s=token_lifetime_s, server_rate_limit_per_s=server_rate_limit_per_s)
        self.tenant_id = tenant_id
        self.client_id = client_id
        # A fresh secret per instance, so a token cached for an earlier fake on the same port is never reused.
        self.client_secret = client_secret or f"sandbox-graph-secret-{secrets.token_hex(8)}"
        self.page_size = page_size
        self.meetings: list[FakeTeamsMeeting] = []
        # Indexes, so a seeded backlog of thousands of meetings does not slow every answer down.
        self._by_organizer: dict[str, list[FakeTeamsMeeting]] = {}
        self._by_artifact: dict[tuple[str, str], FakeTeamsMeeting] = {}  # (organizer, meeting or transcript id)
        self.organizer_upns: dict[str, str] = {}
        self.organizer_errors: dict[str, str] = {}
        self.next_link_loop = False
        self.duplicate_across_pages = False
        self.echo_credentials_in_errors = False  # a careless server; the client must still not leak them
        self._content_requests: dict[str, int] = {}
        self.chats = FakeTeamsChats()
        self.service_accounts: dict[str, FakeServiceAccount] = {}
        self.revoke_used_refresh_tokens = False
        self.refresh_tokens_issued: list[str] = []
        self._refresh_tokens: dict[str, str] = {}  # refresh token -> service account user id
        self._grants: dict[str, TokenGrant] = {}  # access token -> what it stands for
        self._joining_accounts: set[str] = set()

    # --- seeding ---------------------------------------------------------------------------------

    def add_organizer(self, organizer_id: str, upn: str) -> None:
        with self._lock:
            self.organizer_upns[organizer_id] = upn

    def add_meeting(self, meeting: FakeTeamsMeeting) -> FakeTeamsMeeting:
        with self._lock:
            self.organizer_upns.setdefault(meeting.organizer_id, f"{meeting.organizer_id[:8]}@sandbox.example")
            self.meetings.append(meeting)
            self._by_organizer.setdefault(meeting.organizer_id, []).append(meeting)
            self._by_artifact[(meeting.organizer_id, meeting.meeting_id)] = meeting
            self._by_artifact[(meeting.organizer_id, meeting.transcript_id)] = meeting
            members = {meeting.organizer_id, *self._joining_accounts}
        self.chats.open_chat(meeting.chat_thread_id, members)
        return meeting

    def add_service_account(
        self,
        user_id: str,
        upn: str,
        *,
        display_name: str = "Bridge notes",
        scopes: tuple[str, ...] = ("ChatMessage.Send", "Chat.ReadWrite"),
        join_meeting_chats: bool = True,
    ) -> str:
        """Seed an account the pipeline posts as; returns a refresh token for it (as its one sign-in would)."""
        account = FakeServiceAccount(user_id, upn, display_name, frozenset(scopes))
        with self._lock:
            self.service_accounts[user_id] = account
            if join_meeting_chats:
                self._joining_accounts.add(user_id)
                meetings = list(self.meetings)
            else:
                meetings = []
            token = self._new_refresh_token(user_id)
        for meeting in meetings:
            self.chats.add_member(meeting.chat_thread_id, user_id)
        return token

    def forbid_organizer(self, organizer_id: str, policy: str = "no_access_policy") -> None:
        """Every request about `organizer_id` answers 403 with the given policy error."""
        if policy not in POLICY_ERRORS:
            raise ValueError(f"policy must be one of {sorted(POLICY_ERRORS)}")
        with self._lock:
            self.organizer_errors[organizer_id] = policy

    def grant_of(self, access_token: str) -> TokenGrant | None:
        with self._lock:
            return self._grants.get(access_token)

    def access_tokens_issued(self) -> list[str]:
        """Every access token handed out so far (for tests that check none leaks)."""
        with self._lock:
            return list(self._grants)

    # --- URLs a client needs ---------------------------------------------------------------------

    @property
    def graph_base_url(self) -> str:
        return f"{self.base_url}/v1.0"

    @property
    def login_base_url(self) -> str:
        return f"{self.base_url}/login"

    def source_settings(self, *, http: HttpSettings | None = None, **overrides: Any) -> GraphSettings:
        """Settings that point the Teams source at this fake, in sandbox mode, for every seeded organizer."""
        with self._lock:
            organizers = tuple(self.organizer_upns)
        values: dict[str, Any] = {
            "tenant_id": self.tenant_id,
            "client_id": self.client_id,
            "client_secret": Secret(self.client_secret),
            "organizer_ids": organizers,
            "graph_base_url": self.graph_base_url,
            "login_base_url": self.login_base_url,
            "allowed_hosts": (),
            "http": http or HttpSettings(mode="sandbox"),
        }
        return GraphSettings(**{**values, **overrides})

    def chat_sender_settings(
        self, refresh_token: str, *, http: HttpSettings | None = None, **overrides: Any
    ) -> TeamsChatSettings:
        """Settings that point the Teams chat poster at this fake, as the service account `refresh_token` belongs to."""
        from bridge_pipeline.notifications.teams_chat import TeamsChatSettings

        values: dict[str, Any] = {
            "tenant_id": self.tenant_id,
            "client_id": self.client_id,
            "client_secret": Secret(self.client_secret),
            "refresh_token": Secret(refresh_token),
            "graph_base_url": self.graph_base_url,
            "login_base_url": self.login_base_url,
            "allowed_hosts": (),
            "http": http or HttpSettings(mode="sandbox"),
        }
        return TeamsChatSettings(**{**values, **overrides})

    # --- routing ---------------------------------------------------------------------------------

    def route_of(self, request: FakeRequest) -> str:
        path = unquote(request.raw_path)
        if _TOKEN_PATH.match(request.raw_path):
            return "token"
        if _CHAT_MESSAGES_PATH.match(request.raw_path):
            return "chat_post" if request.method == "POST" else "chat_list"
        if _CHAT_MESSAGE_PATH.match(request.raw_path) and request.method == "PATCH":
            return "chat_edit"
        match = _FUNCTION_PATH.match(path)
        if match:
            return "transcripts" if match["function"] == "getAllTranscripts" else "recordings"
        if _CONTENT_PATH.match(request.raw_path):
            return "content"
        if _RECORDING_CONTENT_PATH.match(request.raw_path):
            return "recording_content"
        if _RECORDING_STORAGE_PATH.match(request.raw_path):
            return "recording_storage"
        if _MEETING_PATH.match(request.raw_path):
            return "meeting"
        return "unknown"

    def answer(self, route: str, request: FakeRequest) -> Reply:
        if route == "token":
            return self._token(request)
        if route == "unknown":
            return _error(404, "UnknownError", None, f"no such resource: {request.raw_path}")
        if route == "recording_storage":
            return self._recording_storage(request)
        if not self.token_valid(request.bearer_token):
            return _error(401, "InvalidAuthenticationToken", None, "Access token has expired or is not yet valid.")
        if route.startswith("chat_"):
            return self._chat(route, request)
        if route in ("transcripts", "recordings"):
            return self._listing(route, request)
        if route == "meeting":
            return self._meeting(request)
        if route == "recording_content":
            return self._recording_content(request)
        return self._content(request)

    def throttle_reply(self) -> Reply:
        return _error(429, "TooManyRequests", "429", "Please retry again later.", {"Retry-After": "1"})

    def lost_answer_reply(self) -> Reply:
        return _error(504, "GatewayTimeout", None, "The gateway did not get an answer in time.")

    # --- handlers --------------------------------------------------------------------------------

    def _token(self, request: FakeRequest) -> Reply:
        form = {name: values[0] for name, values in parse_qs(request.body.decode()).items()}
        tenant = _TOKEN_PATH.match(request.raw_path)["tenant"]  # type: ignore[index]
        grant_type = form.get("grant_type")
        if grant_type not in ("client_credentials", "refresh_token") or (
            grant_type == "client_credentials" and form.get("scope") != GRAPH_DEFAULT_SCOPE
        ):
            return Reply.json({"error": "invalid_request", "error_description": "AADSTS900144: bad grant or scope"}, 400)
        if tenant != self.tenant_id or form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            description = "AADSTS7000215: Invalid client secret provided."
            if self.echo_credentials_in_errors:
                description += f" Received client_secret={form.get('client_secret')}"
            return Reply.json({"error": "invalid_client", "error_description": description, "error_codes": [7000215]}, 401)
        if grant_type == "refresh_token":
            return self._delegated_token(form)
        token = self.issue_token()
        with self._lock:
            self._grants[token] = TokenGrant("app")
        return Reply.json({**self._token_lifetime(), "access_token": token})

    def _delegated_token(self, form: dict[str, str]) -> Reply:
        with self._lock:
            user_id = self._refresh_tokens.get(form.get("refresh_token") or "")
            account = self.service_accounts.get(user_id or "")
        if account is None:
            description = "AADSTS70000: The provided value for the refresh_token is expired, revoked or malformed."
            if self.echo_credentials_in_errors:
                description += f" Received refresh_token={form.get('refresh_token')}"
            return Reply.json({"error": "invalid_grant", "error_description": description, "error_codes": [70000]}, 400)
        requested = form.get("scope", "").split()
        named = {s.removeprefix(_GRAPH_RESOURCE) for s in requested if s != GRAPH_DEFAULT_SCOPE and s not in _OIDC_SCOPES}
        if named - account.consented_scopes:
            description = (
                "AADSTS65001: The user or administrator has not consented to use the application for "
                f"{', '.join(sorted(named - account.consented_scopes))}."
            )
            return Reply.json({"error": "invalid_grant", "error_description": description, "error_codes": [65001]}, 400)
        scopes = account.consented_scopes if GRAPH_DEFAULT_SCOPE in requested else frozenset(named)
        token = self.issue_token()
        with self._lock:
            self._grants[token] = TokenGrant("delegated", account.user_id, account.display_name, scopes)
            if self.revoke_used_refresh_tokens:
                self._refresh_tokens.pop(form["refresh_token"], None)
            rotated = self._new_refresh_token(account.user_id) if "offline_access" in requested else None
        payload: dict[str, Any] = {**self._token_lifetime(), "scope": " ".join(sorted(scopes)), "access_token": token}
        if rotated:
            payload["refresh_token"] = rotated
        return Reply.json(payload)

    def _token_lifetime(self) -> dict[str, Any]:
        return {
            "token_type": "Bearer",
            "expires_in": int(self.token_lifetime_s) if self.token_lifetime_s >= 1 else self.token_lifetime_s,
            "ext_expires_in": int(self.token_lifetime_s),
        }

    def _new_refresh_token(self, user_id: str) -> str:
        token = "fake-refresh-" + secrets.token_urlsafe(32)
        self._refresh_tokens[token] = user_id
        self.refresh_tokens_issued.append(token)
        return token

    def _chat(self, route: str, request: FakeRequest) -> Reply:
        grant = self.grant_of(request.bearer_token or "") or TokenGrant("app")
        if route == "chat_edit":
            match = _CHAT_MESSAGE_PATH.match(request.raw_path)
        else:
            match = _CHAT_MESSAGES_PATH.match(request.raw_path)
        assert match is not None
        chat_id = unquote(match["chat"])
        try:
            if route == "chat_post":
                return Reply.json(self.chats.post(chat_id, grant, _json_body(request)), 201)
            if route == "chat_edit":
                self.chats.edit(chat_id, unquote(match["message"]), grant, _json_body(request))
                return Reply(204)
            return self._chat_listing(chat_id, grant, request)
        except ChatRefusal as refusal:
            return _error(refusal.status, refusal.code, None, refusal.message)

    def _chat_listing(self, chat_id: str, grant: TokenGrant, request: FakeRequest) -> Reply:
        try:
            top = int(request.param("$top") or 20)
        except ValueError:
            return _error(400, "BadRequest", None, "$top must be a number.")
        items = self.chats.listing(chat_id, grant, top=top, order_by=request.param("$orderby") or "lastModifiedDateTime desc")
        offset = _decode_skip(request.param("skipToken"))
        payload: dict[str, Any] = {
            "@odata.context": f"{self.graph_base_url}/$metadata#chats('{chat_id}')/messages",
            "@odata.count": len(items[offset : offset + top]),
            "value": items[offset : offset + top],
        }
        if offset + top < len(items):
            query = f"$top={top}&$orderby={quote(request.param('$orderby') or 'lastModifiedDateTime desc')}"
            payload["@odata.nextLink"] = f"{self.base_url}{request.raw_path}?{query}&skipToken={_encode_skip(offset + top)}"
        return Reply.json(payload)

    def _listing(self, route: str, request: FakeRequest) -> Reply:
        match = _FUNCTION_PATH.match(unquote(request.raw_path))
        assert match is not None
        organizer = match["plain"] or match["keyed"]
        args = _function_args(match["args"])
        if args.get("meetingOrganizerUserId") != organizer:
            return _error(400, "BadRequest", None, "meetingOrganizerUserId must name the user in the path.")
        if organizer in self.organizer_errors:
            return self._policy_error(organizer)
        try:
            start = parse_api_datetime(args["startDateTime"]) if "startDateTime" in args else None
            end = parse_api_datetime(args["endDateTime"]) if "endDateTime" in args else None
        except ValueError as exc:
            return _error(400, "BadRequest", None, f"Invalid date-time: {exc}")

        with self._lock:
            meetings = [
                m
                for m in self._by_organizer.get(organizer, [])
                # A day's margin on both sides: the exact filter on each item's own time follows below.
                if (start is None or (m.transcript_created or m.start) >= start - dt.timedelta(days=1))
                and (end is None or (m.transcript_created or m.start) < end + dt.timedelta(days=1))
            ]
        if route == "transcripts":
            items = [_transcript_json(m, self.graph_base_url) for m in meetings if m.vtt is not None]
        else:
            items = [_recording_json(m, self.graph_base_url) for m in meetings if m.has_recording]
        items = [
            item
            for item in sorted(items, key=lambda item: item["createdDateTime"])
            if (start is None or parse_api_datetime(item["createdDateTime"]) >= start)
            and (end is None or parse_api_datetime(item["createdDateTime"]) < end)
        ]

        size = int(request.param("$top") or self.page_size)
        offset = _decode_skip(request.param("skipToken"))
        page = items[offset : offset + size]
        if self.duplicate_across_pages and offset > 0 and offset - 1 < len(items):
            page = [items[offset - 1], *page]
        payload: dict[str, Any] = {"@odata.context": f"{self.graph_base_url}/$metadata#Collection(callTranscript)", "value": page}
        if offset + size < len(items):
            next_offset = size if self.next_link_loop and offset > 0 else offset + size
            link_path = request.raw_path.replace(f"/users/{quote(organizer, safe='')}/", f"/users('{organizer}')/", 1)
            payload["@odata.nextLink"] = f"{self.base_url}{link_path}?skipToken={_encode_skip(next_offset)}"
        return Reply.json(payload)

    def _meeting(self, request: FakeRequest) -> Reply:
        match = _MEETING_PATH.match(request.raw_path)
        assert match is not None
        organizer, meeting_id = unquote(match["org"]), unquote(match["meeting"])
        if organizer in self.organizer_errors:
            return self._policy_error(organizer)
        meeting = self._find(organizer, meeting_id)
        if meeting is not None and meeting.meeting_id != meeting_id:
            meeting = None
        if meeting is None:
            return _error(404, "NotFound", None, "The meeting was not found.")
        organizer_upn = self.organizer_upns.get(organizer, "")
        return Reply.json(
            {
                "id": meeting.meeting_id,
                "subject": meeting.subject,
                "creationDateTime": format_api_datetime(meeting.start - dt.timedelta(days=2)),
                "startDateTime": format_api_datetime(meeting.start),
                "endDateTime": format_api_datetime(meeting.start + dt.timedelta(minutes=30)),
                "joinWebUrl": f"https://teams.example/l/meetup-join/{meeting.key}",
                "chatInfo": {"threadId": meeting.chat_thread_id, "messageId": "0", "replyChainMessageId": None},
                "participants": {
                    "organizer": _participant(organizer_upn, None, organizer, "presenter"),
                    "attendees": [
                        _participant(upn, name, str(uuid.uuid5(uuid.NAMESPACE_URL, upn)), "attendee")
                        for upn, name in meeting.attendees
                    ],
                },
            }
        )

    def _content(self, request: FakeRequest) -> Reply:
        match = _CONTENT_PATH.match(request.raw_path)
        assert match is not None
        organizer, transcript_id = unquote(match["org"]), unquote(match["transcript"])
        if organizer in self.organizer_errors:
            return self._policy_error(organizer)
        meeting = self._find(organizer, transcript_id)
        if meeting is not None and meeting.transcript_id != transcript_id:
            meeting = None
        if meeting is None or meeting.vtt is None:
            return _error(404, "NotFound", None, "The transcript was not found.")
        with self._lock:
            seen = self._content_requests.get(transcript_id, 0)
            self._content_requests[transcript_id] = seen + 1
        if seen < meeting.not_ready_polls:
            return _error(404, "NotFound", None, "The requested transcript content is not available yet.")
        wanted = request.param("$format") or request.headers.get("accept", "text/vtt")
        if "text/vtt" not in wanted:
            return _error(400, "BadRequest", None, f"Unsupported format {wanted!r}")
        return Reply.text(meeting.vtt, "text/vtt")

    def _recording_content(self, request: FakeRequest) -> Reply:
        match = _RECORDING_CONTENT_PATH.match(request.raw_path)
        assert match is not None
        organizer, recording_id = unquote(match["org"]), unquote(match["recording"])
        if organizer in self.organizer_errors:
            return self._policy_error(organizer)
        if self._recording(recording_id, organizer) is None:
            return _error(404, "NotFound", None, "The recording was not found.")
        # Graph hands the bytes over from storage; the signed link needs no token.
        location = f"/storage/recordings/{quote(recording_id, safe='')}?sig={self._signature(recording_id)}"
        return Reply(302, b"", {"Location": location})

    def _recording_storage(self, request: FakeRequest) -> Reply:
        match = _RECORDING_STORAGE_PATH.match(request.raw_path)
        assert match is not None
        recording_id = unquote(match["recording"])
        if not hmac.compare_digest(request.param("sig") or "", self._signature(recording_id)):
            return _error(403, "AccessDenied", None, "The storage link is not valid.")
        if self._recording(recording_id) is None:
            return _error(404, "NotFound", None, "The recording was not found.")
        return Reply(200, fake_recording_bytes(recording_id), {"Content-Type": "video/mp4"})

    def _recording(self, recording_id: str, organizer: str | None = None) -> FakeTeamsMeeting | None:
        with self._lock:
            return next(
                (
                    m for m in self.meetings
                    if m.has_recording and m.recording_id == recording_id and organizer in (None, m.organizer_id)
                ),
                None,
            )

    def _signature(self, recording_id: str) -> str:
        return hmac.new(self.client_secret.encode(), recording_id.encode(), hashlib.sha256).hexdigest()

    # --- helpers ---------------------------------------------------------------------------------

    def _policy_error(self, organizer: str) -> Reply:
        code, inner, message = POLICY_ERRORS[self.organizer_errors[organizer]]
        return _error(403, code, inner, message)

    def _find(self, organizer: str, artifact_id: str) -> FakeTeamsMeeting | None:
        with self._lock:
            return self._by_artifact.get((organizer, artifact_id))


def fake_recording_bytes(recording_id: str) -> bytes:
    """What the fake serves as a recording's video: a few bytes, distinct per recording, far under any upload limit."""
    return b"\x00fake-teams-recording:" + recording_id.encode() + b"\x00"


def _json_body(request: FakeRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except ValueError as exc:
        raise ChatRefusal(400, "BadRequest", f"The request body is not valid JSON: {exc}") from None


def _function_args(text: str) -> dict[str, str]:
    args = {}
    for part in text.split(","):
        name, _, value = part.strip().partition("=")
        args[name.strip()] = value.strip().strip("'")
    return args


def _encode_skip(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset={offset}".encode()).decode()


def _decode_skip(token: str | None) -> int:
    if not token:
        return 0
    return int(base64.urlsafe_b64decode(token.encode()).decode().partition("=")[2])


def _identity_set(user_id: str, tenant: str = "sandbox-tenant") -> dict[str, Any]:
    return {
        "application": None,
        "device": None,
        "user": {
            "@odata.type": "#microsoft.graph.teamworkUserIdentity",
            "id": user_id,
            "displayName": None,
            "userIdentityType": "aadUser",
            "tenantId": tenant,
        },
    }


def _participant(upn: str, display_name: str | None, user_id: str, role: str) -> dict[str, Any]:
    return {
        "upn": upn,
        "role": role,
        "identity": {"user": {"id": user_id, "displayName": display_name, "tenantId": "sandbox-tenant", "identityProvider": "AAD"}},
    }


def _transcript_json(meeting: FakeTeamsMeeting, base: str) -> dict[str, Any]:
    created = meeting.transcript_created or meeting.start
    return {
        "@odata.type": "#microsoft.graph.callTranscript",
        "id": meeting.transcript_id,
        "meetingId": meeting.meeting_id,
        "callId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"call/{meeting.key}")),
        "contentCorrelationId": meeting.correlation_id,
        # Graph writes seven fractional digits.
        "createdDateTime": created.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") + "1Z",
        "endDateTime": format_api_datetime(created + dt.timedelta(minutes=29)),
        "transcriptContentUrl": (
            f"{base}/users/{quote(meeting.organizer_id, safe='')}/onlineMeetings/{quote(meeting.meeting_id, safe='')}"
            f"/transcripts/{quote(meeting.transcript_id, safe='')}/content"
        ),
        "meetingOrganizer": _identity_set(meeting.organizer_id),
    }


def _recording_json(meeting: FakeTeamsMeeting, base: str) -> dict[str, Any]:
    created = meeting.transcript_created or meeting.start
    return {
        "@odata.type": "#microsoft.graph.callRecording",
        "id": meeting.recording_id,
        "meetingId": meeting.meeting_id,
        "callId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"call/{meeting.key}")),
        "contentCorrelationId": meeting.correlation_id,
        "createdDateTime": format_api_datetime(created),
        "endDateTime": format_api_datetime(created + dt.timedelta(minutes=29)),
        "recordingContentUrl": (
            f"{base}/users/{quote(meeting.organizer_id, safe='')}/onlineMeetings/{quote(meeting.meeting_id, safe='')}"
            f"/recordings/{quote(meeting.recording_id, safe='')}/content"
        ),
        "meetingOrganizer": _identity_set(meeting.organizer_id),
    }


def _error(status: int, code: str, inner_code: str | None, message: str, headers: dict[str, str] | None = None) -> Reply:
    inner: dict[str, Any] = {"date": format_api_datetime(dt.datetime.now(dt.timezone.utc)), "request-id": str(uuid.uuid4())}
    if inner_code:
        inner["code"] = inner_code
    return Reply.json({"error": {"code": code, "message": message, "innerError": inner}}, status, headers)
