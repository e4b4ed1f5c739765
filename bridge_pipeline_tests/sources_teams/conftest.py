"""A started Graph fake per test, and settings that keep retries short."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from bridge_fakes import FakeGraphServer, FakeTeamsMeeting
from bridge_fakes.transcripts import DIALOGUES, teams_vtt
from bridge_pipeline.apis.graph import GraphClient
from bridge_pipeline.sources.teams import GraphSource
from bridge_pipeline_tests.http.fast_settings import FAST_HTTP

UTC = dt.timezone.utc
ORGANIZER_A = "8b081ef6-4792-4def-b2c9-c363a1bf41d5"
ORGANIZER_B = "5f1c2a77-0d3e-4c11-9a55-0e8e6b2f9c10"
DAY = dt.date(2026, 5, 14)
MORNING = dt.datetime(2026, 5, 14, 9, 0, tzinfo=UTC)


def meeting(organizer: str, start: dt.datetime, number: int = 0, **changes: object) -> FakeTeamsMeeting:
    dialogue = DIALOGUES[number % len(DIALOGUES)]
    values: dict[str, object] = {
        "organizer_id": organizer,
        "subject": dialogue.title,
        "start": start,
        "vtt": teams_vtt(dialogue),
        "attendees": (("tobias.renner@quayside.example", "Tobias Renner"),),
    }
    return FakeTeamsMeeting(**{**values, **changes})  # type: ignore[arg-type]


@pytest.fixture
def graph() -> Iterator[FakeGraphServer]:
    with FakeGraphServer(page_size=5) as fake:
        fake.add_organizer(ORGANIZER_A, "mara.lindqvist@brightwater.example")
        yield fake


@pytest.fixture
def client(graph: FakeGraphServer) -> Iterator[GraphClient]:
    with GraphClient(graph.source_settings(http=FAST_HTTP)) as graph_client:
        yield graph_client


@pytest.fixture
def source(graph: FakeGraphServer) -> Iterator[GraphSource]:
    teams = GraphSource(graph.source_settings(http=FAST_HTTP))
    yield teams
    teams.close()
