"""The code location: every asset, check, job, schedule and resource of bridge_pipeline.

Resources come from the environment (see bridge_pipeline.settings): with nothing set, the line runs on
the embedded defaults (local inbox, offline extractor, SQLite, local files).
"""

from __future__ import annotations

from dagster import Definitions, in_process_executor

from bridge_pipeline.defs.assets import meeting_line_assets
from bridge_pipeline.defs.jobs import meeting_line_job, meeting_line_schedule
from bridge_pipeline.defs.resources import (
    InboxSourceResource,
    LocalBlobStorageResource,
    OfflineExtractorResource,
    ProjectStoreResource,
)
from bridge_pipeline.settings import Settings, load_settings


def build_resources(settings: Settings) -> dict:
    return {
        "store": ProjectStoreResource(database_url=settings.database_url),
        "blob_storage": LocalBlobStorageResource(base_dir=str(settings.data_dir)),
        "inbox": InboxSourceResource(inbox_dir=str(settings.inbox_dir)),
        "extractor": OfflineExtractorResource(),
    }


# Steps form one chain and each is short, so running them in the run's own process avoids about a
# second of process start-up per step and keeps SQLite writes in one process.
defs = Definitions(
    assets=meeting_line_assets,
    jobs=[meeting_line_job],
    schedules=[meeting_line_schedule],
    resources=build_resources(load_settings()),
    executor=in_process_executor,
)
