"""A Microsoft Graph client for Teams meeting transcripts and recordings (app-only, client credentials), and the
Entra ID token request the Teams chat poster shares with it."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from bridge_pipeline.apis.graph.models import (
    TeamsArtifact,
    TeamsMeeting,
    artifact_from_wire,
    meeting_from_wire,
)
from bridge_pipeline.apis.graph.rules import SOURCE, GraphResponseRules
from bridge_pipeline.apis.graph.settings import GRAPH_SCOPE, GraphSettings
from bridge_pipeline.apis.timestamps import format_api_datetime
from bridge_pipeline.http.api_client import ApiClient, ApiClientUser, Call, parse_json_with
from bridge_pipeline.http.content import is_webvtt, looks_like_html, short_text
from bridge_pipeline.http.errors import AuthFailedError, NotReadyError, UnexpectedResponseError
from bridge_pipeline.http.media import download_media
from bridge_pipeline.http.pagination import PageWalk
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.shared import build_api_client
from bridge_pipeline.http.tokens import IssuedToken, issued_token_from
from bridge_pipeline.models import UntranscribedRecording

VTT = "text/vtt"


def _segment(value: str) -> str:
    return quote(value, safe="")


class GraphClient(ApiClientUser):
    """Reads one tenant's Teams transcripts and recordings; see `GraphSettings`."""

    def __init__(
        self, settings: GraphSettings, *, http: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep
    ):
        self.settings = settings
        self._base = settings.graph_base_url.rstrip("/")
        self.api = build_api_client(
            source=SOURCE,
            settings=settings.http,
            token_url=settings.token_url,
            account=settings.tenant_id,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            endpoint_urls=(self._base,),
            allowed_hosts=settings.allowed_hosts,
            rules=GraphResponseRules(),
            http=http,
            sleep=sleep,
        )
        self.api.use_token_fetcher(self._fetch_token)

    def __repr__(self) -> str:
        return f"GraphClient(tenant_id={self.settings.tenant_id!r}, base={self._base!r})"

    # --- listings --------------------------------------------------------------------------------

    def list_transcripts(
        self, organizer_id: str, start: dt.datetime, end: dt.datetime | None = None
    ) -> list[TeamsArtifact]:
        """Transcripts of `organizer_id`'s meetings created in [start, end), each id once."""
        return self._list_artifacts("getAllTranscripts", "transcript_content_url", organizer_id, start, end)

    def list_recordings(
        self, organizer_id: str, start: dt.datetime, end: dt.datetime | None = None
    ) -> list[TeamsArtifact]:
        """Recordings of `organizer_id`'s meetings created in [start, end), each id once."""
        return self._list_artifacts("getAllRecordings", "recording_content_url", organizer_id, start, end)

    def get_meeting(self, organizer_id: str, meeting_id: str) -> TeamsMeeting:
        what = f"reading meeting {meeting_id} of organizer {organizer_id}"
        url = f"{self._base}/users/{_segment(organizer_id)}/onlineMeetings/{_segment(meeting_id)}"
        payload = self.api.request(Call("GET", url, what=what, scope=organizer_id), parse_json_with(SOURCE, what))
        return meeting_from_wire(payload, what)

    # --- content ---------------------------------------------------------------------------------

    def transcript_vtt(self, transcript: TeamsArtifact) -> bytes:
        """The transcript as WebVTT; NotReadyError while Teams is still producing it."""
        what = f"downloading transcript {transcript.id} of meeting {transcript.meeting_id}"
        url = transcript.content_url or (
            f"{self._base}/users/{_segment(transcript.organizer_id)}/onlineMeetings/"
            f"{_segment(transcript.meeting_id)}/transcripts/{_segment(transcript.id)}/content"
        )
        response = self.api.request(
            Call(
                "GET",
                url,
                what=what,
                kind="download",
                params={"$format": VTT},
                headers={"Accept": VTT},
                scope=transcript.organizer_id,
            )
        )
        body = response.content
        if looks_like_html(body, response.headers.get("content-type")):
            raise AuthFailedError(
                SOURCE, f"{what}: got an HTML page instead of the transcript (sign-in or error page): {short_text(body)}"
            )
        if not is_webvtt(body):
            raise UnexpectedResponseError(SOURCE, f"{what}: the answer is not a WebVTT file: {short_text(body)}")
        return body

    def download_media(self, item: UntranscribedRecording) -> bytes:
        """A recording's video (recordingContentUrl), following a redirect to storage, at most `max_media_bytes`."""
        return download_media(self.api, item, self.settings.http.max_media_bytes, scope=item.organizer)

    def transcript_ready(self, transcript: TeamsArtifact) -> bool:
        """Whether the transcript's content can be downloaded yet."""
        try:
            self.transcript_vtt(transcript)
        except NotReadyError:
            return False
        return True

    # --- internals -------------------------------------------------------------------------------

    def _list_artifacts(
        self, function: str, content_url_field: str, organizer_id: str, start: dt.datetime, end: dt.datetime | None
    ) -> list[TeamsArtifact]:
        kind = "transcripts" if function == "getAllTranscripts" else "recordings"
        what = f"listing {kind} of organizer {organizer_id}"
        arguments = f"meetingOrganizerUserId='{organizer_id}',startDateTime={format_api_datetime(start)}"
        if end is not None:
            arguments += f",endDateTime={format_api_datetime(end)}"
        url = f"{self._base}/users/{_segment(organizer_id)}/onlineMeetings/{function}({arguments})"
        params = {"$top": self.settings.page_size} if self.settings.page_size else None
        artifacts: dict[str, TeamsArtifact] = {}
        for item in self._collection(url, what, organizer_id, params):
            artifact = artifact_from_wire(item, organizer_id, what, content_url_field=content_url_field)
            # Graph may list an artifact twice (across pages, or when a meeting changes); the first wins.
            artifacts.setdefault(artifact.id, artifact)
        return list(artifacts.values())

    def _collection(
        self, url: str, what: str, scope: str, params: dict[str, Any] | None
    ) -> Iterator[Any]:
        walk = PageWalk(SOURCE, what, self.settings.http.max_pages)
        next_url: str | None = url
        while next_url is not None:
            page_what = f"{what} (page {walk.pages + 1})"
            page = self.api.request(
                Call("GET", next_url, what=page_what, params=params, scope=scope), parse_json_with(SOURCE, page_what)
            )
            walk.page_read()
            items = page.get("value")
            if not isinstance(items, list):
                raise UnexpectedResponseError(
                    SOURCE, f"{page_what}: the page has no 'value' list (keys: {sorted(page)[:8]})"
                )
            yield from items
            link = page.get("@odata.nextLink")
            if link is not None and not isinstance(link, str):
                raise UnexpectedResponseError(SOURCE, f"{page_what}: '@odata.nextLink' is not a string")
            if link:
                walk.follow(link)
            next_url = link or None
            params = None  # a next link carries every parameter already

    def _fetch_token(self) -> IssuedToken:
        what = f"fetching an access token for tenant {self.settings.tenant_id}"
        payload = request_entra_token(
            self.api, self.settings, what, {"scope": GRAPH_SCOPE, "grant_type": "client_credentials"}
        )
        return issued_token_from(payload, SOURCE, what)


class EntraApp(Protocol):
    """The app registration a Graph client signs in as (the Teams source, the Teams chat poster)."""

    @property
    def client_id(self) -> str: ...

    @property
    def client_secret(self) -> Secret: ...

    @property
    def token_url(self) -> str: ...


def request_entra_token(api: ApiClient, app: EntraApp, what: str, grant: Mapping[str, str]) -> dict[str, Any]:
    """The token endpoint's JSON answer to `grant`, the app's id and secret sent in the form (as Entra ID expects)."""
    call = Call(
        "POST",
        app.token_url,
        what=what,
        kind="token",
        rate_limited=False,
        form={"client_id": app.client_id, "client_secret": app.client_secret.reveal(), **grant},
    )
    return api.request(call, parse_json_with(api.source, what))

