"""Teams and Zoom hand over a recording's media through the shared HTTP layer, within a size cap."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import httpx
import pytest

from bridge_fakes.teams_fake import fake_recording_bytes
from bridge_fakes.zoom_fake import fake_media_bytes
from bridge_pipeline.apis.zoom.rules import ZoomResponseRules
from bridge_pipeline.http.api_client import Call
from bridge_pipeline.http.errors import AuthFailedError, TooLargeError, UnexpectedResponseError
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.shared import build_api_client
from bridge_pipeline.http.tokens import IssuedToken
from bridge_pipeline.sources.teams import GraphSource
from bridge_pipeline.sources.zoom import ZoomSource
from bridge_pipeline.speech.audio_split import split_audio
from bridge_pipeline_tests.http.fast_settings import FAST_HTTP, http_with
from bridge_pipeline_tests.speech.conftest import DAY, Line


def only_untranscribed(source):
    (item,) = source.recordings_for_day(DAY, "UTC").untranscribed
    return item


def test_teams_recording_is_fetched_with_the_token_through_the_redirect_to_storage(line: Line):
    item = only_untranscribed(line.teams_source)
    assert line.teams_source.download_media(item) == fake_recording_bytes(line.teams_recording().recording_id)
    (content,) = line.graph.requests_to("recording_content")
    (storage,) = line.graph.requests_to("recording_storage")
    assert (content.status, content.authorization_scheme) == (302, "Bearer")
    assert storage.status == 200


def test_zoom_audio_only_file_is_fetched_through_the_redirect_to_storage(line: Line):
    item = only_untranscribed(line.zoom_source)
    assert (item.media, item.file_extension) == ("audio", "M4A")
    assert line.zoom_source.download_media(item) == fake_media_bytes(line.zoom_audio().file_id("audio"))


def test_a_file_listed_over_the_cap_is_refused_without_downloading_it(line: Line):
    capped = ZoomSource(line.zoom.source_settings(http=dataclasses.replace(FAST_HTTP, max_media_bytes=100_000)))
    try:
        item = only_untranscribed(capped)
        with pytest.raises(TooLargeError) as caught:
            capped.download_media(item)
    finally:
        capped.close()
    assert f"meeting {item.meeting_id}" in str(caught.value)
    assert "listed at 246560 bytes, over the 100000-byte download limit" in str(caught.value)
    assert line.media_downloads() == 0


def test_a_file_bigger_than_the_cap_is_refused_once_the_server_says_its_size(line: Line):
    capped = GraphSource(line.graph.source_settings(http=dataclasses.replace(FAST_HTTP, max_media_bytes=16)))
    try:
        item = only_untranscribed(capped)
        assert item.size_bytes is None  # Graph lists no size, so only the answer can tell
        with pytest.raises(TooLargeError, match="over the 16-byte download limit"):
            capped.download_media(item)
    finally:
        capped.close()


@pytest.fixture
def chunked_server() -> Iterator[tuple[httpx.Client, list[_Chunks]]]:
    """An HTTP client whose server streams a 64 KiB file in chunks without saying its length."""
    streams: list[_Chunks] = []

    def answer(request: httpx.Request) -> httpx.Response:
        streams.append(_Chunks(16, 4096))
        return httpx.Response(200, stream=streams[-1])

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        yield client, streams


class _Chunks(httpx.SyncByteStream):
    def __init__(self, count: int, size: int):
        self.count, self.size = count, size
        self.sent = 0

    def __iter__(self):
        for _ in range(self.count):
            self.sent += 1
            yield b"\x01" * self.size


def test_a_stream_without_a_length_is_cut_off_as_soon_as_it_passes_the_cap(chunked_server):
    client, streams = chunked_server
    api = build_api_client(
        source="zoom", settings=http_with(max_attempts=1), token_url="http://127.0.0.1/token", account="acct",
        client_id="client", client_secret=Secret("not-used"), endpoint_urls=("http://127.0.0.1",),
        allowed_hosts=("127.0.0.1",), rules=ZoomResponseRules(), http=client,
    )
    api.use_token_fetcher(lambda: IssuedToken(Secret("token"), 3600))
    small = api.request(Call("GET", "http://127.0.0.1/file", what="downloading a file", kind="download", max_bytes=70_000))
    assert len(small.content) == 16 * 4096
    with pytest.raises(TooLargeError, match="downloading a file: the file is over the 10000-byte download limit"):
        api.request(Call("GET", "http://127.0.0.1/file", what="downloading a file", kind="download", max_bytes=10_000))
    assert streams[-1].sent == 3  # 12 KiB read, the other 52 KiB never asked for


def test_a_sign_in_page_in_place_of_the_recording_is_a_refused_download(line: Line):
    item = only_untranscribed(line.zoom_source)
    line.zoom.html_for_downloads = 2  # still a web page after one fresh token
    with pytest.raises(AuthFailedError, match=f"meeting {item.meeting_id}"):
        line.zoom_source.download_media(item)


def test_a_listing_without_download_url_is_refused_before_any_request(line: Line):
    item = dataclasses.replace(only_untranscribed(line.zoom_source), download_url="")
    with pytest.raises(UnexpectedResponseError, match="the listing gave no download URL"):
        line.zoom_source.download_media(item)
    assert line.media_downloads() == 0


def test_the_fakes_media_goes_to_speech_to_text_whole_without_ffmpeg(line: Line, monkeypatch):
    monkeypatch.setenv("PATH", "")  # no ffmpeg to be found, as on a bare CI runner
    for source in (line.teams_source, line.zoom_source):
        item = only_untranscribed(source)
        media = source.download_media(item)
        (piece,) = split_audio(media, f"{item.meeting_id}.{item.file_extension.lower()}")
        assert piece.data == media and piece.offset_s == 0.0
