"""Measures an extractor against labelled meetings: `python -m bridge_pipeline.evaluate --data DIR`.

DIR holds one folder per meeting (`<series>_<date>_<n>/` with `transcript.vtt` and `tldr.json`). The
report prints recall, precision and citation accuracy overall, per series and per meeting, and writes
the same rows as CSV plus a chart (PNG) to --out.

The meetings split into two fixed halves so rules can be tuned on one and checked on the other: in
folder-name order, even positions (0, 2, 4, ...) are the tuning half and odd positions the held-out half.
The rule uses names only, never content, so a meeting stays in its half until meetings are added or
removed before it. `--halves` adds each half's overall line to the report; `--half` evaluates one half.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bridge_pipeline.errors import BridgeError, ConfigurationError
from bridge_pipeline.extraction.base import Extractor
from bridge_pipeline.extraction.evaluation import MeetingScore, aggregate, aggregate_by_series, score_meeting
from bridge_pipeline.models import MeetingDecisions, MeetingInfo, Transcript
from bridge_pipeline.parsing.transcripts import parse_transcript

TRANSCRIPT_FILE = "transcript.vtt"
LABELS_FILE = "tldr.json"
HALVES = ("tuning", "held-out")


@dataclass(frozen=True)
class LabelledMeeting:
    info: MeetingInfo
    transcript: Transcript
    reference: dict[str, Any]


@dataclass
class EvaluationReport:
    extractor: str
    meetings: list[MeetingScore] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(meeting id, error) for meetings the extractor could not process; they count as found nothing."""

    @property
    def overall(self) -> MeetingScore:
        return aggregate(self.meetings, label="all")

    @property
    def by_series(self) -> dict[str, MeetingScore]:
        return aggregate_by_series(self.meetings)


def load_labelled_meetings(data_dir: Path) -> list[LabelledMeeting]:
    """Every meeting folder under data_dir that has both a transcript and labels, in name order."""
    if not data_dir.is_dir():
        raise ConfigurationError(f"evaluation data folder {data_dir} does not exist")
    meetings = []
    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir()):
        if not (folder / TRANSCRIPT_FILE).is_file() or not (folder / LABELS_FILE).is_file():
            continue
        content = (folder / TRANSCRIPT_FILE).read_bytes()
        transcript = parse_transcript(content, "vtt", meeting_id=folder.name, filename=f"{folder.name}/{TRANSCRIPT_FILE}")
        meetings.append(
            LabelledMeeting(
                info=MeetingInfo(
                    meeting_id=folder.name,
                    partition_date=_date_of(folder.name),
                    source="zoom",
                    source_id=folder.name,
                    title=folder.name,
                    content_sha256=hashlib.sha256(content).hexdigest(),
                    raw_blob_key=f"raw/{folder.name}/{TRANSCRIPT_FILE}",
                ),
                transcript=transcript,
                reference=json.loads((folder / LABELS_FILE).read_text(encoding="utf-8")),
            )
        )
    return meetings


def _date_of(folder_name: str) -> dt.date:
    """'acdt_2026-03-02_072' -> 2026-03-02; folders without a date count as 1970-01-01."""
    for part in folder_name.split("_"):
        try:
            return dt.date.fromisoformat(part)
        except ValueError:
            continue
    return dt.date(1970, 1, 1)


def halves_of(meeting_ids: Iterable[str]) -> dict[str, str]:
    """Meeting id -> "tuning" (even position in name order) or "held-out" (odd position)."""
    return {meeting_id: HALVES[position % 2] for position, meeting_id in enumerate(sorted(meeting_ids))}


def evaluate(meetings: Sequence[LabelledMeeting], extractor: Extractor, timezone: str = "UTC") -> EvaluationReport:
    """Runs the extractor on every meeting and scores it; one meeting's failure does not stop the rest."""
    report = EvaluationReport(extractor=extractor.name)
    for meeting in meetings:
        try:
            decisions = extractor.extract(meeting.info, meeting.transcript, timezone)
        except BridgeError as error:
            report.failures.append((meeting.info.meeting_id, str(error)))
            decisions = MeetingDecisions(meeting_id=meeting.info.meeting_id, decisions=(), extractor=extractor.name)
        report.meetings.append(score_meeting(decisions, meeting.reference))
    return report


# --- output ---------------------------------------------------------------------------------------

_COLUMNS: list[tuple[str, Callable[[MeetingScore], object]]] = [
    ("reference_decisions", lambda s: s.reference_decisions),
    ("reference_actions", lambda s: s.reference_actions),
    ("found_decisions", lambda s: s.found_decisions),
    ("found_actions", lambda s: s.found_actions),
    ("predictions", lambda s: s.predictions),
    ("correct_predictions", lambda s: s.correct_predictions),
    ("well_cited_predictions", lambda s: s.well_cited_predictions),
    ("recall", lambda s: round(s.recall, 4)),
    ("decision_recall", lambda s: round(s.decision_recall, 4)),
    ("action_recall", lambda s: round(s.action_recall, 4)),
    ("precision", lambda s: round(s.precision, 4)),
    ("citation_accuracy", lambda s: round(s.citation_accuracy, 4)),
    ("citation_accuracy_any_label", lambda s: round(s.citation_accuracy_any_label, 4)),
]


def report_rows(report: EvaluationReport) -> list[dict[str, object]]:
    """One row per meeting, then one per series, then the overall row; `level` says which."""
    rows = []
    for level, scores in (("meeting", report.meetings), ("series", report.by_series.values()), ("overall", [report.overall])):
        for score in scores:
            rows.append({"level": level, "name": score.meeting_id, **{name: get(score) for name, get in _COLUMNS}})
    return rows


# A cell a spreadsheet would read as a formula ("=cmd|' /C calc'!A0", "@SUM(...)"); row names are folder names.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    """Text that would start a formula gets a leading apostrophe, which spreadsheets show as plain text."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def write_csv(report: EvaluationReport, path: Path) -> None:
    rows = [{name: _inert(value) for name, value in row.items()} for row in report_rows(report)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_chart(report: EvaluationReport, path: Path) -> None:
    """Grouped bars per series and overall: recall, decision recall, precision, citation accuracy."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = [*report.by_series.values(), report.overall]
    measures = [
        ("recall", lambda s: s.recall),
        ("decision recall", lambda s: s.decision_recall),
        ("precision", lambda s: s.precision),
        ("citation accuracy", lambda s: s.citation_accuracy),
    ]
    width = 0.8 / len(measures)
    figure, axes = plt.subplots(figsize=(max(8.0, 0.75 * len(groups) + 3), 4.8))
    for number, (label, measure) in enumerate(measures):
        positions = [i + (number - (len(measures) - 1) / 2) * width for i in range(len(groups))]
        axes.bar(positions, [measure(s) for s in groups], width=width, label=label)
    axes.set_xticks(range(len(groups)))
    axes.set_xticklabels([s.meeting_id for s in groups], rotation=45, ha="right")
    axes.set_ylim(0, 1)
    axes.set_ylabel("rate")
    axes.set_title(f"{report.extractor}: {report.overall.references} labelled items in {len(report.meetings)} meetings")
    axes.legend(loc="upper right", fontsize="small")
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _overall_figures(total: MeetingScore) -> str:
    return (
        f"recall {total.recall:.3f} (decisions {total.decision_recall:.3f}, actions {total.action_recall:.3f}), "
        f"precision {total.precision:.3f}, citation accuracy {total.citation_accuracy:.3f} "
        f"(any labelled moment {total.citation_accuracy_any_label:.3f}); "
        f"{total.references} references, {total.predictions} predictions"
    )


def print_report(report: EvaluationReport, out: TextIO | None = None, halves: Mapping[str, str] | None = None) -> None:
    """halves (from halves_of over all meetings) adds an overall line per half present in the report."""
    out = out or sys.stdout
    header = f"{'name':<40} {'refs':>5} {'found':>5} {'preds':>5} {'recall':>7} {'d.rec':>6} {'prec':>6} {'cite':>6} {'cite*':>6}"

    def line(score: MeetingScore) -> str:
        found = score.found_decisions + score.found_actions
        return (
            f"{score.meeting_id:<40} {score.references:>5} {found:>5} {score.predictions:>5} {score.recall:>7.3f} "
            f"{score.decision_recall:>6.3f} {score.precision:>6.3f} {score.citation_accuracy:>6.3f} "
            f"{score.citation_accuracy_any_label:>6.3f}"
        )

    print(f"extractor: {report.extractor}", file=out)
    print(f"overall: {_overall_figures(report.overall)}", file=out)
    print("\nper series  (cite = near a labelled decision/action; cite* = near any labelled moment)", file=out)
    print(header, file=out)
    for score in report.by_series.values():
        print(line(score), file=out)
    print("\nper meeting", file=out)
    print(header, file=out)
    for score in report.meetings:
        print(line(score), file=out)
    for meeting_id, error in report.failures:
        print(f"FAILED {meeting_id}: {error}", file=out)
    if halves is not None:
        print(file=out)
        for half in HALVES:
            scores = [score for score in report.meetings if halves[score.meeting_id] == half]
            if scores:
                print(f"{half} half: {_overall_figures(aggregate(scores))} in {len(scores)} meetings", file=out)


def write_outputs(report: EvaluationReport, out_dir: Path, suffix: str = "") -> tuple[Path, Path]:
    """The CSV and chart paths, named after the extractor (and suffix) so several runs sit side by side."""
    stem = "evaluation_" + "".join(ch if ch.isalnum() or ch in "-." else "_" for ch in report.extractor + suffix)
    csv_path, chart_path = out_dir / f"{stem}.csv", out_dir / f"{stem}.png"
    write_csv(report, csv_path)
    write_chart(report, chart_path)
    return csv_path, chart_path


# --- command line ---------------------------------------------------------------------------------


def _extractor(args: argparse.Namespace) -> Extractor:
    if args.extractor == "offline":
        from bridge_pipeline.extraction.offline import OfflineExtractor

        return OfflineExtractor()
    import os

    from bridge_pipeline.extraction.llm.extractor import OpenAIExtractor
    from bridge_pipeline.extraction.llm.settings import LanguageModelSettings
    from bridge_pipeline.settings import load_settings
    from bridge_pipeline.storage.blobs import LocalBlobStore

    key = os.environ.get("OPENAI_API_KEY", "")
    settings = LanguageModelSettings(api_key=key, model=args.model, base_url=args.base_url or None)
    return OpenAIExtractor(settings, LocalBlobStore(load_settings().data_dir))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bridge_pipeline.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of labelled meeting folders")
    parser.add_argument("--extractor", choices=("offline", "openai"), default="offline")
    parser.add_argument("--out", type=Path, default=Path("evaluation_report"), help="where the CSV and PNG go")
    parser.add_argument("--model", default="gpt-5.4-mini", help="model name for --extractor openai")
    parser.add_argument("--base-url", default="", help="OpenAI-compatible base URL for --extractor openai")
    parser.add_argument("--timezone", default="UTC")
    split_rule = "labelled meetings in folder-name order, counted from 0: even positions tune, odd ones are held out"
    parser.add_argument("--halves", action="store_true", help=f"also print each half's overall line ({split_rule})")
    parser.add_argument("--half", choices=HALVES, help=f"evaluate only this half ({split_rule})")
    args = parser.parse_args(argv)
    try:
        meetings = load_labelled_meetings(args.data)
        # Halves come from all labelled meetings, so --half picks the same meetings as --halves reports.
        halves = halves_of(meeting.info.meeting_id for meeting in meetings)
        if args.half:
            meetings = [meeting for meeting in meetings if halves[meeting.info.meeting_id] == args.half]
        if not meetings:
            which = f" ({args.half} half)" if args.half else ""
            print(f"error: no labelled meetings in {args.data}{which}", file=sys.stderr)
            return 2
        report = evaluate(meetings, _extractor(args), args.timezone)
    except BridgeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print_report(report, halves=halves if args.halves else None)
    csv_path, chart_path = write_outputs(report, args.out, f"_{args.half}" if args.half else "")
    print(f"\nwrote {csv_path} and {chart_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
