"""Serves metrics on /metrics (the process's registry plus figures read from the project store), or pushes them.

Runs are short-lived processes, so a long-lived exporter (`bridge-pipeline metrics`) also reports what
the store knows: per recent day, the transcript-to-export p95 and stage timings. Runs can add their
own counters by pushing to a Pushgateway (BRIDGE_PUSHGATEWAY_URL).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, pushadd_to_gateway, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bridge_pipeline.storage.stage_timings import TimingStore, p95
from bridge_pipeline.storage.tables import stage_timings

PUSHGATEWAY_VARIABLE = "BRIDGE_PUSHGATEWAY_URL"
RECENT_DAYS = 7


class StoreCollector(Collector):
    """Gauges computed from the timing tables at scrape time (latest `RECENT_DAYS` days with data)."""

    def __init__(self, engine_factory: Callable[[], sa.Engine]):
        self._engine_factory = engine_factory

    def collect(self) -> Iterator[Metric]:
        latency = GaugeMetricFamily(
            "bridge_day_transcript_to_export_p95_seconds",
            "p95 over a day's meetings of transcript available to exported",
            labels=["day"],
        )
        waiting = GaugeMetricFamily(
            "bridge_day_meetings_waiting_for_export", "Meetings of a day available but not exported yet", labels=["day"]
        )
        stage = GaugeMetricFamily(
            "bridge_day_stage_seconds_p95", "p95 over a day's recorded runs of a stage's wall time", labels=["day", "stage"]
        )
        engine = self._engine_factory()
        timings = TimingStore(engine)
        for day in self._recent_days(engine):
            label = day.isoformat()
            meetings = timings.meeting_latencies(day)
            done = [m.seconds for m in meetings if m.seconds is not None]
            if done:
                latency.add_metric([label], p95(done))
            waiting.add_metric([label], sum(1 for m in meetings if m.exported_at is None))
            by_stage: dict[str, list[float]] = {}
            for timing in timings.stage_timings(day):
                by_stage.setdefault(timing.stage, []).append(timing.seconds)
            for name, seconds in sorted(by_stage.items()):
                stage.add_metric([label, name], p95(seconds))
        yield latency
        yield waiting
        yield stage

    @staticmethod
    def _recent_days(engine: sa.Engine) -> list[dt.date]:
        with engine.connect() as conn:
            days = conn.execute(
                sa.select(stage_timings.c.partition_date)
                .distinct()
                .order_by(stage_timings.c.partition_date.desc())
                .limit(RECENT_DAYS)
            ).scalars()
            return sorted(days)


@dataclass
class MetricsServer:
    """A running /metrics endpoint; `stop()` shuts it down."""

    host: str
    port: int
    _server: object
    _thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/metrics"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def serve_metrics(registry: CollectorRegistry, host: str = "127.0.0.1", port: int = 9108) -> MetricsServer:
    """Serve `registry` on http://host:port/metrics from a daemon thread (port 0 picks a free one)."""
    server, thread = start_http_server(port, addr=host, registry=registry)
    return MetricsServer(host=host, port=server.server_address[1], _server=server, _thread=thread)


def push_metrics(registry: CollectorRegistry, gateway_url: str, *, job: str = "bridge_pipeline",
                 grouping_key: dict[str, str] | None = None, timeout_s: float = 10.0) -> None:
    """Add this process's metrics to a Pushgateway group (POST: other groups' series are kept)."""
    pushadd_to_gateway(gateway_url, job=job, registry=registry, grouping_key=grouping_key or {}, timeout=timeout_s)


def main(argv: list[str] | None = None) -> None:
    """`python -m bridge_pipeline.observability.exporter`: serve /metrics until stopped."""
    import argparse
    import signal

    from bridge_pipeline.observability.metrics import METRICS
    from bridge_pipeline.secret_env import load_secrets_into_environment
    from bridge_pipeline.settings import load_settings
    from bridge_pipeline.storage.store import PipelineStore

    parser = argparse.ArgumentParser(prog="python -m bridge_pipeline.observability.exporter", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 in a container)")
    parser.add_argument("--port", type=int, default=9108)
    args = parser.parse_args(argv)
    load_secrets_into_environment()
    store = PipelineStore(load_settings().database_url)
    store.migrate()
    METRICS.registry.register(StoreCollector(lambda: store.engine))
    server = serve_metrics(METRICS.registry, args.host, args.port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"serving {server.url}", flush=True)
    stop.wait()
    server.stop()
    store.dispose()


if __name__ == "__main__":
    main()
