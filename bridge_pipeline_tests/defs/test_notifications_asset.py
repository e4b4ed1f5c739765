"""meeting_notifications in the line: off by default, posts once to the fakes, dry run, and a missing chat permission."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dagster import DagsterInstance, materialize

from bridge_fakes import FakeGraphServer, FakeZoomServer
from bridge_fakes.environment import sources_env
from bridge_fakes.seed import seed_demo
from bridge_pipeline.defs.meeting_line.assets import build_line_assets
from bridge_pipeline.defs.meeting_line.partitions import build_daily_partitions
from bridge_pipeline.defs.notifications.assets import build_meeting_notifications
from bridge_pipeline.defs.resources_for_environment import build_resources
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.notifications.environment import (
    DRY_RUN,
    TEAMS_ORGANIZERS,
    TEAMS_REFRESH_TOKEN,
    ZOOM_ORGANIZERS,
    ZOOM_SENDER,
)
from bridge_pipeline.settings import load_settings
from bridge_pipeline_tests.line_fixtures import make_sandbox

DAY = dt.date(2026, 5, 14)
SERVICE_ACCOUNT = "3d2f6a1e-9b7c-4e55-8a10-5c6d7e8f9a0b"
ZOOM_SENDER_ID = "Bn7Qx2LrT0aWm3Hs9KcVdA"
PARTITIONS = build_daily_partitions(load_settings({}))
LINE_AND_NOTIFICATIONS = [*build_line_assets(PARTITIONS), build_meeting_notifications(PARTITIONS)]


def run_day(resources: dict, instance: DagsterInstance):
    result = materialize(LINE_AND_NOTIFICATIONS, resources=resources, partition_key=DAY.isoformat(), instance=instance)
    notifications = result.asset_materializations_for_node("meeting_notifications")[0].metadata
    (check,) = result.get_asset_check_evaluations()[-1:]
    return notifications, check


@pytest.fixture
def fakes():
    with FakeGraphServer() as graph, FakeZoomServer() as zoom:
        seed_demo(graph, zoom, [DAY])
        zoom.add_user(ZOOM_SENDER_ID, "bridge-notes@northwind.example")
        yield graph, zoom


def configure(monkeypatch, tmp_path: Path, env: dict[str, str]) -> dict:
    env = {**env, "BRIDGE_INBOX_DIR": str(tmp_path / "inbox"), "BRIDGE_DATA_DIR": str(tmp_path / "data")}
    (tmp_path / "inbox").mkdir(exist_ok=True)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return build_resources(env)


def teams_posts(graph: FakeGraphServer) -> list:
    return [m for chat in graph.chats.chats.values() for m in chat.messages if not m.deleted]


def test_nothing_is_posted_unless_an_organizer_opted_in(tmp_path):
    sandbox = make_sandbox(tmp_path)
    resources = build_resources({}, sandbox.settings)
    with DagsterInstance.ephemeral() as instance:
        metadata, check = run_day(resources, instance)
    assert metadata["mode"].value.startswith("off")
    assert metadata["posted"].value == 0 and metadata["skipped_source"].value == 3  # the inbox is never posted to
    assert check.passed


def test_summaries_are_posted_once_and_a_rerun_sends_nothing(fakes, monkeypatch, tmp_path):
    graph, zoom = fakes
    refresh = graph.add_service_account(SERVICE_ACCOUNT, "bridge-notes@brightwater.example")
    resources = configure(monkeypatch, tmp_path, {
        **sources_env(graph, zoom),
        TEAMS_ORGANIZERS: "*", TEAMS_REFRESH_TOKEN: refresh, ZOOM_ORGANIZERS: "*", ZOOM_SENDER: ZOOM_SENDER_ID,
    })
    with DagsterInstance.ephemeral() as instance:
        first, first_check = run_day(resources, instance)
        after_first = len(teams_posts(graph)) + len(zoom.team_chat.messages)
        # The seeded day has a Teams transcript that is not ready on its first request: it comes with run two.
        second, _ = run_day(resources, instance)
        after_second = len(teams_posts(graph)), len(zoom.team_chat.messages)
        third, _ = run_day(resources, instance)

    assert first["mode"].value == "posting" and first_check.passed
    assert first["posted"].value == after_first == 4
    assert second["posted"].value == 1 and second["unchanged"].value == 4
    assert after_second == (2, 3)
    assert third["posted"].value == 0 and third["updated"].value == 0 and third["unchanged"].value == 5
    assert (len(teams_posts(graph)), len(zoom.team_chat.messages)) == after_second
    text = "\n".join([m.content for m in teams_posts(graph)] + [m.message for m in zoom.team_chat.messages])
    assert "Not legally binding" in text or "counsel" in text
    for secret in (graph.client_secret, zoom.client_secret, refresh):
        assert secret not in text


def test_dry_run_writes_the_messages_to_the_export_folder_and_posts_nothing(fakes, monkeypatch, tmp_path):
    graph, zoom = fakes
    resources = configure(monkeypatch, tmp_path, {**sources_env(graph, zoom), TEAMS_ORGANIZERS: "*", ZOOM_ORGANIZERS: "*",
                                                 DRY_RUN: "1"})
    with DagsterInstance.ephemeral() as instance:
        metadata, check = run_day(resources, instance)

    written = sorted((tmp_path / "data" / "exports" / DAY.isoformat() / "notifications").iterdir())
    assert metadata["dry_run"].value == len(written) >= 2 and check.passed
    assert {path.suffix for path in written} == {".html", ".json"}
    assert teams_posts(graph) == [] and zoom.team_chat.messages == []


def test_a_missing_chat_permission_fails_the_check_naming_it_and_zoom_still_posts(fakes, monkeypatch, tmp_path):
    graph, zoom = fakes
    refresh = graph.add_service_account(SERVICE_ACCOUNT, "bridge-notes@brightwater.example", scopes=("User.Read",))
    resources = configure(monkeypatch, tmp_path, {
        **sources_env(graph, zoom),
        TEAMS_ORGANIZERS: "*", TEAMS_REFRESH_TOKEN: refresh, ZOOM_ORGANIZERS: "*", ZOOM_SENDER: ZOOM_SENDER_ID,
    })
    with DagsterInstance.ephemeral() as instance:
        metadata, check = run_day(resources, instance)

    assert not check.passed and "ChatMessage.Send" in check.metadata["problems"].value
    assert metadata["failed"].value >= 1 and teams_posts(graph) == []
    assert len(zoom.team_chat.messages) >= 1


def test_teams_summaries_without_the_posting_account_are_a_configuration_error(fakes, monkeypatch, tmp_path):
    graph, zoom = fakes
    resources = configure(monkeypatch, tmp_path, {**sources_env(graph, None), TEAMS_ORGANIZERS: "*"})
    with pytest.raises(ConfigurationError, match=TEAMS_REFRESH_TOKEN):
        resources["notifications"].posters(resources["teams"], resources["zoom"])
