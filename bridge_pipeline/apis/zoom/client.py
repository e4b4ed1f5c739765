"""A Zoom API client for cloud recordings, transcripts and meeting participants (Server-to-Server OAuth), and the
account's shared `ApiClient` the Team Chat poster writes through."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from bridge_pipeline.apis.zoom.models import TRANSCRIPT, ZoomFile, ZoomMeeting, meeting_from_wire, participant_name
from bridge_pipeline.apis.zoom.rules import SOURCE, ZoomResponseRules
from bridge_pipeline.apis.zoom.settings import ZoomSettings
from bridge_pipeline.apis.zoom.uuids import encode_meeting_uuid
from bridge_pipeline.apis.zoom.windows import month_windows
from bridge_pipeline.http.api_client import ApiClient, ApiClientUser, Call, ResponseRules, parse_json_with
from bridge_pipeline.http.content import is_webvtt, short_text
from bridge_pipeline.http.errors import UnexpectedResponseError
from bridge_pipeline.http.media import download_media
from bridge_pipeline.http.pagination import PageWalk
from bridge_pipeline.http.secrets import Secret, basic_auth_value
from bridge_pipeline.http.settings import HttpSettings
from bridge_pipeline.http.shared import build_api_client
from bridge_pipeline.http.tokens import IssuedToken, issued_token_from
from bridge_pipeline.models import UntranscribedRecording


class ZoomClient(ApiClientUser):
    """Reads one account's cloud recordings; see `ZoomSettings`."""

    def __init__(
        self, settings: ZoomSettings, *, http: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep
    ):
        self.settings = settings
        self._base = settings.api_base_url.rstrip("/")
        self.api = account_api_client(settings, ZoomResponseRules(), http=http, sleep=sleep)

    def __repr__(self) -> str:
        return f"ZoomClient(account_id={self.settings.account_id!r}, base={self._base!r})"

    # --- listings --------------------------------------------------------------------------------

    def list_users(self) -> list[str]:
        """Ids of the account's active users."""
        users = self._pages(f"{self._base}/users", {"status": "active"}, "users", "listing the account's users", None)
        return [user["id"] for user in users if isinstance(user, dict) and isinstance(user.get("id"), str)]

    def list_recordings(self, user_id: str, first: dt.date, last: dt.date) -> list[ZoomMeeting]:
        """Meetings of `user_id` with cloud recordings, started on UTC dates first..last, each UUID once.

        The range is asked for in windows of at most one month, the longest Zoom accepts.
        """
        meetings: dict[str, ZoomMeeting] = {}
        url = f"{self._base}/users/{quote(user_id, safe='@')}/recordings"
        for start, end in month_windows(first, last):
            what = f"listing recordings of user {user_id} from {start} to {end}"
            params = {"from": start.isoformat(), "to": end.isoformat()}
            for item in self._pages(url, params, "meetings", what, user_id):
                meeting = meeting_from_wire(item, what)
                meetings.setdefault(meeting.uuid, meeting)
        return list(meetings.values())

    def meeting_participants(self, meeting_uuid: str) -> tuple[str, ...]:
        """Names of the people who joined the meeting instance, in order of first appearance."""
        url = f"{self._base}/past_meetings/{encode_meeting_uuid(meeting_uuid)}/participants"
        what = f"listing participants of meeting {meeting_uuid}"
        names = (participant_name(item) for item in self._pages(url, {}, "participants", what, None))
        return tuple(dict.fromkeys(name for name in names if name))

    # --- files -----------------------------------------------------------------------------------

    def download(self, file: ZoomFile) -> bytes:
        """A recording file's bytes, with the bearer token, through Zoom's redirect to storage.

        A transcript must be WebVTT; an HTML page in its place is treated as a refused download.
        """
        what = f"downloading the {file.file_type} file of meeting {file.meeting_uuid}"
        if not file.download_url:
            raise UnexpectedResponseError(SOURCE, f"{what}: the file has no download_url")
        response = self.api.request(Call("GET", file.download_url, what=what, kind="download", rate_limited=False))
        body = response.content
        if file.file_type == TRANSCRIPT and not is_webvtt(body):
            raise UnexpectedResponseError(SOURCE, f"{what}: the answer is not a WebVTT file: {short_text(body)}")
        return body

    def download_media(self, item: UntranscribedRecording) -> bytes:
        """A recording's audio or video file, through Zoom's redirect to storage, at most `max_media_bytes`."""
        return download_media(self.api, item, self.settings.http.max_media_bytes, rate_limited=False)

    # --- internals -------------------------------------------------------------------------------

    def _pages(
        self, url: str, params: dict[str, Any], list_field: str, what: str, scope: str | None
    ) -> Iterator[Any]:
        walk = PageWalk(SOURCE, what, self.settings.http.max_pages)
        page_token = ""
        while True:
            page_what = f"{what} (page {walk.pages + 1})"
            page_params = {**params, "page_size": self.settings.page_size}
            if page_token:
                page_params["next_page_token"] = page_token
            page = self.api.request(
                Call("GET", url, what=page_what, params=page_params, scope=scope), parse_json_with(SOURCE, page_what)
            )
            walk.page_read()
            items = page.get(list_field)
            if not isinstance(items, list):
                raise UnexpectedResponseError(
                    SOURCE, f"{page_what}: the page has no '{list_field}' list (keys: {sorted(page)[:8]})"
                )
            yield from items
            # Zoom ends a listing with an empty string; a missing field ends it too.
            page_token = page.get("next_page_token") or ""
            if not isinstance(page_token, str):
                raise UnexpectedResponseError(SOURCE, f"{page_what}: 'next_page_token' is not a string")
            if not page_token:
                return
            walk.follow(page_token)


class ZoomAccountSettings(Protocol):
    """What every client of one account's Server-to-Server app is configured with."""

    account_id: str
    client_id: str
    client_secret: Secret
    api_base_url: str
    allowed_hosts: tuple[str, ...]
    http: HttpSettings
    token_store_url: str | None  # the database every process of the deployment shares the token through

    @property
    def token_url(self) -> str: ...


def account_api_client(
    settings: ZoomAccountSettings,
    rules: ResponseRules,
    *,
    http: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> ApiClient:
    """An ApiClient for the account's app: one shared token (Zoom revokes a token when another is issued
    for the account) and rate limit per account, whatever the client reads or writes; `rules` say what
    a failed answer means for that client. With `settings.token_store_url` the token is shared through
    that database by every process of the deployment, not only by the clients of this process."""
    basic = basic_auth_value(settings.client_id, settings.client_secret)
    api = build_api_client(
        source=SOURCE,
        settings=settings.http,
        token_url=settings.token_url,
        account=settings.account_id,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        endpoint_urls=(settings.api_base_url.rstrip("/"),),
        allowed_hosts=settings.allowed_hosts,
        rules=rules,
        redacted=(basic,),
        http=http,
        sleep=sleep,
        token_store_url=settings.token_store_url,
    )
    api.use_token_fetcher(lambda: fetch_account_token(api, settings.token_url, settings.account_id, basic))
    return api


def fetch_account_token(api: ApiClient, token_url: str, account_id: str, basic_auth: str) -> IssuedToken:
    """A Server-to-Server access token for the account (every client of the account's credentials uses this)."""
    what = f"fetching an access token for account {account_id}"
    call = Call(
        "POST",
        token_url,
        what=what,
        kind="token",
        rate_limited=False,
        params={"grant_type": "account_credentials", "account_id": account_id},
        headers={"Authorization": f"Basic {basic_auth}"},
    )
    payload = api.request(call, parse_json_with(api.source, what))
    return issued_token_from(payload, api.source, what)
