"""The project's table definitions: the shape the Alembic migrations must produce.

Every table carries `partition_date` and `meeting_id` so one day's rows of one stage can be deleted and
rewritten as a unit. Rows hold their pydantic record as JSON in `payload` (dumped in JSON mode, so
Decimals, dates and offsets survive exactly); the other columns exist to query and to enforce keys.
Stages never reference each other's rows with foreign keys: rewriting one stage must not cascade into
another.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

# Explicit constraint names keep later migrations (and SQLite batch rebuilds) able to address them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

# JSONB on PostgreSQL (indexable, compact); plain JSON text on SQLite.
Payload = sa.JSON().with_variant(JSONB(), "postgresql")
# For optional payloads: Python None becomes SQL NULL (not JSON 'null'), so IS NULL queries work.
OptionalPayload = sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def _partition_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("partition_date", sa.Date, nullable=False, index=True),
    ]


meetings = sa.Table(
    "meetings",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("payload", Payload, nullable=False),
    sa.UniqueConstraint("meeting_id"),
)

ingest_problems = sa.Table(
    "ingest_problems",
    metadata,
    *_partition_columns(),
    # IngestProblem names a location, not always a meeting; kept for the common column set.
    sa.Column("meeting_id", sa.String(200), nullable=True),
    sa.Column("stage", sa.String(40), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("location", sa.Text, nullable=False),
    sa.Column("problem", sa.Text, nullable=False),
    sa.Index(None, "partition_date", "stage"),
)

transcripts = sa.Table(
    "transcripts",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("language", sa.String(20), nullable=False),
    sa.Column("warnings", Payload, nullable=False),
    sa.UniqueConstraint("meeting_id"),
)

utterances = sa.Table(
    "utterances",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("utterance_index", sa.Integer, nullable=False),
    sa.Column("speaker", sa.Text, nullable=False),
    sa.Column("start_s", sa.Double, nullable=False),
    sa.Column("end_s", sa.Double, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.UniqueConstraint("meeting_id", "utterance_index"),
)

# One row per MeetingDecisions, so a meeting with no decisions still records which extractor ran.
meeting_decisions = sa.Table(
    "meeting_decisions",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("extractor", sa.String(100), nullable=False),
    sa.UniqueConstraint("meeting_id"),
)

decisions = sa.Table(
    "decisions",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("decision_id", sa.String(250), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("topic", sa.String(40), nullable=False),
    sa.Column("confidence", sa.Double, nullable=False),
    sa.Column("payload", Payload, nullable=False),
    sa.UniqueConstraint("decision_id"),
    sa.Index(None, "meeting_id"),
)

# One row per MeetingDrafts; a meeting that produced no draft keeps its NoDraftRecord here.
meeting_drafts = sa.Table(
    "meeting_drafts",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("no_draft_reason", sa.Text, nullable=True),
    sa.Column("no_draft_payload", OptionalPayload, nullable=True),
    sa.UniqueConstraint("meeting_id"),
)

# Keyed by (draft_id, version), not by day: a deal discussed over several meetings may add versions
# of the same draft on later days. `deal_id` is NULL for rows written before deals were linked.
drafts = sa.Table(
    "drafts",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("draft_id", sa.String(250), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("contract_type", sa.String(10), nullable=False),
    sa.Column("payload", Payload, nullable=False),
    sa.Column("deal_id", sa.String(250), nullable=True),
    sa.UniqueConstraint("draft_id", "version"),
    sa.Index(None, "meeting_id"),
    sa.Index(None, "deal_id"),
)

# Which deal each drafted meeting belongs to and why; written with the day's drafts.
deal_links = sa.Table(
    "deal_links",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("deal_id", sa.String(250), nullable=False),
    sa.Column("continues_meeting_id", sa.String(200), nullable=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.UniqueConstraint("meeting_id"),
    sa.Index(None, "deal_id"),
)

qa_findings = sa.Table(
    "qa_findings",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("draft_id", sa.String(250), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("rule_id", sa.String(100), nullable=False),
    sa.Column("severity", sa.String(20), nullable=False),
    sa.Column("payload", Payload, nullable=False),
    sa.Index(None, "draft_id"),
)

# Exported files and withheld drafts share one table, told apart by `status`.
exports = sa.Table(
    "exports",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("document_id", sa.String(250), nullable=False),
    sa.Column("format", sa.String(10), nullable=True),
    sa.Column("blob_key", sa.Text, nullable=True),
    sa.Column("payload", Payload, nullable=False),
    sa.CheckConstraint("status IN ('exported', 'withheld')", name="status"),
    sa.UniqueConstraint("blob_key"),
)

# One row per (day, stage, meeting): a digest of everything that stage's stored rows of the meeting were
# built from, so a re-run keeps those rows when it would build them the same way, plus a digest of the
# rows and what the stage counted for them. Written in the same transaction as the rows it describes.
stage_inputs = sa.Table(
    "stage_inputs",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("stage", sa.String(40), nullable=False),
    sa.Column("input_sha256", sa.String(64), nullable=False),
    sa.Column("output_sha256", sa.String(64), nullable=False),
    sa.Column("summary", Payload, nullable=False),
    sa.UniqueConstraint("partition_date", "stage", "meeting_id"),
    sa.Index(None, "meeting_id"),
)

# Operational timings for latency SLOs (bridge_pipeline.storage.stage_timings); no stage reads them.
# One row per day, stage and run: when the stage ran for that day.
stage_timings = sa.Table(
    "stage_timings",
    metadata,
    *_partition_columns(),
    sa.Column("run_id", sa.String(64), nullable=False),
    sa.Column("stage", sa.String(40), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("meetings", sa.Integer, nullable=False),
    sa.UniqueConstraint("partition_date", "stage", "run_id"),
)

# One row per meeting: when its current transcript became available to the line and when it was first
# exported after that; a changed transcript starts the clock again.
meeting_timings = sa.Table(
    "meeting_timings",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("content_sha256", sa.String(64), nullable=False),
    sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("meeting_id"),
)

# One row per (meeting, chat target, kind): what was posted where, so re-runs, retries and backfills
# never post twice. Rows outlive re-materialization of their day (no stage rewrites them); `marker`
# is written before a post is sent, so a post whose answer was lost can be found in the chat.
notification_deliveries = sa.Table(
    "notification_deliveries",
    metadata,
    *_partition_columns(),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("target", sa.String(400), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("marker", sa.String(64), nullable=False),
    sa.Column("message_id", sa.String(200), nullable=True),
    sa.Column("content_sha256", sa.String(64), nullable=False),
    sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.CheckConstraint("status IN ('pending', 'posted', 'failed')", name="status"),
    sa.CheckConstraint("kind IN ('summary', 'follow_up')", name="kind"),
    sa.UniqueConstraint("meeting_id", "target", "kind"),
)

# The audit trail (bridge_pipeline.storage.audit): one row per export written, changed, withheld or removed,
# per chat post or edit, and per raw recording or transcript the retention job purged. Rows are only ever
# inserted: revision 0006 installs triggers that refuse UPDATE and DELETE, so no code path can rewrite it.
AUDIT_ACTIONS = ("written", "rewritten", "withheld", "removed", "posted", "edited", "follow_up", "purged")
audit_log = sa.Table(
    "audit_log",
    metadata,
    *_partition_columns(),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    # The Dagster run; NULL when a stage was called outside Dagster (evaluation, tests).
    sa.Column("run_id", sa.String(64), nullable=True),
    sa.Column("meeting_id", sa.String(200), nullable=True),
    sa.Column("artifact_kind", sa.String(40), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    # A blob key, a chat target key or a table and meeting ("transcripts/<meeting_id>").
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("content_sha256", sa.String(64), nullable=True),
    sa.Column("draft_id", sa.String(250), nullable=True),
    sa.Column("draft_version", sa.Integer, nullable=True),
    sa.Column("detail", Payload, nullable=False),
    sa.CheckConstraint(f"action IN ({', '.join(repr(a) for a in AUDIT_ACTIONS)})", name="action"),
    sa.Index(None, "meeting_id"),
)

# Counsel's review actions (bridge_pipeline.storage.reviews): one row per value filled or corrected, approval
# or request for changes, on one draft version. Append-only like audit_log (revision 0007's triggers), so
# the table is also the review's audit record: who, what, the value before and after, and when. The id
# orders the actions and is the review sensor's cursor.
REVIEW_ACTIONS = ("set_value", "approve", "request_changes")
review_actions = sa.Table(
    "review_actions",
    metadata,
    *_partition_columns(),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reviewer", sa.String(320), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("draft_id", sa.String(250), nullable=False),
    sa.Column("draft_version", sa.Integer, nullable=False),
    sa.Column("meeting_id", sa.String(200), nullable=False),
    sa.Column("field_name", sa.String(100), nullable=True),
    sa.Column("before_value", sa.Text, nullable=True),
    sa.Column("after_value", sa.Text, nullable=True),
    sa.Column("note", sa.Text, nullable=False),
    sa.CheckConstraint(f"action IN ({', '.join(repr(a) for a in REVIEW_ACTIONS)})", name="action"),
    sa.Index(None, "meeting_id"),
    sa.Index(None, "draft_id", "draft_version"),
)

# Every project table, in pipeline order (used for counts and for documentation).
ALL_TABLES: tuple[sa.Table, ...] = (
    meetings,
    ingest_problems,
    transcripts,
    utterances,
    meeting_decisions,
    decisions,
    meeting_drafts,
    drafts,
    deal_links,
    qa_findings,
    exports,
)

# Tables that record how the line ran rather than what it produced (not part of a day's row counts).
TIMING_TABLES: tuple[sa.Table, ...] = (stage_timings, meeting_timings)

# Tables that record what the stages built their rows from (not part of a day's row counts).
STAGE_INPUT_TABLES: tuple[sa.Table, ...] = (stage_inputs,)

# Tables that record what was sent out about the line's results (not part of a day's row counts).
NOTIFICATION_TABLES: tuple[sa.Table, ...] = (notification_deliveries,)

# The append-only audit trail (not part of a day's row counts; never deleted from, not even by tests).
AUDIT_TABLES: tuple[sa.Table, ...] = (audit_log,)

# What counsel decided about drafts (append-only; not part of a day's row counts, never rewritten by a stage).
REVIEW_TABLES: tuple[sa.Table, ...] = (review_actions,)

# The one live access token per API credential, shared by every process of the deployment
# (bridge_pipeline.storage.access_tokens): Zoom revokes an account's previous token whenever it issues one.
# `credential_key` is a digest of source, token endpoint, account, client id and secret; the token is sealed
# with a key derived from that secret; `serial` counts the tokens fetched, so a process can tell whether the
# token the API refused is still the stored one without comparing secrets. Not part of any day's rows.
api_access_tokens = sa.Table(
    "api_access_tokens",
    metadata,
    sa.Column("credential_key", sa.String(64), primary_key=True),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("account", sa.String(200), nullable=False),
    sa.Column("serial", sa.Integer, nullable=False),
    sa.Column("sealed_token", sa.Text, nullable=True),
    sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
)

# Shared access tokens (not part of a day's row counts; never exported).
TOKEN_TABLES: tuple[sa.Table, ...] = (api_access_tokens,)
