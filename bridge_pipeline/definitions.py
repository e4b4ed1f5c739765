"""The code location: every asset, check, job, schedule and resource of bridge_pipeline.

Resources come from the environment (see bridge_pipeline.settings): with nothing set, the line runs on
the embedded defaults (local inbox, offline extractor, SQLite, local files).
"""

from __future__ import annotations

from dagster import Definitions, in_process_executor

from bridge_pipeline.defs.assets import meeting_line_assets
from bridge_pipeline.defs.environment import blob_storage_resource, project_store_resource
from bridge_pipeline.defs.jobs import meeting_line_job, meeting_line_schedule
from bridge_pipeline.defs.resources import InboxSourceResource, OfflineExtractorResource
from bridge_pipeline.defs.slo import slo_checks, with_freshness_policies
from bridge_pipeline.secret_env import load_secrets_into_environment
from bridge_pipeline.settings import Settings, load_settings


def build_resources(settings: Settings) -> dict:
    return {
        "store": project_store_resource(settings),
        "blob_storage": blob_storage_resource(settings),
        "inbox": InboxSourceResource(inbox_dir=str(settings.inbox_dir)),
        "extractor": OfflineExtractorResource(),
    }


# Steps form one chain and each is short, so running them in the run's own process avoids about a
# second of process start-up per step and keeps SQLite writes in one process.
# Before the settings are read: BRIDGE_SECRETS_ID may supply BRIDGE_DATABASE_URL and API keys.
load_secrets_into_environment()

defs = Definitions(
    assets=with_freshness_policies(meeting_line_assets),
    asset_checks=slo_checks,
    jobs=[meeting_line_job],
    schedules=[meeting_line_schedule],
    resources=build_resources(load_settings()),
    executor=in_process_executor,
)
