"""Downloading a recording's audio or video for speech-to-text: the checks and the capped download every API client shares."""

from __future__ import annotations

from typing import Protocol

import httpx

from bridge_pipeline.http.api_client import ApiClient, Call
from bridge_pipeline.http.content import looks_like_html, short_text
from bridge_pipeline.http.errors import AuthFailedError, TooLargeError, UnexpectedResponseError


class ListedMedia(Protocol):
    """What a listing said about a media file (an `UntranscribedRecording`)."""

    @property
    def meeting_id(self) -> str: ...

    @property
    def source_id(self) -> str: ...

    @property
    def media(self) -> str: ...

    @property
    def file_extension(self) -> str: ...

    @property
    def download_url(self) -> str: ...

    @property
    def size_bytes(self) -> int | None: ...


def media_what(item: ListedMedia) -> str:
    """How messages name the download: the meeting id the rest of the line knows, and the source's own id."""
    return f"downloading the {item.file_extension or item.media} recording of meeting {item.meeting_id} ({item.source_id})"


def check_before_download(source: str, item: ListedMedia, max_bytes: int) -> str:
    """The URL to fetch; refuses at once what has no URL or is listed bigger than the cap."""
    what = media_what(item)
    if not item.download_url:
        raise UnexpectedResponseError(source, f"{what}: the listing gave no download URL")
    if item.size_bytes is not None and item.size_bytes > max_bytes:
        raise TooLargeError(source, f"{what}: listed at {item.size_bytes} bytes, over the {max_bytes}-byte download limit")
    return item.download_url


def media_body(source: str, what: str, response: httpx.Response) -> bytes:
    """The downloaded file; a sign-in or error page in its place is a refused download, an empty body is unusable."""
    body = response.content
    if looks_like_html(body[:512], response.headers.get("content-type")):
        raise AuthFailedError(source, f"{what}: got an HTML page instead of the recording: {short_text(body)}")
    if not body:
        raise UnexpectedResponseError(source, f"{what}: the recording is empty")
    return body


def download_media(
    api: ApiClient, item: ListedMedia, max_bytes: int, *, scope: str | None = None, rate_limited: bool = True
) -> bytes:
    """The media file `item` names, following redirects to storage, refused unread past `max_bytes`."""
    url = check_before_download(api.source, item, max_bytes)
    what = media_what(item)
    call = Call("GET", url, what=what, kind="download", scope=scope, rate_limited=rate_limited, max_bytes=max_bytes)
    return media_body(api.source, what, api.request(call))
