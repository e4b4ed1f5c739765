"""The metrics exporter's view of Dagster's event log: the counters the stages and sensor ticks recorded there.

Each stage materialization (and the observation a failed stage or a sensor tick logs) carries a
`bridge_metrics` entry (bridge_pipeline.observability.metrics); this sums them. It reads only events
newer than the last one it saw, per asset and event type (by storage id), so a scrape costs a few
indexed queries however long the history. After a start it reads the whole history once (in the
background, `warm_up`), so the totals continue where they were and a restart is no counter reset;
measured on SQLite: 20,000 events in 5 s, then 0.1 s per scrape. It also counts finished runs by job and
status from the run status events, and keeps each stage's latest materialization time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

from dagster import AssetKey, AssetRecordsFilter, DagsterEventType, DagsterInstance, RunStatusChangeRecordsFilter
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from bridge_pipeline.observability.exporter import tally_families
from bridge_pipeline.observability.metrics import LINE_STAGES, METADATA_KEY, Tally

log = logging.getLogger(__name__)

# Events read per query; the first scrape pages through the history in steps of this size.
PAGE = 1000
RUN_OUTCOMES = {
    DagsterEventType.RUN_SUCCESS: "success",
    DagsterEventType.RUN_FAILURE: "failure",
    DagsterEventType.RUN_CANCELED: "canceled",
}


class EventLogMetrics:
    """Running totals over the event log of one Dagster instance; `collect()` catches up and returns the families."""

    def __init__(self, instance: DagsterInstance, *, owns_instance: bool = False):
        self._instance = instance
        self._owns_instance = owns_instance
        # Prometheus' HTTP server answers scrapes in threads; one catch-up at a time.
        self._lock = threading.Lock()
        self._tally = Tally()
        self._after: dict[tuple[str, str], int] = {}
        self._last_success: dict[str, float] = {}
        self._runs: dict[tuple[str, str], int] = {}

    @classmethod
    def from_environment(cls) -> EventLogMetrics:
        """Over the instance of DAGSTER_HOME: the same storage the daemon and the runs write."""
        return cls(DagsterInstance.get(), owns_instance=True)

    def warm_up(self) -> threading.Thread:
        """Read the history in a background thread, so the first scrapes need not (they wait for it)."""

        def read() -> None:
            try:
                self.collect()
            except Exception as error:  # the next scrape tries again and reports the part down
                log.warning("metrics exporter: reading the event log failed: %s: %s", type(error).__name__, error)

        thread = threading.Thread(target=read, name="event-log-warm-up", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        if self._owns_instance:
            self._instance.dispose()

    def collect(self) -> list[Metric]:
        with self._lock:
            self._catch_up()
            return [*tally_families(self._tally), *self._run_families()]

    # --- reading ---------------------------------------------------------------------------------------

    def _catch_up(self) -> None:
        for stage in LINE_STAGES:
            key = AssetKey(stage)
            for record in self._new_records("materialization", stage, self._instance.fetch_materializations, key):
                self._add(record.asset_materialization.metadata, record.storage_id)
                self._last_success[stage] = max(self._last_success.get(stage, 0.0), record.timestamp)
            for record in self._new_records("observation", stage, self._instance.fetch_observations, key):
                self._add(record.asset_observation.metadata, record.storage_id)
        for event_type, status in RUN_OUTCOMES.items():
            for record in self._new_records("run", status, self._instance.fetch_run_status_changes, event_type):
                job = record.event_log_entry.job_name or ""
                self._runs[(job, status)] = self._runs.get((job, status), 0) + 1

    def _new_records(self, kind: str, name: str, fetch, subject) -> Iterator:
        """Every record after the last one seen for (kind, name), oldest first, paging as needed."""
        while True:
            after = self._after.get((kind, name))
            if kind == "run":
                records_filter = RunStatusChangeRecordsFilter(event_type=subject, after_storage_id=after)
            else:
                records_filter = AssetRecordsFilter(asset_key=subject, after_storage_id=after)
            result = fetch(records_filter, limit=PAGE, ascending=True)
            for record in result.records:
                yield record
                self._after[(kind, name)] = record.storage_id
            if not result.has_more or not result.records:
                return

    def _add(self, metadata, storage_id: int) -> None:
        entry = (metadata or {}).get(METADATA_KEY)
        if entry is None:
            return  # written before the line recorded metrics, or by something else
        try:
            self._tally.add_json(entry.value)
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            # One unreadable entry must not stop every later one from being counted.
            log.warning("event %d: unreadable %s entry skipped (%s)", storage_id, METADATA_KEY, error)

    # --- families of the run storage's events ----------------------------------------------------------

    def _run_families(self) -> Iterator[Metric]:
        runs = CounterMetricFamily("bridge_runs_finished", "Runs that ended, by job and status", labels=["job", "status"])
        for (job, status), n in sorted(self._runs.items()):
            runs.add_metric([job, status], n)
        yield runs
        last = GaugeMetricFamily(
            "bridge_stage_last_success_timestamp_seconds", "Unix time a stage last materialized", labels=["stage"]
        )
        for stage, timestamp in sorted(self._last_success.items()):
            last.add_metric([stage], timestamp)
        yield last
