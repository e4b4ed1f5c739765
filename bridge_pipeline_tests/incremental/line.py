"""The meeting line run stage by stage on a synthetic inbox, recording which meetings each stage worked on."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator
from unittest import mock

import sqlalchemy as sa

from bridge_pipeline import pipeline
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline.models import MeetingDecisions, MeetingInfo, Transcript
from bridge_pipeline.sources.inbox import InboxSource, inbox_meeting_id
from bridge_pipeline.storage.blobs import LocalBlobStore
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline.storage.tables import ALL_TABLES, STAGE_INPUT_TABLES
from bridge_pipeline_tests.storage.rewrites import RewriteLog

REPO = Path(__file__).resolve().parents[2]

# The benchmark's day builder, so tests and benchmark run on the same kind of day.
_spec = importlib.util.spec_from_file_location("synthetic_day", REPO / "bench" / "synthetic_day.py")
assert _spec is not None and _spec.loader is not None
synthetic_day = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic_day)

STAGES = ("parsed", "extracted", "drafted", "checked", "exported")


class CountingExtractor:
    """The offline rules under any name, noting every meeting it is asked about."""

    def __init__(self, name: str = OfflineExtractor.name):
        self.name = name
        self._rules = OfflineExtractor()
        self.calls: list[str] = []

    def extract(self, meeting: MeetingInfo, transcript: Transcript, timezone: str) -> MeetingDecisions:
        self.calls.append(meeting.meeting_id)
        return self._rules.extract(meeting, transcript, timezone).model_copy(update={"extractor": self.name})


@dataclass
class Work:
    """Meeting ids each stage worked on during one run, once per call (a meeting with two drafts is QA'd twice).

    `exported` holds a meeting once per export file written for it (documents and withheld notices).
    """

    parsed: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    drafted: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    exported: list[str] = field(default_factory=list)
    reports: dict[str, pipeline.StageReport] = field(default_factory=dict)
    rewritten: set[str] = field(default_factory=set)
    """Meetings some stored row of which was deleted or updated (on SQLite; rows only added do not count)."""

    def meetings(self, stage: str) -> set[str]:
        return set(getattr(self, stage))

    def nothing(self) -> bool:
        return not any(getattr(self, stage) for stage in STAGES)


def _spy(work: list[str], fn: Callable[..., Any], meeting_id: Callable[..., str]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        work.append(meeting_id(*args, **kwargs))
        return fn(*args, **kwargs)

    return wrapper


def _export_meeting(key: str, *_: Any) -> str:
    return key.split("/")[2] if key.startswith("exports/") else ""


@contextmanager
def watching(work: Work, blobs: LocalBlobStore) -> Iterator[None]:
    """Note the meeting of every parse, draft and QA call the pipeline makes, and of every export file written."""
    exported: list[str] = []
    with (
        mock.patch.object(
            pipeline, "parse_transcript", _spy(work.parsed, pipeline.parse_transcript, lambda *a, **k: k["meeting_id"])
        ),
        mock.patch.object(
            pipeline,
            "draft_meeting_in_deal",
            _spy(work.drafted, pipeline.draft_meeting_in_deal, lambda m, *a, **k: m.meeting_id),
        ),
        mock.patch.object(pipeline, "run_qa", _spy(work.checked, pipeline.run_qa, lambda d, md, m, **k: m.meeting_id)),
        mock.patch.object(blobs, "put", _spy(exported, blobs.put, _export_meeting)),
    ):
        yield
    work.exported = [m for m in exported if m]


class Line:
    """An inbox, a SQLite store and a blob folder under `root`, and the six stages run in order."""

    def __init__(self, root: Path, database_url: str | None = None):
        self.root = root
        self.inbox = root / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.store = PipelineStore(database_url or f"sqlite:///{root / 'line.sqlite3'}")
        self.store.migrate()
        self.blobs = LocalBlobStore(root / "data")
        sqlite = self.store.engine.dialect.name == "sqlite"
        self.rewrites = RewriteLog(self.store.engine, ALL_TABLES + STAGE_INPUT_TABLES) if sqlite else None

    def run(
        self,
        day: dt.date,
        *,
        extractor: CountingExtractor | None = None,
        timezone: str = "UTC",
        through: str = "contract_exports",
    ) -> Work:
        """The stages in order, up to and including `through`."""
        extractor = extractor or CountingExtractor()
        work = Work()
        calls_before = len(extractor.calls)
        if self.rewrites is not None:
            self.rewrites.clear()
        stages: dict[str, Callable[[], Any]] = {
            "raw_recordings": lambda: pipeline.ingest_day(
                day, [InboxSource(self.inbox)], self.store, self.blobs, timezone
            ),
            "transcripts": lambda: pipeline.parse_day(day, self.store, self.blobs),
            "decisions": lambda: pipeline.extract_day(day, self.store, extractor, timezone),
            "contract_drafts": lambda: pipeline.draft_day(day, self.store, timezone),
            "draft_qa": lambda: pipeline.qa_day(day, self.store)[0],
            "contract_exports": lambda: pipeline.export_day(day, self.store, self.blobs),
        }
        with watching(work, self.blobs):
            for name, stage in stages.items():
                work.reports[name] = stage()
                if name == through:
                    break
        work.extracted = extractor.calls[calls_before:]
        if self.rewrites is not None:
            work.rewritten = self.rewrites.meetings() - {None}
        return work

    def copy(self, root: Path) -> "Line":
        """The same line under `root`: inbox, database and files copied as they are now."""
        self.store.dispose()  # closes SQLite's connections, so the copied file holds every commit
        shutil.copytree(self.root, root)
        return Line(root)

    # --- building days ----------------------------------------------------------------------------

    def day_folder(self, day: dt.date) -> Path:
        return self.inbox / day.isoformat()

    def build_day(self, day: dt.date, meetings: int) -> list[str]:
        """Meetings 0..meetings-1 of the synthetic day; returns their meeting ids."""
        return [inbox_meeting_id(day, stem) for stem in synthetic_day.build_day(self.inbox, day, meetings)]

    def add_meeting(self, day: dt.date, index: int, started_at: dt.datetime) -> str:
        return inbox_meeting_id(day, synthetic_day.write_meeting(self.day_folder(day), day, index, started_at))

    def edit_transcript(self, day: dt.date, meeting_id: str, old: str, new: str) -> None:
        (path,) = [
            p
            for p in self.day_folder(day).iterdir()
            if not p.name.endswith(".meta.json") and inbox_meeting_id(day, p.stem) == meeting_id
        ]
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path.name}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    # --- what is stored -----------------------------------------------------------------------------

    def rows(self, day: dt.date, *, with_ids: bool = True) -> dict[str, list[dict[str, Any]]]:
        """Every stored row of the day per table, row ids included unless asked not to (to compare two stores)."""
        found = {}
        with self.store.engine.connect() as conn:
            for table in ALL_TABLES + STAGE_INPUT_TABLES:
                rows = [dict(r) for r in conn.execute(sa.select(table).where(table.c.partition_date == day)).mappings()]
                if not with_ids:
                    rows = sorted(({k: v for k, v in r.items() if k != "id"} for r in rows), key=repr)
                else:
                    rows.sort(key=lambda r: r["id"])
                found[table.name] = rows
        return found

    def rows_of(self, day: dt.date, meeting_ids: set[str]) -> dict[str, list[dict[str, Any]]]:
        return {name: [r for r in rows if r.get("meeting_id") in meeting_ids] for name, rows in self.rows(day).items()}

    def files(self, day: dt.date) -> dict[str, tuple[bytes, int, int]]:
        """Export files of the day: bytes, inode and modification time (a rewrite changes the last two)."""
        root = self.blobs.root / pipeline.export_prefix(day)
        return {
            p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    def file_bytes(self, day: dt.date) -> dict[str, bytes]:
        return {name: data for name, (data, _, _) in self.files(day).items()}

    def files_of(self, day: dt.date, meeting_ids: set[str]) -> dict[str, tuple[bytes, int, int]]:
        return {name: f for name, f in self.files(day).items() if name.split("/", 1)[0] in meeting_ids}
