"""Runs the meeting line over labelled negotiation calls and scores the drafts: `make eval`.

    python -m bridge_pipeline.evaluate_negotiations --data ../shared/data/negotiations

Each call (`dNN.vtt|.txt|.json` + `dNN.meta.json` + `dNN.gold.json`) is copied into a temporary inbox under
its gold date, every day is run through the line in date order into one store (an amendment needs its
earlier day first), and the negotiation scorer reads the exports. The calls are scored in two groups: the
ones rules may be tuned on, and the held-out ones (by default the last four ids), which say whether a rule
fits the kind of call rather than the calls it was written on.

The extractor is the one the environment chooses (`BRIDGE_EXTRACTOR`, `BRIDGE_OPENAI_*`), so a user can
score their own OpenAI-compatible model the same way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bridge_pipeline import pipeline
from bridge_pipeline.errors import BridgeError, ConfigurationError
from bridge_pipeline.extraction.base import Extractor
from bridge_pipeline.pipeline import StageReport
from bridge_pipeline.secret_env import load_secrets_into_environment
from bridge_pipeline.settings import Settings, load_settings
from bridge_pipeline.sources.inbox import SIDECAR_SUFFIX, TRANSCRIPT_FORMATS, InboxSource
from bridge_pipeline.storage.blobs import LocalBlobStore
from bridge_pipeline.storage.store import PipelineStore

HELD_OUT_COUNT = 4
DEFAULT_SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score_negotiations.py"
WORKDIR_ENTRIES = {"inbox", "data", "gold_tuned_on", "gold_held_out"}
"""What an evaluation writes into its workdir; a rerun may clear a folder holding only these."""


@dataclass(frozen=True)
class Call:
    call_id: str
    day: dt.date
    transcript: Path
    sidecar: Path
    gold: Path


def load_calls(data_dir: Path) -> list[Call]:
    """Every call of the folder that has a transcript, a sidecar and gold labels, by id."""
    if not data_dir.is_dir():
        raise ConfigurationError(f"negotiation data folder {data_dir} does not exist")
    calls = []
    for gold in sorted(data_dir.glob("*.gold.json")):
        call_id = gold.name.removesuffix(".gold.json")
        transcripts = [data_dir / f"{call_id}{suffix}" for suffix in TRANSCRIPT_FORMATS]
        transcripts = [p for p in transcripts if p.is_file()]
        sidecar = data_dir / f"{call_id}{SIDECAR_SUFFIX}"
        if len(transcripts) != 1:
            found = ", ".join(p.name for p in transcripts) or "none"
            raise ConfigurationError(
                f"call {call_id} needs exactly one transcript ({call_id}.vtt, .txt or .json) in {data_dir}; found {found}"
            )
        if not sidecar.is_file():
            # Without it the call would be ingested untitled and dated by its folder only, and the scorer
            # reads the sidecar too.
            raise ConfigurationError(f"call {call_id} has no sidecar {sidecar.name} in {data_dir}")
        calls.append(Call(call_id, _gold_date(gold), transcripts[0], sidecar, gold))
    return calls


def _gold_date(gold: Path) -> dt.date:
    try:
        return dt.date.fromisoformat(json.loads(gold.read_text(encoding="utf-8"))["date"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigurationError(f"{gold.name} has no readable \"date\" (YYYY-MM-DD): {error}") from None


def split_held_out(calls: list[Call], held_out: tuple[str, ...] | None) -> tuple[list[Call], list[Call]]:
    """(tuned, held out): the named ids, or the last HELD_OUT_COUNT ids when none are named."""
    ids = [c.call_id for c in calls]
    chosen = set(held_out) if held_out is not None else set(ids[-HELD_OUT_COUNT:])
    return [c for c in calls if c.call_id not in chosen], [c for c in calls if c.call_id in chosen]


def fill_inbox(calls: list[Call], inbox: Path) -> list[dt.date]:
    """Copies each call into `<inbox>/<day>/`; returns the days in date order."""
    for call in calls:
        folder = inbox / call.day.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(call.transcript, folder / call.transcript.name)
        shutil.copyfile(call.sidecar, folder / call.sidecar.name)
    return sorted({c.day for c in calls})


def run_line(days: list[dt.date], settings: Settings, extractor: Extractor) -> dict[str, int]:
    """Every stage of the line for each day in order, as the day-partitioned assets run them."""
    store = PipelineStore(settings.database_url)
    store.migrate()
    blobs = LocalBlobStore(settings.data_dir)
    source = InboxSource(settings.inbox_dir)
    totals: dict[str, int] = {}

    def tally(day: dt.date, report: StageReport) -> None:
        for problem in report.problems:
            print(f"  problem {day} {problem.stage} {problem.location}: {problem.problem}", file=sys.stderr)
        for name in ("drafts", "withheld", "decision_records"):
            totals[name] = totals.get(name, 0) + report.counts.get(name, 0)

    # Ingesting and parsing depend on no other day, so every day is read first: a batching extractor
    # (BRIDGE_OPENAI_USE_BATCH) can then send all calls at once, as the decisions asset does for a range.
    for day in days:
        tally(day, pipeline.ingest_day(day, [source], store, blobs, settings.timezone))
        tally(day, pipeline.parse_day(day, store, blobs))
    prepare = getattr(extractor, "prepare", None)
    if prepare is not None:
        meetings = []
        for day in days:
            transcripts = store.load_transcripts(day)
            meetings += [(m, transcripts[m.meeting_id]) for m in store.load_meetings(day) if m.meeting_id in transcripts]
        prepare(meetings, settings.timezone)
    for day in days:
        tally(day, pipeline.extract_day(day, store, extractor, settings.timezone))
        tally(day, pipeline.draft_day(day, store, settings.timezone))
        tally(day, pipeline.qa_day(day, store)[0])
        tally(day, pipeline.export_day(day, store, blobs))
    return totals


def gold_folder(calls: list[Call], into: Path) -> Path:
    """A folder holding only these calls' gold labels and sidecars, the layout the scorer reads."""
    into.mkdir(parents=True, exist_ok=True)
    for call in calls:
        shutil.copyfile(call.gold, into / call.gold.name)
        shutil.copyfile(call.sidecar, into / call.sidecar.name)
    return into


def score(scorer: Path, exports: Path, gold: Path) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, str(scorer), str(exports), str(gold)], capture_output=True, text=True, check=False
    )
    return result.returncode, result.stdout + result.stderr


def build_extractor(settings: Settings) -> Extractor:
    """The extractor BRIDGE_EXTRACTOR names, with the language model's answers cached in this run's blobs."""
    if settings.extractor == "offline":
        from bridge_pipeline.extraction.offline import OfflineExtractor

        return OfflineExtractor()
    if settings.extractor == "openai":
        from bridge_pipeline.extraction.llm.extractor import OpenAIExtractor
        from bridge_pipeline.extraction.llm.settings import LanguageModelSettings

        options: dict[str, object] = {
            "api_key": os.environ.get("OPENAI_API_KEY", ""),
            "base_url": settings.openai_base_url,
            "use_batch": settings.openai_use_batch,
        }
        if settings.openai_model:
            options["model"] = settings.openai_model
        return OpenAIExtractor(LanguageModelSettings(**options), LocalBlobStore(settings.data_dir))
    raise ConfigurationError(f"BRIDGE_EXTRACTOR={settings.extractor!r} is not one of offline, openai")


def describe_usage(extractor: Extractor) -> str | None:
    """One line of what a language model cost the run; None for extractors that call no model.

    Failed meetings are named here because their figures would otherwise read as a weak model.
    """
    usage = getattr(extractor, "usage", None)
    if usage is None:
        return None
    return (f"model {getattr(extractor, 'name', '?')}: {usage.api_requests} requests "
            f"({usage.batch_requests} batched, {usage.cache_hits} cached, {usage.retries} retries), "
            f"{usage.prompt_tokens} prompt + {usage.completion_tokens} completion tokens, "
            f"about ${usage.cost_usd:.4f}; {usage.meetings_failed} meetings failed, "
            f"{usage.grounding_dropped} items dropped and {usage.grounding_lowered} lowered by grounding")


def prepare_workdir(workdir: Path) -> None:
    """An empty workdir; only an earlier evaluation's workdir is cleared, never a folder holding anything else."""
    if workdir.exists() and not workdir.is_dir():
        raise ConfigurationError(f"workdir {workdir} is a file; name an empty or new folder")
    if workdir.is_dir():
        leftovers = {entry.name for entry in workdir.iterdir()} - WORKDIR_ENTRIES
        if leftovers:
            raise ConfigurationError(
                f"workdir {workdir} holds {', '.join(sorted(leftovers))}, which an evaluation did not write; "
                "name an empty or new folder"
            )
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)


def evaluate(
    data_dir: Path, scorer: Path, workdir: Path, held_out: tuple[str, ...] | None, tuned_only: bool = False
) -> bool:
    calls = load_calls(data_dir)
    tuned, kept_back = split_held_out(calls, held_out)
    if tuned_only:
        calls, kept_back = tuned, []
    env = dict(os.environ, BRIDGE_DATA_DIR=str(workdir / "data"), BRIDGE_INBOX_DIR=str(workdir / "inbox"))
    env.pop("BRIDGE_DATABASE_URL", None)
    env.pop("BRIDGE_BLOB_STORE", None)
    settings = load_settings(env)
    days = fill_inbox(calls, settings.inbox_dir)
    extractor = build_extractor(settings)
    totals = run_line(days, settings, extractor)
    print(f"{len(calls)} calls over {len(days)} days with extractor {settings.extractor}: "
          f"{totals.get('drafts', 0)} drafts, {totals.get('withheld', 0)} withheld, "
          f"{totals.get('decision_records', 0)} decision records")
    if (usage := describe_usage(extractor)) is not None:
        print(usage)
    passed = True
    for label, group in (("tuned on", tuned), ("held out", kept_back)):
        if not group:
            continue
        code, text = score(scorer, settings.exports_dir, gold_folder(group, workdir / f"gold_{label.replace(' ', '_')}"))
        print(f"\n== {label}: {', '.join(c.call_id for c in group)}")
        print(text.rstrip())
        passed = passed and code == 0
    print(f"\nexports kept in {settings.exports_dir}")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bridge_pipeline.evaluate_negotiations",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of negotiation calls with gold labels")
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help="score_negotiations.py")
    parser.add_argument("--workdir", type=Path, help="where the inbox, store and exports go (default: a new temp folder)")
    parser.add_argument("--held-out", help="comma-separated call ids scored apart (default: the last four)")
    parser.add_argument("--tuned-only", action="store_true", help="run and score only the calls not held out")
    args = parser.parse_args(argv)
    if not args.data.is_dir() or not args.scorer.is_file():
        print(f"skipped: {args.data if not args.data.is_dir() else args.scorer} is not there")
        return 0
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bridge-eval-"))
    held_out = tuple(s.strip() for s in args.held_out.split(",") if s.strip()) if args.held_out else None
    try:
        # Same secrets as the deployed line (BRIDGE_SECRETS_ID), so its model can be scored unchanged.
        load_secrets_into_environment()
        prepare_workdir(workdir)
        passed = evaluate(args.data, args.scorer, workdir, held_out, args.tuned_only)
    except BridgeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
