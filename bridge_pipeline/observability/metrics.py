"""Prometheus metrics of the line, in one registry per process.

Names follow the seed system's (meetings processed, API requests by source and status, transcript
downloads, run durations, errors by type) with a `bridge_` prefix. Sources and resources record into
`METRICS`; the exporter serves it, or `push_metrics` sends it to a Pushgateway at the end of a run.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Seconds; the targets (15 s warn, 30 s fail) sit on bucket edges so alerts can use the buckets.
LATENCY_BUCKETS = (0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0)
STAGE_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 12.0, 30.0, 60.0, 300.0)


class PipelineMetrics:
    """Every metric the line records; a fresh registry per instance so tests can count from zero."""

    def __init__(self, registry: CollectorRegistry | None = None):
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.meetings_processed = Counter(
            "bridge_meetings_processed", "Meetings ingested by the raw_recordings stage", ["source"], registry=r
        )
        self.api_requests = Counter(
            "bridge_api_requests", "Requests to external APIs by source and HTTP status", ["source", "status"], registry=r
        )
        self.transcript_downloads = Counter(
            "bridge_transcript_downloads", "Transcript files downloaded from a source", ["source"], registry=r
        )
        self.stage_duration = Histogram(
            "bridge_stage_duration_seconds", "Wall time of one stage (asset) in a run", ["stage"],
            buckets=STAGE_BUCKETS, registry=r,
        )
        self.run_duration = Histogram(
            "bridge_run_duration_seconds", "Wall time of a run of the line, start to exports", ["job", "status"],
            buckets=LATENCY_BUCKETS, registry=r,
        )
        self.transcript_to_export = Histogram(
            "bridge_transcript_to_export_seconds", "Per meeting: transcript available to exported",
            buckets=LATENCY_BUCKETS, registry=r,
        )
        self.errors = Counter("bridge_errors", "Stage failures by stage and exception type", ["stage", "type"], registry=r)
        self.export_files = Counter("bridge_export_files", "Export files written by format", ["format"], registry=r)
        self.stage_last_success = Gauge(
            "bridge_stage_last_success_timestamp_seconds", "Unix time a stage last finished without error", ["stage"],
            registry=r,
        )

    def record_api_request(self, source: str, status: int | str) -> None:
        self.api_requests.labels(source=source, status=str(status)).inc()


# The process-wide instance the pipeline records into.
METRICS = PipelineMetrics()
