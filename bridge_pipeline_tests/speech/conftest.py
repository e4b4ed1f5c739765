"""Loopback Teams, Zoom and OpenAI fakes seeded with the demo day, a real SQLite store and local blobs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bridge_fakes import FakeGraphServer, FakeTeamsMeeting, FakeZoomMeeting, FakeZoomServer
from bridge_fakes.openai_fake import DEFAULT_API_KEY, FakeOpenAIServer
from bridge_fakes.seed import seed_demo
from bridge_pipeline import pipeline
from bridge_pipeline.extraction.llm.settings import LANGUAGE_MODEL_RETRY
from bridge_pipeline.sources.records import remote_meeting_id
from bridge_pipeline.sources.teams import GraphSource
from bridge_pipeline.sources.zoom import ZoomSource
from bridge_pipeline.speech.transcribe import SpeechSettings, SpeechToText
from bridge_pipeline.storage.blobs import LocalBlobStore
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline_tests.http.fast_settings import FAST_HTTP

DAY = dt.date(2026, 5, 14)
TEAMS_RECORDING_TITLE = "Weekly sync (recorded, no transcript)"
ZOOM_AUDIO_TITLE = "Phone bridge (audio only)"


@dataclass
class Line:
    """Everything ingest_day needs, pointed at the fakes; `speech()` makes a transcriber with a short retry budget."""

    graph: FakeGraphServer
    zoom: FakeZoomServer
    openai: FakeOpenAIServer
    teams_source: GraphSource
    zoom_source: ZoomSource
    store: PipelineStore
    blobs: LocalBlobStore
    database: Path

    def speech(self, api_key: str = DEFAULT_API_KEY, *, cache: bool = True) -> SpeechToText:
        settings = SpeechSettings(
            api_key=api_key,
            base_url=self.openai.api_base_url,
            retry=replace(LANGUAGE_MODEL_RETRY, max_attempts=3, budget_s=10, backoff_initial_s=0.01, backoff_max_s=0.05),
        )
        return SpeechToText(settings, blobs=self.blobs if cache else None, sleep=lambda seconds: None)

    def ingest(self, speech: SpeechToText | None) -> pipeline.StageReport:
        return pipeline.ingest_day(DAY, [self.teams_source, self.zoom_source], self.store, self.blobs, "UTC", speech=speech)

    def teams_recording(self) -> FakeTeamsMeeting:
        return next(m for m in self.graph.meetings if m.subject == TEAMS_RECORDING_TITLE)

    def zoom_audio(self) -> FakeZoomMeeting:
        return next(m for m in self.zoom.meetings if m.topic == ZOOM_AUDIO_TITLE)

    def audio_meeting_ids(self) -> dict[str, str]:
        """Source name -> the meeting id the seeded recording without transcript gets."""
        zoom = self.zoom_audio()
        return {
            "teams": remote_meeting_id("teams", DAY, self.teams_recording().recording_id),
            "zoom": remote_meeting_id("zoom", DAY, f"{zoom.uuid}/{zoom.file_id('audio')}"),
        }

    def media_downloads(self) -> int:
        """Requests that fetched a recording's media file (transcript and chat downloads not counted)."""
        teams = len(self.graph.requests_to("recording_content"))
        zoom = sum(1 for r in self.zoom.requests_to("download") if "/rec/download/" in r.path and self._is_media(r.path))
        return teams + zoom

    def transcription_calls(self) -> int:
        return self.openai.calls("audio.transcriptions")

    def _is_media(self, path: str) -> bool:
        file_id = path.rsplit("/", 1)[-1]
        return any(file_id in (m.file_id("audio"), m.file_id("video")) for m in self.zoom.meetings)


@pytest.fixture
def line(tmp_path: Path) -> Iterator[Line]:
    with FakeGraphServer() as graph, FakeZoomServer() as zoom, FakeOpenAIServer() as openai:
        seed_demo(graph, zoom, [DAY])
        database = tmp_path / "bridge.sqlite3"
        store = PipelineStore(f"sqlite:///{database}")
        store.migrate()
        teams_source = GraphSource(graph.source_settings(http=FAST_HTTP))
        zoom_source = ZoomSource(zoom.source_settings(http=FAST_HTTP))
        try:
            yield Line(graph, zoom, openai, teams_source, zoom_source, store, LocalBlobStore(tmp_path / "blobs"), database)
        finally:
            teams_source.close()
            zoom_source.close()
            store.dispose()
