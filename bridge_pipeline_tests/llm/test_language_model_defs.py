"""The OpenAI resource in Dagster: key from the environment, cache across runs, the evaluation asset."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from dagster import materialize

from bridge_fakes.openai_fake import DEFAULT_API_KEY
from bridge_pipeline.defs.evaluation.assets import extractor_evaluation
from bridge_pipeline.defs.language.extractors import OfflineExtractorResource, OpenAIExtractorResource, prepare_days
from bridge_pipeline.defs.resources_for_environment import build_resources, openai_extractor_resource
from bridge_pipeline.defs.storage.resources import LocalBlobStorageResource
from bridge_pipeline.extraction.llm.prompt import PROMPT_VERSION
from bridge_pipeline_tests.line_fixtures import line_assets, make_sandbox
from bridge_pipeline_tests.llm.labelled import write_labelled_meetings


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", DEFAULT_API_KEY)
    return DEFAULT_API_KEY


def evaluation_metadata(resources, data_dir, out_dir):
    result = materialize(
        [extractor_evaluation],
        resources=resources,
        run_config={"ops": {"extractor_evaluation": {"config": {"data_dir": str(data_dir), "out_dir": str(out_dir)}}}},
    )
    assert result.success
    return result.asset_materializations_for_node("extractor_evaluation")[0].metadata


def test_evaluation_asset_scores_the_offline_extractor(tmp_path):
    data = write_labelled_meetings(tmp_path / "data")
    metadata = evaluation_metadata({"extractor": OfflineExtractorResource()}, data, tmp_path / "out")
    assert metadata["recall"].value == 1.0 and metadata["meetings"].value == 2
    assert "| demo |" in metadata["per_series"].value
    assert (tmp_path / "out" / "evaluation_offline-rules_2.png").is_file()


def test_evaluation_asset_skips_when_the_data_is_absent(tmp_path):
    metadata = evaluation_metadata({"extractor": OfflineExtractorResource()}, tmp_path / "absent", tmp_path / "out")
    assert "does not exist" in metadata["skipped"].value


def test_second_run_of_the_openai_evaluation_makes_no_api_call(fake, api_key, tmp_path):
    data = write_labelled_meetings(tmp_path / "data")
    resource = openai_extractor_resource(LocalBlobStorageResource(base_dir=str(tmp_path / "blobs")), base_url=fake.api_base_url)
    first = evaluation_metadata({"extractor": resource}, data, tmp_path / "out")
    second = evaluation_metadata({"extractor": resource}, data, tmp_path / "out")
    assert first["llm_api_requests"].value == 2 and first["llm_cost_estimate_usd"].value > 0
    assert second["llm_api_requests"].value == 0 and second["llm_cache_hits"].value == 2
    assert fake.calls() == 2
    assert (tmp_path / "blobs" / "cache" / "llm").is_dir()


def test_meeting_line_with_the_openai_resource_rematerializes_without_calls(fake, api_key, tmp_path):
    sandbox = make_sandbox(tmp_path)
    resources = build_resources(os.environ, sandbox.settings)
    resources["extractor"] = openai_extractor_resource(resources["blob_storage"], base_url=fake.api_base_url)
    day = "2026-05-14"
    materialize(line_assets(sandbox.settings), resources=resources, partition_key=day)
    calls = fake.calls()
    meetings = sandbox.store.load_meetings(dt.date.fromisoformat(day))
    assert calls == len(meetings) > 0
    materialize(line_assets(sandbox.settings), resources=resources, partition_key=day)
    assert fake.calls() == calls
    stored = sandbox.store.load_decisions(dt.date.fromisoformat(day))
    assert {d.extractor for d in stored.values()} == {f"openai/gpt-5.4-mini/{PROMPT_VERSION}"}


def test_prepare_days_sends_a_day_through_one_batch(fake, api_key, tmp_path):
    sandbox = make_sandbox(tmp_path)
    resources = build_resources(os.environ, sandbox.settings)
    materialize(line_assets(sandbox.settings), resources=resources, partition_key="2026-05-14")
    # Outside a run the key is given directly; in a run it comes from EnvVar("OPENAI_API_KEY").
    resource = OpenAIExtractorResource(api_key=api_key, blob_storage=resources["blob_storage"], base_url=fake.api_base_url,
                                       use_batch=True, batch_poll_interval_s=0.01)
    report = prepare_days(resource.get_extractor(), sandbox.store, [dt.date(2026, 5, 14)], "UTC")
    assert report.submitted == len(sandbox.store.load_meetings(dt.date(2026, 5, 14))) and not report.failed
    assert fake.calls("batches.create") == 1 and fake.calls("chat.completions") == 0
    assert prepare_days(OfflineExtractorResource().get_extractor(), sandbox.store, [dt.date(2026, 5, 14)], "UTC") is None
