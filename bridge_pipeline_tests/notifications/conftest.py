"""Loopback fakes seeded with meetings, a real SQLite store the line has run on, and chat posters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bridge_fakes import FakeGraphServer, FakeTeamsMeeting, FakeZoomMeeting, FakeZoomServer
from bridge_fakes.transcripts import DIALOGUES, teams_vtt, zoom_vtt
from bridge_pipeline import pipeline
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline.models import Decision, MeetingInfo
from bridge_pipeline.notifications import NotificationSettings, SourceOptIn, TeamsChatClient, ZoomChatClient
from bridge_pipeline.sources.base import RecordingSource
from bridge_pipeline.sources.teams import GraphSource
from bridge_pipeline.sources.zoom import ZoomSource
from bridge_pipeline.storage.blobs import LocalBlobStore
from bridge_pipeline.storage.deliveries import DeliveryStore
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline_tests.http.fast_settings import FAST_HTTP

UTC = dt.timezone.utc
DAY = dt.date(2026, 5, 14)
NEXT_DAY = dt.date(2026, 5, 15)
REPO = Path(__file__).resolve().parents[2]

ORGANIZER_A = "8b081ef6-4792-4def-b2c9-c363a1bf41d5"
ORGANIZER_A_UPN = "mara.lindqvist@brightwater.example"
ORGANIZER_B = "5f1c2a77-0d3e-4c11-9a55-0e8e6b2f9c10"
ORGANIZER_B_UPN = "tobias.renner@quayside.example"
SERVICE_ACCOUNT = "3d2f6a1e-9b7c-4e55-8a10-5c6d7e8f9a0b"
SERVICE_UPN = "bridge-notes@brightwater.example"

ZOOM_HOST = "KDcuGIm1QgePTO8WbOqwIQ"
ZOOM_HOST_EMAIL = "elena.sokolova@northwind.example"
ZOOM_SENDER = "Bn7Qx2LrT0aWm3Hs9KcVdA"
ZOOM_SENDER_EMAIL = "bridge-notes@northwind.example"
ZOOM_CHANNEL = "825c9e31f1064c73b394c5e4557d3447"

TEAMS_ON = NotificationSettings(teams=SourceOptIn(enabled=True, organizers=(ORGANIZER_A_UPN,)))
ZOOM_ON = NotificationSettings(zoom=SourceOptIn(enabled=True, organizers=(ZOOM_HOST_EMAIL,)))


@dataclass
class Line:
    """The Dagster-free meeting line on a throw-away SQLite store and blob folder."""

    store: PipelineStore
    blobs: LocalBlobStore

    @property
    def deliveries(self) -> DeliveryStore:
        return DeliveryStore(self.store.engine)

    def run(self, day: dt.date, *sources: RecordingSource) -> None:
        pipeline.ingest_day(day, sources, self.store, self.blobs, "UTC")
        pipeline.parse_day(day, self.store, self.blobs)
        pipeline.extract_day(day, self.store, OfflineExtractor(), "UTC")
        pipeline.draft_day(day, self.store, "UTC")
        pipeline.qa_day(day, self.store)
        pipeline.export_day(day, self.store, self.blobs)

    def meetings(self, day: dt.date = DAY) -> list[MeetingInfo]:
        return self.store.load_meetings(day)

    def meeting_in_chat(self, chat_thread_id: str, day: dt.date = DAY) -> MeetingInfo:
        return next(m for m in self.meetings(day) if m.chat_thread_id == chat_thread_id)

    def drop_first_decision(self, meeting_id: str, day: dt.date = DAY) -> Decision:
        """Rewrite the day's decisions without the meeting's first one (as a re-extraction might); returns it."""
        stored = self.store.load_decisions(day)
        dropped = stored[meeting_id].decisions[0]
        stored[meeting_id] = stored[meeting_id].model_copy(update={"decisions": stored[meeting_id].decisions[1:]})
        self.store.replace_decisions(day, list(stored.values()))
        return dropped


@pytest.fixture
def line(tmp_path: Path) -> Iterator[Line]:
    store = PipelineStore(f"sqlite:///{tmp_path / 'bridge.sqlite3'}")
    store.migrate()
    yield Line(store, LocalBlobStore(tmp_path / "blobs"))
    store.dispose()


def teams_meeting(organizer: str, number: int, *, day: dt.date = DAY, **changes: object) -> FakeTeamsMeeting:
    dialogue = DIALOGUES[number % len(DIALOGUES)]
    values: dict[str, object] = {
        "organizer_id": organizer,
        "subject": dialogue.title,
        "start": dt.datetime(day.year, day.month, day.day, 9 + number, tzinfo=UTC),
        "vtt": teams_vtt(dialogue),
    }
    return FakeTeamsMeeting(**{**values, **changes})  # type: ignore[arg-type]


def zoom_meeting(number: int, *, day: dt.date = DAY, **changes: object) -> FakeZoomMeeting:
    dialogue = DIALOGUES[number % len(DIALOGUES)]
    values: dict[str, object] = {
        "host_id": ZOOM_HOST,
        "topic": dialogue.title,
        "start": dt.datetime(day.year, day.month, day.day, 9 + number, tzinfo=UTC),
        "vtt": zoom_vtt(dialogue),
    }
    return FakeZoomMeeting(**{**values, **changes})  # type: ignore[arg-type]


def sample_vtt(day: str, stem: str) -> str:
    """A transcript of the repository's sample inbox (two calls of one deal)."""
    return (REPO / "sample_inbox" / day / f"{stem}.vtt").read_text(encoding="utf-8")


@pytest.fixture
def graph() -> Iterator[FakeGraphServer]:
    with FakeGraphServer(page_size=5) as fake:
        fake.add_organizer(ORGANIZER_A, ORGANIZER_A_UPN)
        fake.add_organizer(ORGANIZER_B, ORGANIZER_B_UPN)
        yield fake


@pytest.fixture
def refresh_token(graph: FakeGraphServer) -> str:
    """The service account's refresh token, as its one interactive sign-in left it."""
    return graph.add_service_account(SERVICE_ACCOUNT, SERVICE_UPN)


@pytest.fixture
def teams_source(graph: FakeGraphServer) -> Iterator[GraphSource]:
    source = GraphSource(graph.source_settings(http=FAST_HTTP, organizer_ids=(ORGANIZER_A, ORGANIZER_B)))
    yield source
    source.close()


@pytest.fixture
def teams_poster(graph: FakeGraphServer, refresh_token: str) -> Iterator[TeamsChatClient]:
    poster = TeamsChatClient(graph.chat_sender_settings(refresh_token, http=FAST_HTTP))
    yield poster
    poster.close()


@pytest.fixture
def zoom() -> Iterator[FakeZoomServer]:
    with FakeZoomServer() as fake:
        fake.add_user(ZOOM_HOST, ZOOM_HOST_EMAIL)
        fake.add_user(ZOOM_SENDER, ZOOM_SENDER_EMAIL)
        fake.add_channel(ZOOM_CHANNEL, "Northwind deals", (ZOOM_HOST, ZOOM_SENDER))
        yield fake


@pytest.fixture
def zoom_source(zoom: FakeZoomServer) -> Iterator[ZoomSource]:
    source = ZoomSource(zoom.source_settings(http=FAST_HTTP, user_ids=(ZOOM_HOST,)))
    yield source
    source.close()


@pytest.fixture
def zoom_poster(zoom: FakeZoomServer) -> Iterator[ZoomChatClient]:
    poster = ZoomChatClient(zoom.chat_sender_settings(ZOOM_SENDER, http=FAST_HTTP))
    yield poster
    poster.close()


def chat_requests(fake: FakeGraphServer | FakeZoomServer) -> int:
    """Requests the notifications made: token and chat calls (source reads use other routes)."""
    return sum(1 for r in fake.requests if r.route == "token" or r.route.startswith("chat_"))
