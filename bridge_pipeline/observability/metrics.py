"""What the line counts while it runs, kept so it reaches Prometheus although runs are short-lived processes.

Nothing scrapes a run process, and the shipped deployments run no Pushgateway. So a process does not
keep Prometheus metrics of its own: each unit of work (a stage of a run, a sensor tick) records into a
`Tally` while it runs, and the Dagster layer writes that tally into Dagster's event log with the work's
outcome, as the `bridge_metrics` JSON metadata entry (bridge_pipeline.defs.observability):

- a stage that finishes: on its asset materialization;
- a stage that fails: on an asset observation of the same asset, logged just before the failure;
- a Teams or Zoom sensor tick that called its API: on an observation of `raw_recordings` (what it polls for).

The long-running exporter (bridge_pipeline.observability.exporter) sums those entries at scrape time
into the counters and histograms below, and reads current counts (meetings per stage and source,
drafts, withheld drafts, export files) straight from the project store.

Why the event log and not a table of our own: every process of a deployment (run workers, the code
server that ticks sensors, the exporter) already reaches it (PostgreSQL in production), it is append-only
so concurrent runs never lose each other's updates, each entry sits beside the run and partition it
belongs to in the UI, and it needs no schema migration. A process that crashes before its step ends
loses that step's tally (the run failure itself is still counted from the run's status event).

Recording is cheap and needs no Dagster: `count()` and `observe()` add to every tally opened with
`collecting()` in the current context (thread or task); with none open they do nothing. The HTTP layer
records every API request and attempt this way (bridge_pipeline.http), the sources every transcript they
download.
"""

from __future__ import annotations

import bisect
import contextvars
import math
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

# Seconds; the targets (15 s warn, 30 s fail) sit on bucket edges so alerts can use the buckets.
LATENCY_BUCKETS = (0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0)
STAGE_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 12.0, 30.0, 60.0, 300.0)
# One API attempt: token and listing calls take tens of milliseconds, a language-model answer tens of seconds.
API_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)

# The metadata key the Dagster layer stores a tally under, and the version of its JSON shape.
METADATA_KEY = "bridge_metrics"
FORMAT_VERSION = 1

# The stages (assets) that record a tally, in line order; the exporter reads their events.
LINE_STAGES = (
    "raw_recordings",
    "transcripts",
    "decisions",
    "contract_drafts",
    "draft_qa",
    "contract_exports",
    "meeting_notifications",
)

# Outcomes of one API attempt (the `outcome` label of the latency histogram).
OUTCOME_OK = "ok"
OUTCOME_THROTTLED = "throttled"  # the server asked to slow down: 429, or an answer with Retry-After
OUTCOME_RETRYABLE = "retryable_error"  # another attempt may work: 5xx, timeout, dropped connection, garbled answer
OUTCOME_ERROR = "error"  # no retry helps: refused credentials, not found, bad request, unsafe URL


@dataclass(frozen=True)
class Family:
    """One Prometheus metric family: a counter, or a histogram when `buckets` is set."""

    name: str  # a counter's name without `_total`
    help: str
    labels: tuple[str, ...] = ()
    buckets: tuple[float, ...] | None = None

    @property
    def is_histogram(self) -> bool:
        return self.buckets is not None


MEETINGS_PROCESSED = Family(
    "bridge_meetings_processed", "Meetings of the days a stage ran over, per run, by stage and source", ("stage", "source")
)
API_REQUESTS = Family(
    "bridge_api_requests", "HTTP requests to the Graph and Zoom APIs by source and status", ("source", "status")
)
API_REQUEST_DURATION = Family(
    "bridge_api_request_duration_seconds",
    "Wall time of one attempt of an API request (graph, zoom, openai) by outcome",
    ("api", "outcome"),
    API_BUCKETS,
)
TRANSCRIPT_DOWNLOADS = Family(
    "bridge_transcript_downloads", "Transcript files downloaded from Teams or Zoom", ("source",)
)
STAGE_DURATION = Family("bridge_stage_duration_seconds", "Wall time of one stage (asset) in a run", ("stage",), STAGE_BUCKETS)
RUN_DURATION = Family(
    "bridge_run_duration_seconds", "Wall time of a run of the line, start to exports", ("job", "status"), LATENCY_BUCKETS
)
TRANSCRIPT_TO_EXPORT = Family(
    "bridge_transcript_to_export_seconds", "Per meeting: transcript available to exported", (), LATENCY_BUCKETS
)
ERRORS = Family("bridge_errors", "Stage failures by stage and exception type", ("stage", "type"))
EXPORT_FILES = Family("bridge_export_files", "Export files the exported days hold after a run, by format", ("format",))
WITHHELD_DRAFTS = Family("bridge_withheld_drafts", "Drafts withheld for blocking QA findings, per run of contract_exports")

# Every family a tally may hold, by name.
FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        MEETINGS_PROCESSED,
        API_REQUESTS,
        API_REQUEST_DURATION,
        TRANSCRIPT_DOWNLOADS,
        STAGE_DURATION,
        RUN_DURATION,
        TRANSCRIPT_TO_EXPORT,
        ERRORS,
        EXPORT_FILES,
        WITHHELD_DRAFTS,
    )
}

LabelValues = tuple[str, ...]


@dataclass
class HistogramCounts:
    """Observations per bucket (not cumulative; the last slot is +Inf), their sum and count."""

    buckets: list[int]
    sum: float = 0.0
    count: int = 0

    @classmethod
    def empty(cls, family: Family) -> HistogramCounts:
        assert family.buckets is not None
        return cls([0] * (len(family.buckets) + 1))

    def observe(self, family: Family, value: float) -> None:
        assert family.buckets is not None
        # An observation equal to an edge belongs to that bucket (Prometheus buckets are `le`).
        self.buckets[bisect.bisect_left(family.buckets, value)] += 1
        self.sum += value
        self.count += 1

    def cumulative(self) -> list[int]:
        total, out = 0, []
        for n in self.buckets:
            total += n
            out.append(total)
        return out


class Tally:
    """Counters and histograms of one unit of work (or, in the exporter, of all of them); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counters: dict[str, dict[LabelValues, float]] = {}
        self.histograms: dict[str, dict[LabelValues, HistogramCounts]] = {}

    def __bool__(self) -> bool:
        return bool(self.counters or self.histograms)

    def count(self, family: Family, amount: float = 1, **labels: object) -> None:
        assert not family.is_histogram, family.name
        key = _label_values(family, labels)
        with self._lock:
            series = self.counters.setdefault(family.name, {})
            series[key] = series.get(key, 0) + amount

    def observe(self, family: Family, value: float, **labels: object) -> None:
        assert family.is_histogram, family.name
        key = _label_values(family, labels)
        with self._lock:
            series = self.histograms.setdefault(family.name, {})
            series.setdefault(key, HistogramCounts.empty(family)).observe(family, value)

    def value(self, family: Family, **labels: object) -> float:
        """A counter's value (tests and logs)."""
        return self.counters.get(family.name, {}).get(_label_values(family, labels), 0)

    def histogram(self, family: Family, **labels: object) -> HistogramCounts | None:
        return self.histograms.get(family.name, {}).get(_label_values(family, labels))

    # --- as JSON (the event log's metadata entry) ------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """Plain JSON: per family, [labels, value] pairs; histogram buckets keyed by their upper edge."""
        with self._lock:
            counters = {
                name: [[dict(zip(FAMILIES[name].labels, key)), value] for key, value in sorted(series.items())]
                for name, series in sorted(self.counters.items())
            }
            histograms = {}
            for name, series in sorted(self.histograms.items()):
                edges = [_edge_text(e) for e in (*FAMILIES[name].buckets, math.inf)]
                histograms[name] = [
                    [
                        dict(zip(FAMILIES[name].labels, key)),
                        {"count": h.count, "sum": h.sum, "buckets": {e: n for e, n in zip(edges, h.buckets) if n}},
                    ]
                    for key, h in sorted(series.items())
                ]
        return {"version": FORMAT_VERSION, "counters": counters, "histograms": histograms}

    def add_json(self, data: Mapping[str, Any]) -> None:
        """Add a tally written by `to_json` (any earlier version of the buckets); unknown families are skipped.

        Histogram buckets written with other edges go into the first current bucket whose edge is not below
        theirs, so a change of buckets never loses an observation (it only blurs those written before it).
        """
        with self._lock:
            for name, pairs in (data.get("counters") or {}).items():
                family = FAMILIES.get(name)
                if family is None or family.is_histogram:
                    continue
                series = self.counters.setdefault(name, {})
                for labels, value in pairs:
                    key = _label_values(family, labels)
                    series[key] = series.get(key, 0) + float(value)
            for name, pairs in (data.get("histograms") or {}).items():
                family = FAMILIES.get(name)
                if family is None or not family.is_histogram:
                    continue
                series = self.histograms.setdefault(name, {})
                for labels, stored in pairs:
                    target = series.setdefault(_label_values(family, labels), HistogramCounts.empty(family))
                    for edge, n in (stored.get("buckets") or {}).items():
                        target.buckets[bisect.bisect_left(family.buckets, float(edge))] += int(n)
                    target.sum += float(stored.get("sum") or 0.0)
                    target.count += int(stored.get("count") or 0)


def _label_values(family: Family, labels: Mapping[str, object]) -> LabelValues:
    unknown = set(labels) - set(family.labels)
    if unknown:
        raise ValueError(f"{family.name} has no label {sorted(unknown)} (labels: {family.labels})")
    return tuple(str(labels.get(name, "")) for name in family.labels)


def _edge_text(edge: float) -> str:
    return "+Inf" if math.isinf(edge) else repr(float(edge))


# --- recording -------------------------------------------------------------------------------------

# The tallies open in this context; a tuple so a nested `collecting()` never changes an outer one's view.
_OPEN: contextvars.ContextVar[tuple[Tally, ...]] = contextvars.ContextVar("bridge_metrics_tallies", default=())


@contextmanager
def collecting() -> Iterator[Tally]:
    """A fresh tally that receives everything recorded in this context (thread or task) until the block ends.

    Context-local rather than process-wide because a code server ticks several sensors in parallel
    threads: each tick must get only its own API calls.
    """
    tally = Tally()
    token = _OPEN.set((*_OPEN.get(), tally))
    try:
        yield tally
    finally:
        _OPEN.reset(token)


def count(family: Family, amount: float = 1, **labels: object) -> None:
    """Add `amount` to a counter of every open tally (none open: nothing is recorded)."""
    for tally in _OPEN.get():
        tally.count(family, amount, **labels)


def observe(family: Family, value: float, **labels: object) -> None:
    """Observe `value` in a histogram of every open tally."""
    for tally in _OPEN.get():
        tally.observe(family, value, **labels)
