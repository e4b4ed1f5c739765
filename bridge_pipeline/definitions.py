"""The code location: every asset, check, job, schedule, sensor and resource of bridge_pipeline.

Resources come from the environment (see bridge_pipeline.settings and bridge_pipeline.sources.environment):
with nothing set, the line runs on the embedded defaults (local inbox, offline extractor, SQLite, local
files) and the Teams and Zoom sensors stay off.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from dagster import Definitions, in_process_executor

from bridge_pipeline.defs.assets import meeting_line_assets
from bridge_pipeline.defs.environment import blob_storage_resource, project_store_resource
from bridge_pipeline.defs.jobs import meeting_line_job, meeting_line_schedule
from bridge_pipeline.defs.language_model import extractor_evaluation, openai_extractor_resource
from bridge_pipeline.defs.notifications import meeting_notifications, notifications_resource
from bridge_pipeline.defs.remote_sources import graph_source_resource, zoom_source_resource
from bridge_pipeline.defs.resources import ExtractorResource, InboxSourceResource, OfflineExtractorResource
from bridge_pipeline.defs.sensors import source_sensors
from bridge_pipeline.defs.speech import speech_resource
from bridge_pipeline.defs.slo import slo_checks, with_freshness_policies
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.secret_env import load_secrets_into_environment
from bridge_pipeline.settings import Settings, load_settings
from bridge_pipeline.sources.environment import poll_interval_seconds

EXTRACTORS = ("offline", "openai")


def extractor_resource(settings: Settings, blob_storage) -> ExtractorResource:
    """The offline rules by default; BRIDGE_EXTRACTOR=openai uses the language model (key from OPENAI_API_KEY)."""
    if settings.extractor == "offline":
        return OfflineExtractorResource()
    if settings.extractor == "openai":
        options: dict = {"use_batch": settings.openai_use_batch}
        if settings.openai_base_url:
            options["base_url"] = settings.openai_base_url
        if settings.openai_model:
            options["model"] = settings.openai_model
        return openai_extractor_resource(blob_storage, **options)
    raise ConfigurationError(f"BRIDGE_EXTRACTOR={settings.extractor!r} is not one of {', '.join(EXTRACTORS)}")


def build_resources(settings: Settings, env: Mapping[str, str] | None = None) -> dict:
    env = os.environ if env is None else env
    blob_storage = blob_storage_resource(settings)
    return {
        "store": project_store_resource(settings),
        "blob_storage": blob_storage,
        "inbox": InboxSourceResource(inbox_dir=str(settings.inbox_dir)),
        "teams": graph_source_resource(env),
        "zoom": zoom_source_resource(env),
        "extractor": extractor_resource(settings, blob_storage),
        "speech": speech_resource(settings, blob_storage),
        "notifications": notifications_resource(env),
    }


def build_definitions(env: Mapping[str, str] | None = None) -> Definitions:
    env = os.environ if env is None else env
    settings = load_settings(env)
    resources = build_resources(settings, env)
    return Definitions(
        assets=[*with_freshness_policies(meeting_line_assets), meeting_notifications, extractor_evaluation],
        asset_checks=slo_checks,
        jobs=[meeting_line_job],
        schedules=[meeting_line_schedule],
        sensors=source_sensors(
            interval_s=poll_interval_seconds(env),
            teams_enabled=resources["teams"].enabled,
            zoom_enabled=resources["zoom"].enabled,
        ),
        resources=resources,
        # Steps form one chain and each is short, so running them in the run's own process avoids about
        # a second of process start-up per step and keeps SQLite writes in one process.
        executor=in_process_executor,
    )


# Before the settings are read: BRIDGE_SECRETS_ID may supply BRIDGE_DATABASE_URL and API keys.
load_secrets_into_environment()
defs = build_definitions()
