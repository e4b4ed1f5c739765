"""Where each sensor starts a day's latency clock (`bridge/detected_at`), and that the line measures from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from dagster import AssetKey, instance_for_test

from bridge_fakes import FakeGraphServer, FakeTeamsMeeting, FakeZoomServer
from bridge_fakes.environment import sources_env
from bridge_fakes.transcripts import DIALOGUES, teams_vtt, zoom_vtt
from bridge_fakes.zoom_fake import FakeZoomMeeting
from bridge_pipeline.defs.observability.instrumentation import CLOCK_FROM_RUN_START, CLOCK_FROM_TAG, DETECTED_AT_TAG
from bridge_pipeline.defs.polling import first_available_by_day
from bridge_pipeline.defs.resources_for_environment import graph_source_resource, zoom_source_resource
from bridge_pipeline.observability.metrics import METADATA_KEY, TRANSCRIPT_TO_EXPORT, Tally
from bridge_pipeline.sources.cursor import PollCursor, ScopeCursor, artifact_digest
from bridge_pipeline.storage.stage_timings import TimingStore
from bridge_pipeline_tests.defs.source_sensor_fixtures import (
    ORGANIZER,
    TEAMS_SENSOR,
    UTC,
    ZOOM_SENSOR,
    ZOOM_USER,
    hours_ago,
    tick,
)
from bridge_pipeline_tests.line_fixtures import make_sandbox


def tags_by_day(result) -> dict[str, dt.datetime]:
    return {r.partition_key: dt.datetime.fromisoformat(r.tags[DETECTED_AT_TAG]) for r in result.run_requests}


@pytest.fixture
def graph() -> Iterator[FakeGraphServer]:
    with FakeGraphServer() as fake:
        fake.add_organizer(ORGANIZER, "mara.lindqvist@brightwater.example")
        yield fake


@pytest.fixture
def zoom() -> Iterator[FakeZoomServer]:
    with FakeZoomServer() as fake:
        fake.add_user(ZOOM_USER, "elena.sokolova@northwind.example")
        yield fake


def env_of(monkeypatch, env: dict[str, str]) -> dict[str, str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def teams_meeting(start: dt.datetime, number: int = 0) -> FakeTeamsMeeting:
    dialogue = DIALOGUES[number % len(DIALOGUES)]
    return FakeTeamsMeeting(ORGANIZER, dialogue.title, start, teams_vtt(dialogue))


def test_teams_runs_start_the_clock_at_the_earliest_new_transcript_of_each_day(graph, monkeypatch):
    starts = [hours_ago(30), hours_ago(29), hours_ago(3)]
    for number, start in enumerate(starts):
        graph.add_meeting(teams_meeting(start, number))
    resource = graph_source_resource(env_of(monkeypatch, sources_env(graph, None, lookback_hours=36)))

    first = tick(TEAMS_SENSOR, "teams", resource)

    # With no earlier listing, the transcripts' creation times (one minute after each start in the fake).
    expected: dict[str, dt.datetime] = {}
    for start in starts:
        created = start + dt.timedelta(minutes=1)
        day = created.date().isoformat()
        expected[day] = min(expected.get(day, created), created)
    assert tags_by_day(first) == expected


def test_a_teams_transcript_listed_later_starts_the_clock_at_the_previous_listing(graph, monkeypatch):
    graph.add_meeting(teams_meeting(hours_ago(5)))
    resource = graph_source_resource(env_of(monkeypatch, sources_env(graph, None)))
    first = tick(TEAMS_SENSOR, "teams", resource)
    listed_until = PollCursor.from_json(first.cursor).scopes[ORGANIZER].listed_until

    # Created two hours ago, but the previous poll did not list it: it was not available before that poll.
    late = hours_ago(2)
    graph.add_meeting(teams_meeting(late, 1))
    second = tick(TEAMS_SENSOR, "teams", resource, first.cursor)

    assert tags_by_day(second) == {(late + dt.timedelta(minutes=1)).date().isoformat(): listed_until}


def test_zoom_runs_start_the_clock_at_the_meeting_or_at_the_poll_before_its_transcript_was_ready(zoom, monkeypatch):
    start = hours_ago(3)
    dialogue = DIALOGUES[0]
    meeting = zoom.add_meeting(
        FakeZoomMeeting(ZOOM_USER, dialogue.title, start, zoom_vtt(dialogue), transcript_status="processing")
    )
    ready_at_once = hours_ago(4)
    zoom.add_meeting(FakeZoomMeeting(ZOOM_USER, dialogue.title, ready_at_once, zoom_vtt(dialogue)))
    resource = zoom_source_resource(env_of(monkeypatch, sources_env(None, zoom)))

    first = tick(ZOOM_SENSOR, "zoom", resource)
    meeting.transcript_status = "completed"
    second = tick(ZOOM_SENSOR, "zoom", resource, first.cursor)

    assert tags_by_day(first) == {ready_at_once.date().isoformat(): ready_at_once}
    listed_until = PollCursor.from_json(first.cursor).scopes[ZOOM_USER].listed_until
    assert tags_by_day(second) == {start.date().isoformat(): listed_until}


def test_first_available_by_day_only_counts_artifacts_new_between_the_cursors():
    t = dt.datetime(2026, 5, 14, 22, 30, tzinfo=UTC)
    old, new_early, new_late, other_scope = (artifact_digest(k) for k in ("old", "early", "late", "other"))
    before = PollCursor({"a": ScopeCursor(listed_until=t + dt.timedelta(minutes=10), seen={old: t})})
    after = PollCursor({
        "a": ScopeCursor(
            listed_until=t + dt.timedelta(minutes=15),
            seen={old: t, new_early: t + dt.timedelta(minutes=1), new_late: t + dt.timedelta(minutes=12)},
        ),
        # A scope listed for the first time has no earlier listing to bound its artifacts.
        "b": ScopeCursor(listed_until=t + dt.timedelta(minutes=15), seen={other_scope: t - dt.timedelta(hours=1)}),
    })

    assert first_available_by_day(before, after, "UTC") == {
        dt.date(2026, 5, 14): t - dt.timedelta(hours=1),
    }
    only_a = first_available_by_day(PollCursor({"a": before.scopes["a"]}), PollCursor({"a": after.scopes["a"]}), "UTC")
    assert only_a == {dt.date(2026, 5, 14): t + dt.timedelta(minutes=10)}
    # The day is the artifact's own day in the partition timezone (22:31 UTC is the next day in Berlin).
    berlin = first_available_by_day(before, after, "Europe/Berlin")
    assert set(berlin) == {dt.date(2026, 5, 14), dt.date(2026, 5, 15)}


DAY = "2026-05-14"


def _latency_sum(result) -> float:
    """What the run recorded for the metrics exporter: the sum of its meetings' transcript-to-export times."""
    (exports,) = result.asset_materializations_for_node("contract_exports")
    tally = Tally()
    tally.add_json(exports.metadata[METADATA_KEY].value)
    return tally.histogram(TRANSCRIPT_TO_EXPORT).sum


def test_the_line_measures_from_the_tag_when_present_and_from_the_run_start_otherwise(tmp_path):
    tagged = make_sandbox(tmp_path / "tagged")
    seen = dt.datetime.now(UTC) - dt.timedelta(minutes=10)
    with instance_for_test() as instance:
        result = tagged.materialize(DAY, instance=instance, tags={DETECTED_AT_TAG: seen.isoformat()})
        metadata = instance.get_latest_materialization_event(AssetKey("raw_recordings")).asset_materialization.metadata
    assert result.success
    latencies = TimingStore(tagged.store.engine).meeting_latencies(dt.date.fromisoformat(DAY))
    assert latencies and {m.available_at for m in latencies} == {seen}
    assert all(m.seconds >= 600 for m in latencies)
    assert _latency_sum(result) >= 600 * len(latencies)
    assert metadata["latency_clock_from"].value == CLOCK_FROM_TAG
    assert metadata["latency_clock_start"].value == pytest.approx(seen.timestamp())

    untagged = make_sandbox(tmp_path / "untagged")
    started = dt.datetime.now(UTC)
    with instance_for_test() as instance:
        untagged.materialize(DAY, instance=instance)
        metadata = instance.get_latest_materialization_event(AssetKey("raw_recordings")).asset_materialization.metadata
    latencies = TimingStore(untagged.store.engine).meeting_latencies(dt.date.fromisoformat(DAY))
    assert all(started <= m.available_at <= m.exported_at for m in latencies)
    assert all(m.seconds < 600 for m in latencies)
    assert metadata["latency_clock_from"].value == CLOCK_FROM_RUN_START
