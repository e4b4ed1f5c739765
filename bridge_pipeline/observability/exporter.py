"""Serves /metrics for Prometheus, every series computed at scrape time from what the deployment stores.

Runs are short-lived processes and nothing scrapes them, so this long-running exporter holds no counts
of its own. On each scrape it reads:
- the project store (`StoreCollector`): what the store holds now (meetings per stage and source, drafts,
  withheld drafts, export files) and, per recent day, the transcript-to-export p95 and stage timings;
- Dagster's event log (bridge_pipeline.defs.observability.event_log_metrics): the counters and histograms
  the stages and sensor ticks recorded there (meetings processed, API requests and their latency,
  transcript downloads, stage and run durations, errors, export files), plus finished runs by status
  and each stage's last success. See bridge_pipeline.observability.metrics for how they get there.

A part that cannot be read (a database down) is left out of that scrape and reported as
`bridge_exporter_up{part="..."} 0`; the other part is still served.

`python -m bridge_pipeline.observability.exporter` needs `BRIDGE_DATABASE_URL` (or the defaults' SQLite
file) and `DAGSTER_HOME` holding the instance file the daemon and runs use.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from bridge_pipeline.observability.metrics import FAMILIES, Tally
from bridge_pipeline.storage import tables
from bridge_pipeline.storage.stage_timings import TimingStore, p95
from bridge_pipeline.storage.tables import stage_timings

RECENT_DAYS = 7

log = logging.getLogger(__name__)


def tally_families(tally: Tally) -> Iterator[Metric]:
    """Every family of bridge_pipeline.observability.metrics, with the series `tally` holds (a family with none
    is still described, so dashboards and alerts find the name before the first event)."""
    for name, family in FAMILIES.items():
        if family.is_histogram:
            metric = HistogramMetricFamily(name, family.help, labels=family.labels)
            edges = [*(repr(float(b)) for b in family.buckets), "+Inf"]
            for labels, counts in sorted(tally.histograms.get(name, {}).items()):
                metric.add_metric(list(labels), list(zip(edges, counts.cumulative())), counts.sum)
        else:
            metric = CounterMetricFamily(name, family.help, labels=family.labels)
            for labels, value in sorted(tally.counters.get(name, {}).items()):
                metric.add_metric(list(labels), value)
        yield metric


class StoreCollector:
    """Gauges computed from the project tables: current counts, and latency figures of recent days."""

    def __init__(self, engine_factory: Callable[[], sa.Engine]):
        self._engine_factory = engine_factory

    def collect(self) -> Iterator[Metric]:
        engine = self._engine_factory()
        yield from self._holdings(engine)
        yield from self._recent_days(engine)

    # --- what the store holds ------------------------------------------------------------------------

    @staticmethod
    def _holdings(engine: sa.Engine) -> Iterator[Metric]:
        meetings = GaugeMetricFamily(
            "bridge_store_meetings", "Meetings the store holds rows of, by stage and source", labels=["stage", "source"]
        )
        drafts = GaugeMetricFamily(
            "bridge_store_drafts", "Draft versions the store holds, by contract type and source",
            labels=["contract_type", "source"],
        )
        withheld = GaugeMetricFamily(
            "bridge_store_withheld_drafts", "Drafts currently withheld for blocking QA findings, by source",
            labels=["source"],
        )
        files = GaugeMetricFamily("bridge_store_export_files", "Export files the store lists, by format", labels=["format"])
        m = tables.meetings
        # One row per meeting in each of these tables; exports have one per file, hence DISTINCT.
        per_stage = {
            "raw_recordings": sa.select(m.c.source, sa.func.count()).group_by(m.c.source),
            "transcripts": _meetings_of(tables.transcripts),
            "decisions": _meetings_of(tables.meeting_decisions),
            "contract_drafts": _meetings_of(tables.meeting_drafts),
            "contract_exports": _meetings_of(tables.exports),
        }
        d, e = tables.drafts, tables.exports
        with engine.connect() as conn:
            for stage, query in per_stage.items():
                for source, n in conn.execute(query):
                    meetings.add_metric([stage, source], n)
            query = (
                sa.select(d.c.contract_type, m.c.source, sa.func.count())
                .join(m, m.c.meeting_id == d.c.meeting_id)
                .group_by(d.c.contract_type, m.c.source)
            )
            for contract_type, source, n in conn.execute(query):
                drafts.add_metric([contract_type, source], n)
            query = (
                sa.select(m.c.source, sa.func.count(sa.distinct(e.c.document_id)))
                .join(m, m.c.meeting_id == e.c.meeting_id)
                .where(e.c.status == "withheld")
                .group_by(m.c.source)
            )
            for source, n in conn.execute(query):
                withheld.add_metric([source], n)
            query = sa.select(e.c.format, sa.func.count()).where(e.c.status == "exported").group_by(e.c.format)
            for fmt, n in conn.execute(query):
                files.add_metric([fmt or ""], n)
        yield from (meetings, drafts, withheld, files)

    # --- latency of recent days ----------------------------------------------------------------------

    def _recent_days(self, engine: sa.Engine) -> Iterator[Metric]:
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
        timings = TimingStore(engine)
        for day in self._latest_days(engine):
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
    def _latest_days(engine: sa.Engine) -> list[dt.date]:
        with engine.connect() as conn:
            days = conn.execute(
                sa.select(stage_timings.c.partition_date)
                .distinct()
                .order_by(stage_timings.c.partition_date.desc())
                .limit(RECENT_DAYS)
            ).scalars()
            return sorted(days)


def _meetings_of(table: sa.Table) -> sa.Select:
    m = tables.meetings
    return (
        sa.select(m.c.source, sa.func.count(sa.distinct(table.c.meeting_id)))
        .join(m, m.c.meeting_id == table.c.meeting_id)
        .group_by(m.c.source)
    )


class ExporterCollector(Collector):
    """The exporter's parts, each read in full or left out of the scrape, with `bridge_exporter_up` per part."""

    def __init__(self, parts: Iterable[tuple[str, Callable[[], Iterable[Metric]]]]):
        self._parts = list(parts)

    def describe(self) -> list[Metric]:
        # Registering must not read the databases (the registry would call collect() to learn the names).
        return []

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("bridge_exporter_up", "1 when the part could be read for this scrape", labels=["part"])
        for name, read in self._parts:
            try:
                # Read the whole part first, so a failure half-way serves none of it rather than a torn set.
                found = list(read())
            except Exception as error:  # a database down must not take the other part's series with it
                log.warning("metrics exporter: could not read %s: %s: %s", name, type(error).__name__, error)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from found
        yield up


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


def exporter_registry(
    engine_factory: Callable[[], sa.Engine], event_log: Callable[[], Iterable[Metric]]
) -> CollectorRegistry:
    """The registry the exporter serves: the store's gauges and the event log's counters, nothing of its own process."""
    registry = CollectorRegistry()
    registry.register(ExporterCollector([("store", StoreCollector(engine_factory).collect), ("event_log", event_log)]))
    return registry


def main(argv: list[str] | None = None) -> None:
    """`python -m bridge_pipeline.observability.exporter`: serve /metrics until stopped."""
    import argparse
    import signal

    from bridge_pipeline.secret_env import load_secrets_into_environment
    from bridge_pipeline.settings import load_settings
    from bridge_pipeline.storage.store import PipelineStore

    parser = argparse.ArgumentParser(prog="python -m bridge_pipeline.observability.exporter", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 in a container)")
    parser.add_argument("--port", type=int, default=9108, help="0 picks a free port (printed on start)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    load_secrets_into_environment()
    # The one place the exporter touches Dagster: its instance (DAGSTER_HOME), read in the Dagster layer.
    from bridge_pipeline.defs.observability.event_log_metrics import EventLogMetrics

    store = PipelineStore(load_settings().database_url)
    store.migrate()
    event_log = EventLogMetrics.from_environment()
    event_log.warm_up()
    server = serve_metrics(exporter_registry(lambda: store.engine, event_log.collect), args.host, args.port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"serving {server.url}", flush=True)
    stop.wait()
    server.stop()
    event_log.close()
    store.dispose()


if __name__ == "__main__":
    main()
