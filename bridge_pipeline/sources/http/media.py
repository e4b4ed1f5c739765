"""Downloading a recording's audio or video for speech-to-text: the source interface and the checks both sources share."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import httpx

from bridge_pipeline.sources.http.content import looks_like_html, short_text
from bridge_pipeline.sources.http.errors import AuthFailedError, TooLargeError, UnexpectedResponseError
from bridge_pipeline.sources.http.scan import UntranscribedRecording


@runtime_checkable
class MediaDownloads(Protocol):
    """A source that can hand over the media file of a recording it listed as untranscribed."""

    def download_media(self, item: UntranscribedRecording) -> bytes: ...


def media_what(item: UntranscribedRecording) -> str:
    """How messages name the download: the meeting id the rest of the line knows, and the source's own id."""
    return f"downloading the {item.file_extension or item.media} recording of meeting {item.meeting_id} ({item.source_id})"


def check_before_download(source: str, item: UntranscribedRecording, max_bytes: int) -> str:
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
