"""Helpers to run the whole meeting line in-process against a throw-away inbox and data folder."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from dagster import AssetsDefinition, DagsterInstance, materialize

from bridge_pipeline.defs.meeting_line.assets import build_line_assets
from bridge_pipeline.defs.meeting_line.partitions import build_daily_partitions
from bridge_pipeline.defs.resources_for_environment import build_resources
from bridge_pipeline.settings import Settings, load_settings
from bridge_pipeline.storage.store import PipelineStore

REPO = Path(__file__).resolve().parents[1]
SAMPLE_INBOX = REPO / "sample_inbox"
SHARED_DATA = REPO.parent / "shared" / "data" / "zoom_meetings"


def line_assets(settings: Settings | None = None) -> list[AssetsDefinition]:
    """The line's six assets over the day partitions of `settings` (the embedded defaults when None)."""
    return build_line_assets(build_daily_partitions(settings or load_settings({})))


@dataclass
class LineSandbox:
    settings: Settings

    @property
    def inbox(self) -> Path:
        return self.settings.inbox_dir

    @property
    def store(self) -> PipelineStore:
        store = PipelineStore(self.settings.database_url)
        store.migrate()
        return store

    def exports(self, day: str) -> Path:
        return self.settings.exports_dir / day

    def materialize(self, partition_key: str | None = None, *, instance: DagsterInstance | None = None,
                    tags: dict | None = None, raise_on_error: bool = True):
        return materialize(
            line_assets(self.settings),
            # Teams, Zoom and notifications from the process environment, as in the code location.
            resources=build_resources(os.environ, self.settings),
            partition_key=partition_key,
            instance=instance,
            tags=tags,
            raise_on_error=raise_on_error,
        )


def make_sandbox(tmp_path: Path, *, with_samples: bool = True, database_url: str | None = None) -> LineSandbox:
    inbox = tmp_path / "inbox"
    if with_samples:
        shutil.copytree(SAMPLE_INBOX, inbox)
    else:
        inbox.mkdir()
    env = {"BRIDGE_INBOX_DIR": str(inbox), "BRIDGE_DATA_DIR": str(tmp_path / "data")}
    if database_url:
        env["BRIDGE_DATABASE_URL"] = database_url
    return LineSandbox(load_settings(env))
