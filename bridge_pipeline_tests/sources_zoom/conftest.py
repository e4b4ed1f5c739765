"""A started Zoom fake per test, and settings that keep retries short."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from bridge_fakes import FakeZoomMeeting, FakeZoomServer
from bridge_fakes.transcripts import DIALOGUES, zoom_chat, zoom_vtt
from bridge_pipeline.apis.zoom import ZoomClient
from bridge_pipeline.sources.zoom import ZoomSource
from bridge_pipeline_tests.http.fast_settings import FAST_HTTP

UTC = dt.timezone.utc
HOST = "KDcuGIm1QgePTO8WbOqwIQ"
HOST_EMAIL = "elena.sokolova@northwind.example"
DAY = dt.date(2026, 5, 14)
MORNING = dt.datetime(2026, 5, 14, 9, 0, tzinfo=UTC)


def meeting(start: dt.datetime, number: int = 0, **changes: object) -> FakeZoomMeeting:
    dialogue = DIALOGUES[number % len(DIALOGUES)]
    values: dict[str, object] = {
        "host_id": HOST,
        "topic": dialogue.title,
        "start": start,
        "vtt": zoom_vtt(dialogue),
        "chat": zoom_chat(dialogue),
        "participants": tuple((name, f"{name.split()[0].lower()}@guest.example") for name in dialogue.speakers),
    }
    return FakeZoomMeeting(**{**values, **changes})  # type: ignore[arg-type]


@pytest.fixture
def zoom() -> Iterator[FakeZoomServer]:
    with FakeZoomServer() as fake:
        fake.add_user(HOST, HOST_EMAIL)
        yield fake


@pytest.fixture
def client(zoom: FakeZoomServer) -> Iterator[ZoomClient]:
    with ZoomClient(zoom.source_settings(http=FAST_HTTP)) as zoom_client:
        yield zoom_client


@pytest.fixture
def source(zoom: FakeZoomServer) -> Iterator[ZoomSource]:
    zoom_source = ZoomSource(zoom.source_settings(http=FAST_HTTP, user_ids=(HOST,)))
    yield zoom_source
    zoom_source.close()
