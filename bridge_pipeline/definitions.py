"""The code location: every asset, check, job, schedule, sensor and resource of bridge_pipeline.

Each domain under bridge_pipeline.defs builds its own definitions; this module only merges them, binds the
resources chosen in bridge_pipeline.defs.resources_for_environment and applies policy by selection. With
nothing set in the environment, the line runs on the embedded defaults (local inbox, offline extractor,
SQLite, local files): the inbox sensor runs and the Teams and Zoom sensors stay off.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping

from dagster import AssetSelection, Definitions, PreviewWarning, in_process_executor

from bridge_pipeline.defs.evaluation import definitions as evaluation
from bridge_pipeline.defs.inbox import definitions as inbox
from bridge_pipeline.defs.meeting_line import definitions as meeting_line
from bridge_pipeline.defs.meeting_line.partitions import build_daily_partitions
from bridge_pipeline.defs.notifications import definitions as notifications
from bridge_pipeline.defs.observability.freshness import with_daily_freshness
from bridge_pipeline.defs.resources_for_environment import build_resources
from bridge_pipeline.defs.retention import definitions as retention
from bridge_pipeline.defs.review import definitions as review
from bridge_pipeline.defs.teams import definitions as teams
from bridge_pipeline.defs.zoom import definitions as zoom
from bridge_pipeline.secret_env import load_secrets_into_environment
from bridge_pipeline.settings import load_settings
from bridge_pipeline.sources.environment import poll_interval_seconds
from bridge_pipeline.sources.inbox import inbox_watch_settings

# The line's final assets: a day without new exports shows as stale in the UI.
FRESH_ASSETS = AssetSelection.assets("draft_qa", "contract_exports")


def build_definitions(env: Mapping[str, str]) -> Definitions:
    settings = load_settings(env)
    resources = build_resources(env, settings)
    partitions = build_daily_partitions(settings)
    interval_s = poll_interval_seconds(env)
    merged = Definitions.merge(
        meeting_line.build_defs(partitions, settings),
        notifications.build_defs(partitions),
        evaluation.build_defs(),
        inbox.build_defs(partitions, inbox_watch_settings(env)),
        teams.build_defs(partitions, interval_s=interval_s, enabled=resources["teams"].enabled),
        zoom.build_defs(partitions, interval_s=interval_s, enabled=resources["zoom"].enabled),
        retention.build_defs(enabled=resources["retention"].enabled, timezone=settings.timezone),
        review.build_defs(partitions),
        Definitions(
            resources=resources,
            # Steps form one chain and each is short, so running them in the run's own process avoids about
            # a second of process start-up per step and keeps SQLite writes in one process.
            executor=in_process_executor,
        ),
    )
    # Selection-based mapping is a preview API; its notice would show on every load of the code location.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PreviewWarning)
        return merged.map_resolved_asset_specs(func=with_daily_freshness, selection=FRESH_ASSETS)


# The process environment enters here and only here. Before the settings are read: BRIDGE_SECRETS_ID
# may supply BRIDGE_DATABASE_URL and API keys.
load_secrets_into_environment(os.environ)
defs = build_definitions(os.environ)
