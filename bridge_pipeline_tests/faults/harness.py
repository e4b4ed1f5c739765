"""What the fault tests share: a day of Teams and Zoom meetings (and optionally the language model) from the
loopback fakes, run in-process, and a snapshot of what it left (rows, export bytes, materializations) to
compare a faulted run with a clean one."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sys
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterEventType, DagsterInstance, EventRecordsFilter, materialize

from bridge_fakes import FakeGraphServer, FakeZoomServer
from bridge_fakes.environment import sources_env
from bridge_fakes.openai_fake import DEFAULT_API_KEY, FakeOpenAIServer
from bridge_fakes.seed import seed_demo
from bridge_pipeline.defs.resources_for_environment import build_resources, openai_extractor_resource
from bridge_pipeline.http.retry import RetryPolicy
from bridge_pipeline.http.settings import HttpSettings
from bridge_pipeline.settings import Settings, load_settings
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline_tests.line_fixtures import REPO, SAMPLE_INBOX, line_assets

DAY = dt.date(2026, 5, 14)
LINE_ASSET_NAMES = ("raw_recordings", "transcripts", "decisions", "contract_drafts", "draft_qa", "contract_exports")

# The sources' HTTP settings in these tests: the shipped retry policy's shape with short waits and
# timeouts, so a hang costs seconds, not minutes (the policy itself is what is under test).
FAULT_RETRY = RetryPolicy(max_attempts=6, budget_s=20.0, backoff_initial_s=0.02, backoff_max_s=0.2, max_retry_after_s=5.0)


def fault_http_settings(*, mode: str = "production", requests_per_second: float = 10.0, **_: object) -> HttpSettings:
    return HttpSettings(mode=mode, requests_per_second=1000.0, connect_timeout_s=2.0, read_timeout_s=2.0,
                        retry=FAULT_RETRY)  # type: ignore[arg-type]


@dataclass
class Snapshot:
    """What a day left behind, comparable across data folders."""

    meetings: list[dict]
    transcripts: dict[str, object]
    decisions: dict[str, object]
    drafts: dict[str, object]
    exports: dict[str, str]  # path under exports/<day>/ -> sha256 of the bytes
    export_rows: list[tuple]


@dataclass
class FaultLine:
    settings: Settings
    graph: FakeGraphServer
    zoom: FakeZoomServer
    openai: FakeOpenAIServer | None
    instance: DagsterInstance

    @property
    def store(self) -> PipelineStore:
        store = PipelineStore(self.settings.database_url)
        store.migrate()
        return store

    def resources(self) -> dict:
        resources = build_resources(os.environ, self.settings)
        if self.openai is not None:
            # The shipped policy's shape, with short waits and timeouts (a hang costs seconds).
            resources["extractor"] = openai_extractor_resource(
                resources["blob_storage"], base_url=self.openai.api_base_url, request_timeout_s=2.0,
                max_attempts=6, retry_budget_s=20.0, retry_base_delay_s=0.02,
            )
        return resources

    def run(self, *, raise_on_error: bool = False):
        return materialize(line_assets(self.settings), resources=self.resources(), partition_key=DAY.isoformat(),
                           instance=self.instance, raise_on_error=raise_on_error)

    def run_clean(self, times: int = 2) -> None:
        """Runs the day until the fakes' late transcript has been served (the seeded day needs two runs)."""
        for _ in range(times):
            assert self.run().success

    def snapshot(self) -> Snapshot:
        return snapshot(self.settings)

    def materialized_partitions(self) -> dict[str, list[str]]:
        """Per asset, the partitions of its successful materialization records, in order."""
        found = {}
        for name in LINE_ASSET_NAMES:
            records = self.instance.get_event_records(
                EventRecordsFilter(DagsterEventType.ASSET_MATERIALIZATION, asset_key=AssetKey(name)), ascending=True
            )
            found[name] = [r.event_log_entry.dagster_event.partition for r in records]
        return found


def _dump(value):
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_dump(v) for v in value]
    return value


def snapshot(settings: Settings) -> Snapshot:
    store = PipelineStore(settings.database_url)
    store.migrate()
    exports_dir = settings.exports_dir / DAY.isoformat()
    files = {}
    if exports_dir.exists():
        for path in sorted(exports_dir.rglob("*")):
            if path.is_file():
                files[path.relative_to(exports_dir).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    exported, withheld = store.load_exports(DAY)
    export_rows = sorted(
        [tuple(sorted((k, str(v)) for k, v in _dump(row).items() if k not in ("exported_at", "created_at"))) for row in exported]
        + [tuple(sorted((k, str(v)) for k, v in _dump(row).items() if k not in ("exported_at", "created_at"))) for row in withheld]
    )
    return Snapshot(
        meetings=[_dump(m) for m in store.load_meetings(DAY)],
        transcripts=_dump(store.load_transcripts(DAY)),
        decisions=_dump(store.load_decisions(DAY)),
        drafts=_dump(store.load_drafts(DAY)),
        exports=files,
        export_rows=export_rows,
    )


def many_meetings_inbox(root: Path, copies: int) -> Path:
    """An inbox whose day holds the sample day's meetings `copies` times over (each with its sidecar)."""
    day = root / DAY.isoformat()
    day.mkdir(parents=True)
    for source in (SAMPLE_INBOX / DAY.isoformat()).iterdir():
        if source.name.endswith(".meta.json"):
            continue
        sidecar = source.with_name(source.stem + ".meta.json")
        for copy in range(copies):
            target = day / f"{source.stem}-{copy:02d}{source.suffix}"
            shutil.copy(source, target)
            if sidecar.exists():
                shutil.copy(sidecar, target.with_name(target.stem + ".meta.json"))
    return root


def visible_partial_files(root: Path) -> list[Path]:
    """Files under `root` that look like a write in progress (temporary names), which no reader should see."""
    if not root.exists():
        return []
    suffixes = (".tmp", ".part", ".partial")
    return [p for p in root.rglob("*") if p.is_file() and (p.name.endswith(suffixes) or ".tmp" in p.name or p.name.startswith("."))]


@contextmanager
def fault_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, with_openai: bool = False) -> Iterator[FaultLine]:
    monkeypatch.setattr("bridge_pipeline.sources.environment.HttpSettings", fault_http_settings)
    with FakeGraphServer() as graph, FakeZoomServer() as zoom:
        seed_demo(graph, zoom, [DAY])
        (tmp_path / "inbox").mkdir(parents=True, exist_ok=True)
        env = {
            **sources_env(graph, zoom),
            "BRIDGE_INBOX_DIR": str(tmp_path / "inbox"),
            "BRIDGE_DATA_DIR": str(tmp_path / "data"),
        }
        openai = FakeOpenAIServer().start() if with_openai else None
        try:
            if openai is not None:
                env.update({"BRIDGE_EXTRACTOR": "openai", "BRIDGE_OPENAI_BASE_URL": openai.api_base_url,
                            "OPENAI_API_KEY": DEFAULT_API_KEY})
            for name, value in env.items():
                monkeypatch.setenv(name, value)
            with DagsterInstance.ephemeral() as instance:
                yield FaultLine(load_settings(env), graph, zoom, openai, instance)
        finally:
            if openai is not None:
                openai.stop()


def assert_same_as_clean(got: Snapshot, clean: Snapshot) -> None:
    assert got.meetings == clean.meetings
    assert got.transcripts == clean.transcripts
    assert got.decisions == clean.decisions
    assert got.drafts == clean.drafts
    assert got.export_rows == clean.export_rows
    assert got.exports == clean.exports


def snapshot_code(workdir: Path) -> Path:
    """The daemon, its code server and every run import this copy: edits saved meanwhile in the work tree
    (others work in it) cannot reach some processes and not others."""
    code = workdir / "code"
    shutil.copytree(REPO / "bridge_pipeline", code / "bridge_pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    check = subprocess.run(
        [sys.executable, "-c", "import sys, bridge_pipeline.definitions as d; assert d.__file__.startswith(sys.argv[1]), d.__file__",
         str(code)],
        env={**os.environ, "PYTHONPATH": str(code)}, cwd=workdir, capture_output=True, text=True,
    )
    assert check.returncode == 0, f"the code snapshot does not import:\n{check.stderr[-3000:]}"
    return code
