"""The shipped exporter, run as its own process and scraped over HTTP after the line ran a day.

Nothing of the run reaches the exporter but what the deployment stores: the day runs in this process
against a Dagster instance in a DAGSTER_HOME folder and the project store, then
`python -m bridge_pipeline.observability.exporter` starts with only those two to read, as in
deploy/. The day comes from the inbox, the Teams and Zoom fakes, with decisions read by the OpenAI fake,
so every API's latency histogram has real calls in it. All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from dagster import DagsterInstance, instance_for_test, materialize
from prometheus_client.parser import text_string_to_metric_families

from bridge_fakes import FakeGraphServer, FakeZoomServer
from bridge_fakes.environment import sources_env
from bridge_fakes.openai_fake import DEFAULT_API_KEY, FakeOpenAIServer
from bridge_fakes.seed import seed_demo
from bridge_pipeline.defs.observability.event_log_metrics import EventLogMetrics
from bridge_pipeline.defs.resources_for_environment import build_resources, openai_extractor_resource
from bridge_pipeline.observability.exporter import exporter_registry, serve_metrics
from bridge_pipeline.observability.metrics import LINE_STAGES
from bridge_pipeline.settings import load_settings
from bridge_pipeline.sources.environment import GRAPH_VARIABLES
from bridge_pipeline_tests.defs.test_blocking_qa import NDA_ENDING_BEFORE_IT_STARTS
from bridge_pipeline_tests.line_fixtures import REPO, SAMPLE_INBOX, line_assets, make_sandbox

DAY = "2026-05-14"
Samples = dict[tuple[str, tuple], float]


def _samples(text: str) -> Samples:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def _total(samples: Samples, name: str, **labels: str) -> float:
    """Sum over the series of `name` whose labels include `labels`."""
    return sum(v for (n, ls), v in samples.items() if n == name and labels.items() <= dict(ls).items())


@dataclass
class Exporter:
    process: subprocess.Popen
    url: str

    def scrape(self) -> tuple[httpx.Response, Samples]:
        response = httpx.get(self.url, timeout=30)
        return response, _samples(response.text)


def _start_exporter(env: dict[str, str], log: Path) -> Exporter:
    """The exporter as deployed (`python -m ...`), on a free loopback port it prints when it serves."""
    with log.open("w") as stderr:  # a file, not a pipe nobody reads while it runs
        process = subprocess.Popen(
            [sys.executable, "-m", "bridge_pipeline.observability.exporter", "--host", "127.0.0.1", "--port", "0"],
            env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
        )
    line = process.stdout.readline()
    if not line.startswith("serving "):
        process.kill()
        raise AssertionError(f"exporter did not start: {line!r} {log.read_text()[-3000:]}")
    return Exporter(process, line.split()[1])


def _stop(exporter: Exporter) -> None:
    exporter.process.terminate()
    try:
        exporter.process.wait(10)
    except subprocess.TimeoutExpired:
        exporter.process.kill()
        exporter.process.wait(10)


@dataclass
class Deployment:
    root: Path
    env: dict[str, str]
    instance: DagsterInstance
    resources: dict
    settings: object

    def run_day(self):
        result = materialize(line_assets(self.settings), resources=self.resources, partition_key=DAY,
                             instance=self.instance)
        assert result.success
        return result


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("metrics")
    inbox = root / "inbox"
    shutil.copytree(SAMPLE_INBOX / DAY, inbox / DAY)
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")  # the local instance file, SQLite under DAGSTER_HOME
    with FakeGraphServer() as graph, FakeZoomServer() as zoom, FakeOpenAIServer() as openai:
        seed_demo(graph, zoom, [dt.date.fromisoformat(DAY)])
        openai.fail_chat(429, times=1, retry_after="0")  # one throttled attempt, then answers
        env = {
            **sources_env(graph, zoom),
            "BRIDGE_INBOX_DIR": str(inbox),
            "BRIDGE_DATA_DIR": str(root / "data"),
            "OPENAI_API_KEY": DEFAULT_API_KEY,
        }
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)  # the resources resolve their EnvVars from the process environment
        try:
            settings = load_settings(env)
            resources = build_resources(env, settings)
            resources["extractor"] = openai_extractor_resource(resources["blob_storage"], base_url=openai.api_base_url)
            instance = DagsterInstance.from_config(str(home))
            try:
                yield Deployment(root, {**env, "DAGSTER_HOME": str(home)}, instance, resources, settings)
            finally:
                instance.dispose()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


@pytest.fixture(scope="module")
def scrapes(deployment):
    """Scrape after one run of the day, again without a run between, and after a second run of the day."""
    deployment.run_day()
    # Only what the exporter needs to find the stores; nothing of the run's own process.
    env = {"PATH": os.environ["PATH"], **{k: v for k, v in deployment.env.items()
                                          if k.startswith(("BRIDGE_DATA", "BRIDGE_DATABASE", "DAGSTER_HOME"))}}
    exporter = _start_exporter(env, deployment.root / "exporter.log")
    try:
        started = time.perf_counter()
        first_response, first = exporter.scrape()
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        _, again = exporter.scrape()
        again_seconds = time.perf_counter() - started
        deployment.run_day()
        _, second = exporter.scrape()
    finally:
        _stop(exporter)
    print(f"\nexporter scrape: first {first_seconds * 1000:.1f} ms (reads the history), next "
          f"{again_seconds * 1000:.1f} ms; {len(first_response.content)} bytes, {len(first)} samples")
    return first_response, first, again, second


def test_scrape_answers_in_the_prometheus_text_format_with_both_parts_read(scrapes):
    response, first, _, _ = scrapes
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert _value(first, "bridge_exporter_up", part="store") == 1
    assert _value(first, "bridge_exporter_up", part="event_log") == 1


def test_meetings_processed_count_the_days_meetings_per_stage_and_source(scrapes):
    _, first, _, _ = scrapes
    name = "bridge_meetings_processed_total"
    assert _value(first, name, stage="raw_recordings", source="inbox") == 3
    # The seeded Teams day has one transcript that is not ready on its first request.
    assert _value(first, name, stage="raw_recordings", source="teams") == 1
    assert _value(first, name, stage="raw_recordings", source="zoom") == 3
    assert _value(first, name, stage="contract_exports", source="zoom") == 3


def test_exports_and_withheld_drafts_are_counted(scrapes):
    _, first, _, _ = scrapes
    for fmt in ("docx", "pdf", "md", "json"):
        assert _value(first, "bridge_export_files_total", format=fmt) > 0, fmt
    assert _value(first, "bridge_store_meetings", stage="contract_exports", source="inbox") == 3
    assert _total(first, "bridge_store_export_files") == _total(first, "bridge_export_files_total")


def test_every_api_has_a_latency_histogram_from_real_calls(scrapes):
    _, first, _, _ = scrapes
    count = "bridge_api_request_duration_seconds_count"
    for api in ("graph", "zoom", "openai"):
        assert _value(first, count, api=api, outcome="ok") > 0, api
        inf = _value(first, "bridge_api_request_duration_seconds_bucket", api=api, outcome="ok", le="+Inf")
        assert inf == _value(first, count, api=api, outcome="ok")
        assert 0 < _value(first, "bridge_api_request_duration_seconds_sum", api=api, outcome="ok") < 60
    assert _value(first, count, api="openai", outcome="throttled") == 1
    # The not-ready Teams transcript answered 404 once: an attempt no retry helps.
    assert _value(first, count, api="graph", outcome="error") == 1
    assert _value(first, "bridge_api_requests_total", source="teams", status="404") == 1
    assert _total(first, "bridge_api_requests_total", source="zoom") > 0


def test_transcript_downloads_are_counted_by_source(scrapes):
    _, first, _, _ = scrapes
    assert _value(first, "bridge_transcript_downloads_total", source="teams") == 1
    assert _value(first, "bridge_transcript_downloads_total", source="zoom") == 3


def test_stage_durations_runs_and_last_successes_come_from_the_event_log(scrapes):
    _, first, _, _ = scrapes
    for stage in LINE_STAGES[:6]:
        assert _value(first, "bridge_stage_duration_seconds_count", stage=stage) == 1, stage
        assert _value(first, "bridge_stage_last_success_timestamp_seconds", stage=stage) > time.time() - 3600
    assert _total(first, "bridge_runs_finished_total", status="success") == 1
    assert _total(first, "bridge_run_duration_seconds_count", status="success") == 1
    assert _value(first, "bridge_transcript_to_export_seconds_count") == 7


def test_store_figures_give_the_days_latency_and_no_meeting_waiting(scrapes):
    _, first, _, _ = scrapes
    p95 = _value(first, "bridge_day_transcript_to_export_p95_seconds", day=DAY)
    assert 0 < p95 < 60
    assert ("bridge_day_meetings_waiting_for_export", (("day", DAY),)) in first
    assert _value(first, "bridge_day_meetings_waiting_for_export", day=DAY) == 0


def test_a_scrape_without_new_events_counts_nothing_twice_and_a_rerun_adds_its_own(scrapes):
    _, first, again, second = scrapes
    counters = {k: v for k, v in first.items() if k[0].endswith(("_total", "_count"))}
    assert counters and all(again[k] == v for k, v in counters.items())
    name = "bridge_meetings_processed_total"
    # The second run sees the Teams transcript that was not ready the first time.
    assert _value(second, name, stage="raw_recordings", source="inbox") == 6
    assert _value(second, name, stage="raw_recordings", source="teams") == 1 + 2
    assert _total(second, "bridge_runs_finished_total", status="success") == 2
    # Decisions are cached by content: the re-run asks the model only about the newly ready meeting.
    openai_calls = _value(second, "bridge_api_request_duration_seconds_count", api="openai", outcome="ok")
    assert openai_calls == _value(first, "bridge_api_request_duration_seconds_count", api="openai", outcome="ok") + 1
    # Store gauges are what is held now, not a sum over runs.
    assert _value(second, "bridge_store_meetings", stage="raw_recordings", source="inbox") == 3


# --- in this process: the same registry the exporter serves, over a Dagster instance and store of the test ---


def _serve_and_scrape(store, instance: DagsterInstance) -> Samples:
    registry = exporter_registry(lambda: store.engine, EventLogMetrics(instance).collect)
    server = serve_metrics(registry, port=0)
    try:
        return _samples(httpx.get(server.url, timeout=30).text)
    finally:
        server.stop()


def test_drafts_and_a_withheld_draft_are_counted_from_the_store_and_the_run(tmp_path):
    sandbox = make_sandbox(tmp_path)
    (sandbox.inbox / DAY / "nda-impossible-dates.vtt").write_text(NDA_ENDING_BEFORE_IT_STARTS, encoding="utf-8")
    with instance_for_test() as instance:
        assert sandbox.materialize(DAY, instance=instance).success
        store = sandbox.store
        try:
            samples = _serve_and_scrape(store, instance)
        finally:
            store.dispose()
    assert _value(samples, "bridge_store_withheld_drafts", source="inbox") == 1
    assert _value(samples, "bridge_withheld_drafts_total") == 1
    assert _total(samples, "bridge_store_drafts", source="inbox") >= 2
    assert _value(samples, "bridge_store_meetings", stage="raw_recordings", source="inbox") == 4
    assert _value(samples, "bridge_meetings_processed_total", stage="draft_qa", source="inbox") == 4


def test_a_failed_stage_counts_its_error_and_the_api_calls_it_made(tmp_path, monkeypatch):
    sandbox = make_sandbox(tmp_path)
    with FakeGraphServer() as graph, instance_for_test() as instance:
        seed_demo(graph, None, [dt.date.fromisoformat(DAY)])
        env = {**sources_env(graph, None), GRAPH_VARIABLES.client_secret: "not-the-apps-secret"}
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        resources = build_resources(os.environ, sandbox.settings)
        result = materialize(line_assets(sandbox.settings), resources=resources, partition_key=DAY, instance=instance,
                             raise_on_error=False)
        assert not result.success
        store = sandbox.store
        try:
            samples = _serve_and_scrape(store, instance)
        finally:
            store.dispose()
    errors = {labels: v for (name, labels), v in samples.items() if name == "bridge_errors_total"}
    assert errors == {(("stage", "raw_recordings"), ("type", "AuthFailedError")): 1}
    # The token request was refused (no retry helps), and is recorded although the step failed.
    assert _value(samples, "bridge_api_request_duration_seconds_count", api="graph", outcome="error") == 1
    assert _value(samples, "bridge_api_requests_total", source="teams", status="401") == 1
    assert _total(samples, "bridge_runs_finished_total", status="failure") == 1
    assert _total(samples, "bridge_meetings_processed_total") == 0


def test_a_part_that_cannot_be_read_is_reported_down_and_the_other_part_still_served(tmp_path):
    store = make_sandbox(tmp_path, with_samples=False).store

    def broken_event_log():
        raise ConnectionError("dagster storage unreachable")

    try:
        registry = exporter_registry(lambda: store.engine, broken_event_log)
        server = serve_metrics(registry, port=0)
        try:
            response = httpx.get(server.url, timeout=30)
        finally:
            server.stop()
    finally:
        store.dispose()
    samples = _samples(response.text)
    assert response.status_code == 200
    assert _value(samples, "bridge_exporter_up", part="event_log") == 0
    assert _value(samples, "bridge_exporter_up", part="store") == 1
    assert "bridge_store_meetings" in response.text and "bridge_meetings_processed" not in response.text
