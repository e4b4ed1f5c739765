"""Incremental re-runs: a synthetic day run through every stage, one meeting added, the day run again.

Prints the first run, the re-run and their ratio for a day of 100 meetings (target: re-run at most 20%
of the first run), stage by stage, then the scale curve for 50/100/200/500 meetings, each measured in a
fresh process so its peak RSS is its own. Nothing here asserts. Run with `make bench`, or
`python bench/bench_incremental.py [--meetings 100] [--curve 50,100,200,500]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_day import TEMPLATES, build_day, meeting_start, write_meeting  # noqa: E402

from bridge_pipeline import pipeline  # noqa: E402
from bridge_pipeline.extraction.offline import OfflineExtractor  # noqa: E402
from bridge_pipeline.sources.inbox import InboxSource  # noqa: E402
from bridge_pipeline.storage.blobs import LocalBlobStore  # noqa: E402
from bridge_pipeline.storage.store import PipelineStore  # noqa: E402

DAY = dt.date(2026, 5, 14)
TIMEZONE = "UTC"
STAGES = ("ingest", "parse", "extract", "draft", "qa", "export")


def run_day(inbox: Path, store: PipelineStore, blobs: LocalBlobStore) -> tuple[dict[str, float], dict[str, int]]:
    """Every stage once; seconds per stage and how many meetings each stage redid."""
    extractor = OfflineExtractor()
    steps = (
        ("ingest", lambda: pipeline.ingest_day(DAY, [InboxSource(inbox)], store, blobs, TIMEZONE)),
        ("parse", lambda: pipeline.parse_day(DAY, store, blobs)),
        ("extract", lambda: pipeline.extract_day(DAY, store, extractor, TIMEZONE)),
        ("draft", lambda: pipeline.draft_day(DAY, store, TIMEZONE)),
        ("qa", lambda: pipeline.qa_day(DAY, store)[0]),
        ("export", lambda: pipeline.export_day(DAY, store, blobs)),
    )
    seconds, redone = {}, {}
    for name, step in steps:
        start = time.perf_counter()
        report = step()
        seconds[name] = time.perf_counter() - start
        # Ingestion always reads the sources; the later stages say how many meetings they redid.
        redone[name] = report.counts.get("meetings_redone", 0) if name != "ingest" else None
    return seconds, redone


def measure(meetings: int) -> dict:
    """A day of `meetings` run from nothing, then again with one more meeting started mid-day."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inbox = root / "inbox"
        build_day(inbox, DAY, meetings)
        store = PipelineStore(f"sqlite:///{root / 'bench.sqlite3'}")
        store.migrate()
        blobs = LocalBlobStore(root / "data")
        first, first_redone = run_day(inbox, store, blobs)
        # A vendor call of a group of its own, between two existing meetings in the middle of the day.
        index = -(-meetings // len(TEMPLATES)) * len(TEMPLATES)
        started = meeting_start(DAY, meetings // 2, meetings) + dt.timedelta(minutes=1)
        write_meeting(inbox / DAY.isoformat(), DAY, index, started)
        again, again_redone = run_day(inbox, store, blobs)
        unchanged, _ = run_day(inbox, store, blobs)
        store.dispose()
    return {
        "meetings": meetings,
        "first": first,
        "first_redone": first_redone,
        "rerun": again,
        "rerun_redone": again_redone,
        "unchanged": unchanged,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def print_breakdown(figures: dict) -> None:
    n = figures["meetings"]
    first, rerun, unchanged = (sum(figures[k].values()) for k in ("first", "rerun", "unchanged"))
    print(f"== a day of {n} meetings, then one more meeting added mid-day (SQLite, local blobs; seconds) ==")
    print(f"{'':<28}" + "".join(f"{s:>9}" for s in STAGES) + f"{'total':>9}")
    rows = (
        (f"first run ({n} meetings)", "first"),
        ("re-run (+1 meeting)", "rerun"),
        ("re-run again (unchanged)", "unchanged"),
    )
    for label, key in rows:
        cells = "".join(f"{figures[key][s]:>9.3f}" for s in STAGES)
        print(f"{label:<28}{cells}{sum(figures[key].values()):>9.3f}")
    for label, key in (("meetings redone, first", "first_redone"), ("meetings redone, re-run", "rerun_redone")):
        print(f"{label:<28}" + "".join(f"{'-' if figures[key][s] is None else figures[key][s]:>9}" for s in STAGES))
    print(f"first run {first:.2f} s, re-run {rerun:.2f} s: ratio {rerun / first:.1%} (target <= 20%); "
          f"unchanged re-run {unchanged:.2f} s ({unchanged / first:.1%})")


def curve(points: list[int]) -> None:
    print("\n== scale curve: each day in a fresh process (first run, re-run after adding one meeting) ==")
    print(f"{'meetings':>9}{'first s':>10}{'ms/meeting':>12}{'re-run s':>10}{'ratio':>8}{'peak RSS MiB':>14}")
    for n in points:
        out = subprocess.run(
            [sys.executable, __file__, "--point", str(n)], check=True, capture_output=True, text=True
        ).stdout
        figures = json.loads(out.strip().splitlines()[-1])
        first, rerun = sum(figures["first"].values()), sum(figures["rerun"].values())
        print(
            f"{n:>9}{first:>10.2f}{1000 * first / n:>12.1f}{rerun:>10.2f}{rerun / first:>8.1%}"
            f"{figures['peak_rss_mib']:>14.0f}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=100, help="meetings of the day broken down by stage (0: none)")
    parser.add_argument("--curve", default="50,100,200,500", help="day sizes for the scale curve, comma-separated")
    parser.add_argument("--point", type=int, help=argparse.SUPPRESS)  # one curve point, printed as JSON
    args = parser.parse_args(argv)
    if args.point is not None:
        print(json.dumps(measure(args.point)))
        return
    print(f"python {sys.version.split()[0]}")
    if args.meetings:
        print_breakdown(measure(args.meetings))
    if args.curve:
        curve([int(n) for n in args.curve.split(",")])


if __name__ == "__main__":
    main()
