"""The retention job (one op: purge what is older than the setting) and its daily schedule.

No postponed annotations here: Dagster reads the op's parameter types to inject the context and resources.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from dagster import (
    DefaultScheduleStatus,
    MetadataValue,
    OpExecutionContext,
    Output,
    ScheduleDefinition,
    job,
    op,
)

from bridge_pipeline.defs.retention.resources import RetentionResource
from bridge_pipeline.defs.storage.resources import BlobStorageResource, ProjectStoreResource
from bridge_pipeline.retention import purge_expired

RETENTION_SCHEDULE = "retention_schedule"


@op(description="Deletes raw recordings, transcripts and utterances of days older than BRIDGE_RETENTION_DAYS and "
    "records each deletion in the audit trail; keeps meetings, decisions, drafts and exports. Does nothing when unset.")
def purge_expired_personal_data(
    context: OpExecutionContext,
    store: ProjectStoreResource,
    blob_storage: BlobStorageResource,
    retention: RetentionResource,
) -> Output:
    if not retention.enabled:
        context.log.info("retention is off (BRIDGE_RETENTION_DAYS unset): nothing deleted")
        return Output(None, metadata={"retention": MetadataValue.text("off")})
    today = dt.datetime.now(ZoneInfo(retention.timezone)).date()
    report = purge_expired(
        store.get_store(), blob_storage.get_blob_store(), days=retention.days, today=today, run_id=context.run.run_id
    )
    context.log.info(f"purged {len(report.days)} day(s) before {report.cutoff}: {report.counts}")
    metadata: dict = {name: MetadataValue.int(n) for name, n in sorted(report.counts.items())}
    metadata["retention_days"] = MetadataValue.int(retention.days)
    metadata["cutoff"] = MetadataValue.text(report.cutoff.isoformat())
    metadata["days_purged"] = MetadataValue.int(len(report.days))
    if report.days:
        metadata["days"] = MetadataValue.text(", ".join(d.isoformat() for d in report.days))
    return Output(None, metadata=metadata)


@job(description="Deletes raw recordings and transcripts past the retention period; see retention_schedule.")
def retention_job():
    purge_expired_personal_data()


def build_retention_schedule(*, enabled: bool, timezone: str) -> ScheduleDefinition:
    """Daily after the line's own schedule; running by default only when BRIDGE_RETENTION_DAYS is set."""
    return ScheduleDefinition(
        name=RETENTION_SCHEDULE,
        job=retention_job,
        cron_schedule="45 2 * * *",
        execution_timezone=timezone,
        default_status=DefaultScheduleStatus.RUNNING if enabled else DefaultScheduleStatus.STOPPED,
        description="Deletes raw recordings and transcripts older than BRIDGE_RETENTION_DAYS (off when unset).",
    )
