"""Counsel approves at the review desk -> the re-drafted, approved export is written, under the real daemon.

    python bench/review_latency.py [--drafts 5]

Materializes the sample inbox's first day with the CLI on a fresh instance folder, starts the real
`dagster-daemon run` on it, waits for `review_sensor`'s first tick, then for each of `--drafts` drafts in
turn does what the desk does on "fill a TBD" and "approve" (appends the two review actions, through the
same store API) and times until that draft's JSON bundle shows the filled value and the approval. Prints
each time and the median and maximum. Nothing asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from latency import daemon_env, snapshot_code, start_daemon, stop_daemon, wait_for_ticks  # noqa: E402

from bridge_pipeline.drafting.review import cover_fingerprint, review_value, reviewed_fields  # noqa: E402
from bridge_pipeline.drafting.templates import load_template  # noqa: E402
from bridge_pipeline.models import ContractDraft, ReviewAction  # noqa: E402
from bridge_pipeline.storage.store import PipelineStore  # noqa: E402

DAY = dt.date(2026, 5, 14)
REVIEWER = "counsel@example.com"
TIMEOUT_S = 180
# What counsel types into a TBD field, per field kind (a value QA accepts, so the draft is not withheld).
TYPED = {"date": "2027-01-31", "money": "EUR 12,500.00", "percent": "99.5", "duration": "12 months",
         "party": "Example Holdings Ltd"}


def _materialize_day(env: dict[str, str]) -> None:
    command = [str(Path(sys.executable).with_name("dagster")), "asset", "materialize", "-m",
               "bridge_pipeline.definitions", "--select", "group:meeting_line", "--partition", DAY.isoformat()]
    subprocess.run(command, env=env, check=True, capture_output=True)


def _review(store: PipelineStore, draft: ContractDraft, field: str, value: str) -> float:
    """Fill `field` and approve the result, as the desk does; returns when the approval was stored."""
    now = dt.datetime.now(dt.timezone.utc)
    base = dict(reviewer=REVIEWER, draft_id=draft.draft_id, draft_version=draft.version,
                meeting_id=draft.meeting_id, partition_date=draft.partition_date)
    filled = store.reviews.append(ReviewAction(recorded_at=now, action="set_value", field_name=field,
                                               before_value=None, after_value=value, note="benchmark", **base))
    fields = reviewed_fields(draft.fields, [filled])
    store.reviews.append(ReviewAction(recorded_at=now, action="approve", after_value=cover_fingerprint(draft, fields),
                                      note="benchmark", **base))
    return time.time()


def _bundle_path(data: Path, draft: ContractDraft) -> Path:
    name = f"{draft.draft_id}.json" if draft.version == 1 else f"{draft.draft_id}-v{draft.version}.json"
    return data / "exports" / DAY.isoformat() / draft.meeting_id / name


def _wait_for_export(store: PipelineStore, data: Path, draft: ContractDraft, value: str, since: float) -> float:
    """Seconds from `since` until the draft's bundle holds the value and the stored version is approved."""
    path = _bundle_path(data, draft)
    while time.time() - since < TIMEOUT_S:
        time.sleep(0.2)
        stored = store.load_draft_version(draft.draft_id, draft.version)
        if stored is None or stored.review is None or stored.review.status != "approved":
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        if value in text and REVIEWER in text:
            return path.stat().st_mtime - since
    raise RuntimeError(f"{draft.draft_id}: no approved export within {TIMEOUT_S} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=5)
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="bridge-review-bench-"))
    code = snapshot_code(base, print)
    shutil.copytree(REPO / "sample_inbox", base / "inbox")
    env = daemon_env(base, {}, 300, Path(code["path"]))
    data = Path(env["BRIDGE_DATA_DIR"])
    _materialize_day(env)
    store = PipelineStore(f"sqlite:///{data / 'bridge.sqlite3'}")
    drafts = [
        (d, f.name)
        for md in store.load_drafts(DAY).values()
        for d in md.drafts
        for f in d.fields
        if f.is_tbd and f.required
    ]
    picked = list({d.draft_id: (d, name) for d, name in drafts}.values())[: args.drafts]
    daemon = start_daemon(base, env)
    times: list[float] = []
    try:
        wait_for_ticks(Path(env["DAGSTER_HOME"]), ["review_sensor"], daemon, timeout_s=120)
        for number, (draft, field) in enumerate(picked, 1):
            spec = next(s for s in load_template(draft.contract_type).fields if s.name == field)
            value = review_value(spec, TYPED.get(spec.kind, f"Value set at review {number}"))
            since = _review(store, draft, field, value)
            seconds = _wait_for_export(store, data, draft, value, since)
            times.append(seconds)
            print(f"{draft.draft_id} v{draft.version}: {field} filled and approved -> export in {seconds:.1f} s")
    finally:
        stop_daemon(daemon)
    if times:
        print(json.dumps({"drafts": len(times), "median_s": round(statistics.median(times), 1),
                          "max_s": round(max(times), 1), "times_s": [round(t, 1) for t in times]}))
    shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
