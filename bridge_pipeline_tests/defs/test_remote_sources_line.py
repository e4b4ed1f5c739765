"""The line ingests Teams and Zoom meetings through the source resources, idempotently and without leaking secrets."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from dagster import DagsterInstance, materialize

from bridge_fakes import FakeGraphServer, FakeZoomServer
from bridge_fakes.environment import sources_env
from bridge_fakes.seed import seed_demo
from bridge_pipeline.defs.language.extractors import OfflineExtractorResource, OpenAIExtractorResource
from bridge_pipeline.defs.resources_for_environment import build_resources, extractor_resource
from bridge_pipeline.defs.storage.resources import LocalBlobStorageResource
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.settings import load_settings
from bridge_pipeline_tests.line_fixtures import line_assets

DAY = dt.date(2026, 5, 14)


@pytest.fixture
def line(tmp_path, monkeypatch):
    with FakeGraphServer() as graph, FakeZoomServer() as zoom:
        seed_demo(graph, zoom, [DAY])
        env = {
            **sources_env(graph, zoom),
            "BRIDGE_INBOX_DIR": str(tmp_path / "inbox"),
            "BRIDGE_DATA_DIR": str(tmp_path / "data"),
        }
        (tmp_path / "inbox").mkdir()
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings = load_settings(env)
        yield settings, build_resources(env, settings), (graph.client_secret, zoom.client_secret)


def test_raw_recordings_reads_teams_and_zoom_and_a_rerun_keeps_the_same_rows(line, caplog):
    settings, resources, secrets = line
    assets = line_assets(settings)
    caplog.set_level(logging.DEBUG)
    with DagsterInstance.ephemeral() as instance:
        store = resources["store"].get_store()
        # The seeded day has a Teams transcript whose content answers 404 on its first request.
        first = materialize(assets, resources=resources, partition_key=DAY.isoformat(), instance=instance)
        early = store.load_meetings(DAY)
        second = materialize(assets, resources=resources, partition_key=DAY.isoformat(), instance=instance)
        meetings = store.load_meetings(DAY)
        exports, withheld = store.load_exports(DAY)
        third = materialize(assets, resources=resources, partition_key=DAY.isoformat(), instance=instance)
        again = store.load_meetings(DAY)
        events = [str(event) for run in (first, second, third) for event in instance.all_logs(run.run_id)]

    def raw_metadata(result) -> dict:
        return result.asset_materializations_for_node("raw_recordings")[0].metadata

    assert raw_metadata(first)["meetings_teams"].value == 1 and raw_metadata(first)["transcripts_not_ready"].value == 1
    assert raw_metadata(first)["recordings_without_transcript"].value == 2  # one Teams, one Zoom audio-only
    assert raw_metadata(second)["meetings_teams"].value == 2 and raw_metadata(second)["meetings_zoom"].value == 3
    assert raw_metadata(second)["transcripts_not_ready"].value == 0
    assert raw_metadata(second)["sources"].value == "inbox, teams, zoom"
    assert {m.meeting_id for m in early} < {m.meeting_id for m in meetings}
    assert {m.source for m in meetings} == {"teams", "zoom"} and len(meetings) == 5
    assert [m.model_dump() for m in again] == [m.model_dump() for m in meetings]
    assert {f.meeting_id for f in exports} | {w.meeting_id for w in withheld} == {m.meeting_id for m in meetings}
    assert third.success
    captured = caplog.text + "\n".join(events)
    for secret in secrets:
        assert secret not in captured


def test_bridge_extractor_selects_the_language_model_with_its_endpoint(tmp_path):
    blobs = LocalBlobStorageResource(base_dir=str(tmp_path))
    settings = load_settings({"BRIDGE_DATA_DIR": str(tmp_path), "BRIDGE_EXTRACTOR": "openai",
                              "BRIDGE_OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "BRIDGE_OPENAI_MODEL": "local-model"})
    chosen = extractor_resource(settings, blobs)
    assert isinstance(chosen, OpenAIExtractorResource)
    assert chosen.base_url == "http://127.0.0.1:9/v1" and chosen.model == "local-model"
    assert isinstance(extractor_resource(load_settings({"BRIDGE_DATA_DIR": str(tmp_path)}), blobs), OfflineExtractorResource)


def test_an_unknown_extractor_is_a_configuration_error_naming_the_variable(tmp_path):
    settings = load_settings({"BRIDGE_DATA_DIR": str(tmp_path), "BRIDGE_EXTRACTOR": "magic"})
    with pytest.raises(ConfigurationError, match="BRIDGE_EXTRACTOR='magic'"):
        extractor_resource(settings, LocalBlobStorageResource(base_dir=str(tmp_path)))
