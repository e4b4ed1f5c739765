"""Measures ingestion from a fake with a seeded backlog: meetings/s, share of the rate limit used, 429s, memory.

    python -m bridge_fakes.ingest_benchmark --source zoom --meetings 2000 --days 30 --limit 50

The fake enforces `--limit` requests per second on its API routes (answering 429 above it) and the
client is configured with `--client-rate` (default: the same limit), so the figures show how close
the client-side limiter gets to the limit without being throttled.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
import tracemalloc
from dataclasses import dataclass

from bridge_fakes.loopback import LoopbackApi
from bridge_fakes.seed import seed_backlog
from bridge_fakes.teams_fake import FakeGraphServer
from bridge_fakes.zoom_fake import FakeZoomServer
from bridge_pipeline.http.settings import HttpSettings
from bridge_pipeline.sources.teams import GraphSource
from bridge_pipeline.sources.zoom import ZoomSource


@dataclass(frozen=True)
class BenchmarkResult:
    source: str
    meetings: int
    days: int
    seconds: float
    api_requests: int
    limit_per_s: float
    throttled_answers: int
    peak_memory_mb: float

    @property
    def meetings_per_s(self) -> float:
        return self.meetings / self.seconds

    @property
    def limit_used(self) -> float:
        return self.api_requests / self.seconds / self.limit_per_s

    def summary(self) -> str:
        return (
            f"{self.source}: {self.meetings} meetings over {self.days} days in {self.seconds:.1f} s = "
            f"{self.meetings_per_s:.1f} meetings/s; {self.api_requests} API requests = "
            f"{self.limit_used:.1%} of the {self.limit_per_s:g}/s limit; {self.throttled_answers} x 429; "
            f"peak memory {self.peak_memory_mb:.1f} MB"
        )


def run_benchmark(
    source_name: str, *, meetings: int, days: int, limit_per_s: float, client_rate_per_s: float | None = None
) -> BenchmarkResult:
    end = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
    http = HttpSettings(mode="sandbox", requests_per_second=client_rate_per_s or limit_per_s)
    fake: LoopbackApi
    if source_name == "teams":
        fake = FakeGraphServer(page_size=100, server_rate_limit_per_s=limit_per_s)
    else:
        fake = FakeZoomServer(server_rate_limit_per_s=limit_per_s)
    with fake:
        seed_backlog(fake if isinstance(fake, FakeGraphServer) else None,
                     fake if isinstance(fake, FakeZoomServer) else None, meetings=meetings, days=days, end=end)
        if isinstance(fake, FakeGraphServer):
            source: GraphSource | ZoomSource = GraphSource(fake.source_settings(http=http, include_recordings=False))
        else:
            source = ZoomSource(fake.source_settings(http=http, download_chat=False))
        first_day = (end - dt.timedelta(days=days)).date()
        tracemalloc.start()
        started = time.monotonic()
        found = 0
        for offset in range(days + 1):
            found += len(source.recordings_for_day(first_day + dt.timedelta(days=offset), "UTC").recordings)
        seconds = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        source.close()
        api_requests = sum(1 for request in fake.requests if request.route in fake.rate_limited_routes)
    return BenchmarkResult(
        source=source_name,
        meetings=found,
        days=days,
        seconds=seconds,
        api_requests=api_requests,
        limit_per_s=limit_per_s,
        throttled_answers=fake.throttled,
        peak_memory_mb=peak / 1e6,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bridge_fakes.ingest_benchmark", description=__doc__)
    parser.add_argument("--source", choices=("teams", "zoom", "both"), default="both")
    parser.add_argument("--meetings", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--limit", type=float, default=50.0, help="requests per second the fake allows")
    parser.add_argument("--client-rate", type=float, default=None, help="client-side rate (default: --limit)")
    args = parser.parse_args(argv)
    for name in ("teams", "zoom") if args.source == "both" else (args.source,):
        result = run_benchmark(
            name, meetings=args.meetings, days=args.days, limit_per_s=args.limit, client_rate_per_s=args.client_rate
        )
        print(result.summary(), flush=True)


if __name__ == "__main__":
    main()
