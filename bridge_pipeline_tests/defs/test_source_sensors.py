"""The Teams and Zoom sensors against the loopback fakes: run requests per changed day, and the cursor they keep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from dagster import AssetKey, DefaultSensorStatus, EnvVar, SensorResult, SkipReason

from bridge_fakes import FakeGraphServer, FakeTeamsMeeting, FakeZoomServer
from bridge_fakes.environment import sources_env
from bridge_fakes.transcripts import DIALOGUES, teams_vtt, zoom_vtt
from bridge_fakes.zoom_fake import FakeZoomMeeting
from bridge_pipeline.definitions import build_definitions
from bridge_pipeline.defs.polling import TRIGGER_TAG
from bridge_pipeline.defs.resources_for_environment import graph_source_resource, zoom_source_resource
from bridge_pipeline.http.errors import AuthFailedError
from bridge_pipeline.observability.metrics import API_REQUEST_DURATION, API_REQUESTS, METADATA_KEY, Tally
from bridge_pipeline.sources.cursor import PollCursor
from bridge_pipeline.sources.environment import GRAPH_VARIABLES
from bridge_pipeline_tests.defs.source_sensor_fixtures import (
    ORGANIZER,
    TEAMS_SENSOR,
    ZOOM_SENSOR,
    ZOOM_USER,
    hours_ago,
    tick,
)

OTHER_ORGANIZER = "5f1c2a77-0d3e-4c11-9a55-0e8e6b2f9c10"




def teams_meeting(start: dt.datetime, number: int = 0, organizer: str = ORGANIZER, **changes) -> FakeTeamsMeeting:
    dialogue = DIALOGUES[number % len(DIALOGUES)]
    return FakeTeamsMeeting(organizer, dialogue.title, start, teams_vtt(dialogue), **changes)


def zoom_meeting(start: dt.datetime, number: int = 0, **changes) -> FakeZoomMeeting:
    dialogue = DIALOGUES[number % len(DIALOGUES)]
    return FakeZoomMeeting(ZOOM_USER, dialogue.title, start, zoom_vtt(dialogue), **changes)


@pytest.fixture
def graph() -> Iterator[FakeGraphServer]:
    with FakeGraphServer(page_size=2) as fake:
        fake.add_organizer(ORGANIZER, "mara.lindqvist@brightwater.example")
        yield fake


@pytest.fixture
def zoom() -> Iterator[FakeZoomServer]:
    with FakeZoomServer() as fake:
        fake.add_user(ZOOM_USER, "elena.sokolova@northwind.example")
        yield fake


def with_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> dict[str, str]:
    """The secret reaches the resource through EnvVar, as in a deployment."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env



def requested(result: SensorResult | SkipReason) -> list[str]:
    return [] if isinstance(result, SkipReason) else [request.partition_key for request in result.run_requests]


def days_of(*starts: dt.datetime) -> list[str]:
    return sorted({start.date().isoformat() for start in starts})


def test_teams_sensor_requests_each_day_with_new_transcripts_and_stores_the_cursor(graph, monkeypatch):
    starts = [hours_ago(6), hours_ago(5), hours_ago(30)]
    for number, start in enumerate(starts):
        graph.add_meeting(teams_meeting(start, number))
    resource = graph_source_resource(with_env(monkeypatch, sources_env(graph, None, lookback_hours=36)))

    result = tick(TEAMS_SENSOR, "teams", resource, None)

    assert sorted(requested(result)) == days_of(*starts)
    assert all(request.tags[TRIGGER_TAG] == "teams_sensor" for request in result.run_requests)
    cursor = PollCursor.from_json(result.cursor)
    assert set(cursor.scopes) == {ORGANIZER}
    assert len(cursor.scopes[ORGANIZER].seen) == 3
    assert cursor.scopes[ORGANIZER].high_water == max(starts) + dt.timedelta(minutes=1)


def test_a_second_tick_with_the_stored_cursor_requests_nothing(graph, monkeypatch):
    graph.add_meeting(teams_meeting(hours_ago(3)))
    resource = graph_source_resource(with_env(monkeypatch, sources_env(graph, None)))
    first = tick(TEAMS_SENSOR, "teams", resource, None)

    second = tick(TEAMS_SENSOR, "teams", resource, first.cursor)

    assert requested(first) and requested(second) == []
    assert isinstance(second, SensorResult) and second.cursor  # the cursor still moves on (listed_until)


def test_a_transcript_arriving_late_for_an_earlier_day_is_requested(graph, monkeypatch):
    graph.add_meeting(teams_meeting(hours_ago(2)))
    resource = graph_source_resource(with_env(monkeypatch, sources_env(graph, None, lookback_hours=36)))
    first = tick(TEAMS_SENSOR, "teams", resource, None)
    # Transcribed hours after the meeting, but dated by its start: it lands inside the look-back window.
    late_start = hours_ago(28)
    graph.add_meeting(teams_meeting(late_start, 1))

    second = tick(TEAMS_SENSOR, "teams", resource, first.cursor)

    assert requested(second) == [late_start.date().isoformat()]


def test_a_transcript_not_ready_yet_is_requested_once_it_is(graph, monkeypatch):
    start = hours_ago(1)
    graph.add_meeting(teams_meeting(start, not_ready_polls=1))
    resource = graph_source_resource(with_env(monkeypatch, sources_env(graph, None)))

    first = tick(TEAMS_SENSOR, "teams", resource, None)
    second = tick(TEAMS_SENSOR, "teams", resource, first.cursor)
    third = tick(TEAMS_SENSOR, "teams", resource, second.cursor)

    assert requested(first) == []
    assert len(PollCursor.from_json(first.cursor).scopes[ORGANIZER].pending) == 1
    assert requested(second) == days_of(start)
    assert not PollCursor.from_json(second.cursor).scopes[ORGANIZER].pending
    assert requested(third) == []


def test_a_refused_organizer_is_logged_and_the_others_are_still_polled(graph, monkeypatch):
    graph.add_organizer(OTHER_ORGANIZER, "priya.natarajan@harbor.example")
    graph.forbid_organizer(OTHER_ORGANIZER)
    start = hours_ago(2)
    graph.add_meeting(teams_meeting(start))
    resource = graph_source_resource(with_env(monkeypatch, sources_env(graph, None)))

    result = tick(TEAMS_SENSOR, "teams", resource, None)

    assert requested(result) == days_of(start)
    scopes = PollCursor.from_json(result.cursor).scopes
    assert scopes[ORGANIZER].seen and not scopes[OTHER_ORGANIZER].seen


def test_refused_credentials_fail_the_tick_without_showing_the_secret(graph, monkeypatch):
    graph.add_meeting(teams_meeting(hours_ago(2)))
    env = sources_env(graph, None)
    wrong = "wrong-secret-value-1234567"
    env[GRAPH_VARIABLES.client_secret] = wrong
    resource = graph_source_resource(with_env(monkeypatch, env))

    with pytest.raises(AuthFailedError) as raised:
        tick(TEAMS_SENSOR, "teams", resource, None)

    assert wrong not in str(raised.value) and graph.client_secret not in str(raised.value)


def test_zoom_sensor_requests_the_days_of_new_recordings_and_of_audio_without_transcript(zoom, monkeypatch):
    with_transcript = hours_ago(4)
    audio_only = hours_ago(26)
    zoom.add_meeting(zoom_meeting(with_transcript))
    zoom.add_meeting(FakeZoomMeeting(ZOOM_USER, "Phone bridge", audio_only, None, audio_only=True))
    resource = zoom_source_resource(with_env(monkeypatch, sources_env(None, zoom)))

    first = tick(ZOOM_SENSOR, "zoom", resource, None)
    second = tick(ZOOM_SENSOR, "zoom", resource, first.cursor)

    assert sorted(requested(first)) == days_of(with_transcript, audio_only)
    assert set(PollCursor.from_json(first.cursor).scopes) == {ZOOM_USER}
    assert requested(second) == []


def test_zoom_transcript_still_processing_is_requested_when_completed(zoom, monkeypatch):
    start = hours_ago(3)
    meeting = zoom.add_meeting(zoom_meeting(start, transcript_status="processing"))
    resource = zoom_source_resource(with_env(monkeypatch, sources_env(None, zoom)))

    first = tick(ZOOM_SENSOR, "zoom", resource, None)
    meeting.transcript_status = "completed"
    second = tick(ZOOM_SENSOR, "zoom", resource, first.cursor)

    assert requested(first) == [] and requested(second) == days_of(start)


def test_unconfigured_sources_keep_their_sensors_stopped_and_skip():
    defs = build_definitions({})
    for name in ("teams_sensor", "zoom_sensor"):
        assert defs.resolve_sensor_def(name).default_status == DefaultSensorStatus.STOPPED
    result = tick(TEAMS_SENSOR, "teams", graph_source_resource({}), None)
    assert isinstance(result, SkipReason) and "not configured" in result.skip_message


def test_a_configured_source_starts_polling_by_itself_and_its_secret_stays_an_env_var(graph):
    env = sources_env(graph, None)
    defs = build_definitions(env)
    assert defs.resolve_sensor_def("teams_sensor").default_status == DefaultSensorStatus.RUNNING
    assert defs.resolve_sensor_def("zoom_sensor").default_status == DefaultSensorStatus.STOPPED
    teams = defs.resources["teams"]
    assert teams.enabled and teams.scopes == [ORGANIZER]
    # The definitions hold the variable's name; the value is read only in the process that polls or runs.
    assert isinstance(teams.client_secret, EnvVar) and teams.client_secret.env_var_name == GRAPH_VARIABLES.client_secret
    assert graph.client_secret not in repr(teams)


def test_a_tick_records_its_api_answers_on_an_observation_of_raw_recordings(graph, monkeypatch):
    graph.add_meeting(teams_meeting(hours_ago(2), not_ready_polls=1))
    result = tick(TEAMS_SENSOR, "teams", graph_source_resource(with_env(monkeypatch, sources_env(graph, None))), None)

    # The daemon writes these to the event log, where the metrics exporter sums them.
    (observation,) = result.asset_events
    assert observation.asset_key == AssetKey("raw_recordings")
    tally = Tally()
    tally.add_json(observation.metadata[METADATA_KEY].value)
    assert tally.value(API_REQUESTS, source="teams", status="200") > 0
    assert tally.value(API_REQUESTS, source="teams", status="404") == 1  # the transcript not ready yet
    assert tally.histogram(API_REQUEST_DURATION, api="graph", outcome="error").count == 1
    assert tally.histogram(API_REQUEST_DURATION, api="graph", outcome="ok").count > 0


def test_a_tick_that_requests_nothing_still_records_the_listing_it_made(graph, monkeypatch):
    graph.add_meeting(teams_meeting(hours_ago(2)))
    resource = graph_source_resource(with_env(monkeypatch, sources_env(graph, None)))
    first = tick(TEAMS_SENSOR, "teams", resource, None)
    second = tick(TEAMS_SENSOR, "teams", resource, first.cursor)

    assert second.run_requests == [] and second.skip_reason is not None
    (observation,) = second.asset_events
    tally = Tally()
    tally.add_json(observation.metadata[METADATA_KEY].value)
    assert tally.value(API_REQUESTS, source="teams", status="200") > 0


def test_a_teams_recording_without_transcript_requests_its_day_once(graph, monkeypatch):
    start = hours_ago(30)
    graph.add_meeting(FakeTeamsMeeting(ORGANIZER, "Weekly sync (recorded, no transcript)", start, None))
    graph.add_meeting(teams_meeting(hours_ago(2)))  # with transcript and recording: tracked by its transcript
    resource = graph_source_resource(with_env(monkeypatch, sources_env(graph, None, lookback_hours=36)))

    first = tick(TEAMS_SENSOR, "teams", resource, None)
    second = tick(TEAMS_SENSOR, "teams", resource, first.cursor)

    assert sorted(requested(first)) == days_of(start, hours_ago(2))
    assert len(PollCursor.from_json(first.cursor).scopes[ORGANIZER].seen) == 2  # one transcript, one lone recording
    assert requested(second) == []


def test_teams_and_zoom_sensors_ask_a_second_less_than_their_interval_so_no_daemon_loop_is_skipped():
    from dagster import DailyPartitionsDefinition

    from bridge_pipeline.defs.polling import build_source_sensor

    partitions = DailyPartitionsDefinition(start_date="2026-01-01", timezone="UTC")
    for interval, expected in ((300, 299), (5, 4), (1, 1)):
        sensor = build_source_sensor("teams", "d", partitions, interval_s=interval, enabled=False)
        assert sensor.minimum_interval_seconds == expected
