"""Ingestion from the Teams and Zoom fakes with a seeded backlog, under a server-side rate limit.

Prints, per source: meetings/s, the share of the limit the client used (target at least 90%), the
429 answers it received, and the peak memory of the scan. Nothing here asserts. Run with `make bench`,
or `python bench/bench_ingest.py --meetings 2000 --days 30 --limit 50`.
"""

from __future__ import annotations

from bridge_fakes.ingest_benchmark import main

if __name__ == "__main__":
    main()
