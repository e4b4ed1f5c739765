"""The /metrics exporter, scraped over HTTP after a day runs, and the Pushgateway push."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from dagster import instance_for_test
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from bridge_pipeline.observability.exporter import StoreCollector, push_metrics, serve_metrics
from bridge_pipeline.observability.metrics import METRICS, PipelineMetrics
from bridge_pipeline_tests.line_fixtures import make_sandbox

DAY = "2026-05-14"


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


@pytest.fixture(scope="module")
def scraped(tmp_path_factory):
    """Run one day in-process, then scrape an exporter serving the process registry plus the store."""
    sandbox = make_sandbox(tmp_path_factory.mktemp("metrics"))
    before = METRICS.registry.get_sample_value("bridge_meetings_processed_total", {"source": "inbox"}) or 0.0
    with instance_for_test() as instance:
        result = sandbox.materialize(DAY, instance=instance)
    assert result.success
    store = sandbox.store
    registry = CollectorRegistry()
    registry.register(StoreCollector(lambda: store.engine))
    registry.register(METRICS.registry)
    server = serve_metrics(registry, port=0)
    try:
        started = time.perf_counter()
        response = httpx.get(server.url, timeout=5)
        seconds = time.perf_counter() - started
    finally:
        server.stop()
        store.dispose()
    print(f"\nexporter scrape: {seconds * 1000:.1f} ms, {len(response.content)} bytes")
    return response, _samples(response.text), before, seconds


def test_scrape_answers_in_the_prometheus_text_format(scraped):
    response, _, _, _seconds = scraped
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")


def test_meetings_processed_counts_the_days_meetings_by_source(scraped):
    _, samples, before, _ = scraped
    assert samples[("bridge_meetings_processed_total", (("source", "inbox"),))] - before == 3


def test_every_stage_duration_was_observed(scraped):
    _, samples, _, _ = scraped
    stages = {dict(labels)["stage"] for (name, labels) in samples if name == "bridge_stage_duration_seconds_count"}
    assert stages >= {"raw_recordings", "transcripts", "decisions", "contract_drafts", "draft_qa", "contract_exports"}


def test_store_figures_give_the_days_latency_and_no_meeting_waiting(scraped):
    _, samples, _, _ = scraped
    p95 = samples[("bridge_day_transcript_to_export_p95_seconds", (("day", DAY),))]
    assert 0 < p95 < 30
    assert samples[("bridge_day_meetings_waiting_for_export", (("day", DAY),))] == 0
    assert ("bridge_day_stage_seconds_p95", (("day", DAY), ("stage", "contract_exports"))) in samples


def test_export_files_are_counted_by_format(scraped):
    _, samples, _, _ = scraped
    formats = {dict(labels)["format"] for (name, labels) in samples if name == "bridge_export_files_total"}
    assert formats >= {"docx", "pdf", "md", "json"}


def test_push_sends_the_registry_to_a_pushgateway_group():
    received: list[tuple[str, str, bytes]] = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.command, self.path, body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        metrics = PipelineMetrics()
        metrics.record_api_request("zoom", 429)
        push_metrics(metrics.registry, f"http://127.0.0.1:{server.server_address[1]}", grouping_key={"instance": "host-a"})
    finally:
        server.shutdown()
        server.server_close()
    ((method, path, body),) = received
    assert (method, path) == ("POST", "/metrics/job/bridge_pipeline/instance/host-a")
    assert b'bridge_api_requests_total{source="zoom",status="429"} 1.0' in body
