"""Latency targets and how a day's measured latencies compare with them (no Dagster here).

Targets come from the seed system (30 s transcript-to-export p95, 12 s per draft, 5 s per export)
as the failure line, and from our own aims (15 s, under 1 s per draft, under 0.5 s per export) as the
warning line. A transcript is available from the time the sensor that requested the run tagged it with
(`bridge/detected_at`: the inbox file first seen complete, the Teams or Zoom artifact's time), or from
the start of the run that ingested it when no sensor requested that run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from bridge_pipeline.storage.stage_timings import p95

Verdict = Literal["ok", "warn", "fail", "no_data"]


@dataclass(frozen=True)
class LatencyTarget:
    name: str
    warn_above_s: float
    fail_above_s: float
    what: str


TRANSCRIPT_TO_EXPORT = LatencyTarget(
    "transcript_to_export_p95", 15.0, 30.0, "seconds from a transcript being available to its exports written"
)
DRAFT_STAGE = LatencyTarget("draft_stage_p95", 1.0, 12.0, "seconds of the drafting stage per meeting")
EXPORT_STAGE = LatencyTarget("export_stage_p95", 0.5, 5.0, "seconds of the export stage per meeting")


@dataclass(frozen=True)
class DayLatency:
    day: dt.date
    p95_s: float | None
    samples: int
    verdict: Verdict


@dataclass(frozen=True)
class SloOutcome:
    target: LatencyTarget
    days: tuple[DayLatency, ...]

    @property
    def verdict(self) -> Verdict:
        verdicts = {d.verdict for d in self.days}
        for worst in ("fail", "warn", "ok"):
            if worst in verdicts:
                return worst
        return "no_data"

    @property
    def worst_p95_s(self) -> float | None:
        values = [d.p95_s for d in self.days if d.p95_s is not None]
        return max(values) if values else None

    def table(self) -> str:
        rows = ["| day | p95 (s) | samples | verdict |", "|---|---|---|---|"]
        for d in self.days:
            shown = "-" if d.p95_s is None else f"{d.p95_s:.3f}"
            rows.append(f"| {d.day.isoformat()} | {shown} | {d.samples} | {d.verdict} |")
        return "\n".join(rows)


def judge(value_s: float | None, target: LatencyTarget) -> Verdict:
    if value_s is None:
        return "no_data"
    if value_s > target.fail_above_s:
        return "fail"
    if value_s > target.warn_above_s:
        return "warn"
    return "ok"


def evaluate(target: LatencyTarget, samples_by_day: Mapping[dt.date, Sequence[float]]) -> SloOutcome:
    """p95 per day of the given samples, each judged against the target."""
    days = []
    for day in sorted(samples_by_day):
        value = p95(samples_by_day[day])
        days.append(DayLatency(day=day, p95_s=value, samples=len(samples_by_day[day]), verdict=judge(value, target)))
    return SloOutcome(target=target, days=tuple(days))
