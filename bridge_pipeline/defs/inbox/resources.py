"""The inbox folder as a Dagster resource."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from bridge_pipeline.sources.base import RecordingSource
from bridge_pipeline.sources.inbox import InboxSource


class InboxSourceResource(ConfigurableResource):
    """A folder of transcript files, one sub-folder per day."""

    inbox_dir: str

    def get_source(self) -> RecordingSource:
        return InboxSource(Path(self.inbox_dir))
