"""The review sensor: counsel's actions at the review desk become runs of the days they affect.

Every few seconds it reads the review actions stored after its cursor (the last action id it handled)
and requests, per affected day (bridge_pipeline.review_runs), a run of the drafting, QA and export
assets only: the transcripts and decisions of that day are unchanged, and the drafting stage redoes
just the meetings whose review actions changed. Runs are tagged with the sensor and with the time of
the earliest action, which starts the latency clock, so "approved -> new export" shows in the metadata.

No postponed annotations: Dagster reads the parameter types to inject the resources.
"""

from dagster import (
    AssetKey,
    DailyPartitionsDefinition,
    DefaultSensorStatus,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from bridge_pipeline.defs.meeting_line.jobs import meeting_line_job
from bridge_pipeline.defs.polling import TRIGGER_TAG, detection_tags
from bridge_pipeline.defs.run_coalescing import without_waiting_days
from bridge_pipeline.defs.sensor_timing import minimum_interval
from bridge_pipeline.defs.storage.resources import ProjectStoreResource
from bridge_pipeline.review_runs import StoredVersion, days_to_redraft

SENSOR_NAME = "review_sensor"
REVIEW_ACTIONS_TAG = "bridge/review_actions"
DEFAULT_INTERVAL_S = 5
# What a review action changes: the drafts, then their QA and exports (the chat summary is posted once).
REDRAFT_ASSETS = (AssetKey("contract_drafts"), AssetKey("draft_qa"), AssetKey("contract_exports"))


def build_review_sensor(
    partitions_def: DailyPartitionsDefinition, *, interval_s: int = DEFAULT_INTERVAL_S
) -> SensorDefinition:
    @sensor(
        name=SENSOR_NAME,
        job=meeting_line_job,
        minimum_interval_seconds=minimum_interval(interval_s),
        # It reads only the project's own table, so it is on wherever the code location runs.
        default_status=DefaultSensorStatus.RUNNING,
        description="Re-drafts and re-exports the days whose drafts counsel filled in, corrected, approved "
        "or sent back at the review desk.",
    )
    def review_sensor(context: SensorEvaluationContext, store: ProjectStoreResource) -> SensorResult:
        handled = int(context.cursor or 0)
        reviews = store.get_store().reviews
        actions = reviews.after(handled)
        if not actions:
            return SensorResult(skip_reason=SkipReason("no new review actions"), cursor=str(handled))
        stored = store.get_store().draft_version_days({a.draft_id for a in actions})
        versions = {draft_id: [StoredVersion(v, day) for v, day in rows] for draft_id, rows in stored.items()}
        requests = []
        for item in days_to_redraft(actions, versions):
            key = item.day.isoformat()
            if not partitions_def.has_partition_key(key):
                context.log.warning(f"{SENSOR_NAME}: {key} is not a day partition; review actions not applied")
                continue
            ids = ",".join(str(i) for i in item.action_ids)
            requests.append(
                RunRequest(
                    partition_key=key,
                    asset_selection=list(REDRAFT_ASSETS),
                    tags={TRIGGER_TAG: SENSOR_NAME, REVIEW_ACTIONS_TAG: ids, **detection_tags(item.first_action_at)},
                )
            )
        requests = without_waiting_days(context, meeting_line_job.name, requests, SENSOR_NAME)
        context.log.info(f"{SENSOR_NAME}: {len(actions)} review action(s) -> {len(requests)} day(s) to re-draft")
        return SensorResult(run_requests=requests, cursor=str(actions[-1].action_id))

    return review_sensor
