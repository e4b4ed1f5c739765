"""Initial project tables: meetings, problems, transcripts, decisions, drafts, QA findings, exports.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Written out here rather than imported from tables.py: a revision must keep describing the schema as
# it was when the revision was written, whatever tables.py says later.
PAYLOAD = sa.JSON().with_variant(JSONB(), "postgresql")


def _partition_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("partition_date", sa.Date, nullable=False),
    ]


def _partition_index(table: str) -> None:
    op.create_index(f"ix_{table}_partition_date", table, ["partition_date"])


def upgrade() -> None:
    op.create_table(
        "meetings",
        *_partition_columns(),
        sa.Column("meeting_id", sa.String(200), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("payload", PAYLOAD, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meetings"),
        sa.UniqueConstraint("meeting_id", name="uq_meetings_meeting_id"),
    )
    _partition_index("meetings")

    op.create_table(
        "ingest_problems",
        *_partition_columns(),
        sa.Column("meeting_id", sa.String(200), nullable=True),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("problem", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ingest_problems"),
    )
    _partition_index("ingest_problems")
    op.create_index("ix_ingest_problems_partition_date_stage", "ingest_problems", ["partition_date", "stage"])

    op.create_table(
        "transcripts",
        *_partition_columns(),
        sa.Column("meeting_id", sa.String(200), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("warnings", PAYLOAD, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_transcripts"),
        sa.UniqueConstraint("meeting_id", name="uq_transcripts_meeting_id"),
    )
    _partition_index("transcripts")

    op.create_table(
        "utterances",
        *_partition_columns(),
        sa.Column("meeting_id", sa.String(200), nullable=False),
        sa.Column("utterance_index", sa.Integer, nullable=False),
        sa.Column("speaker", sa.Text, nullable=False),
        sa.Column("start_s", sa.Double, nullable=False),
        sa.Column("end_s", sa.Double, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_utterances"),
        sa.UniqueConstraint("meeting_id", "utterance_index", name="uq_utterances_meeting_id_utterance_index"),
    )
    _partition_index("utterances")

    op.create_table(
        "meeting_decisions",
        *_partition_columns(),
        sa.Column("meeting_id", sa.String(200), nullable=False),
        sa.Column("extractor", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_decisions"),
        sa.UniqueConstraint("meeting_id", name="uq_meeting_decisions_meeting_id"),
    )
    _partition_index("meeting_decisions")

    op.create_table(
        "decisions",
        *_partition_columns(),
        sa.Column("meeting_id", sa.String(200), nullable=False),
        sa.Column("decision_id", sa.String(250), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("confidence", sa.Double, nullable=False),
        sa.Column("payload", PAYLOAD, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
        sa.UniqueConstraint("decision_id", name="uq_decisions_decision_id"),
    )
    _partition_index("decisions")
    op.create_index("ix_decisions_meeting_id", "decisions", ["meeting_id"])

    op.create_table(
        "meeting_drafts",
        *_partition_columns(),
        sa.Column("meeting_id", sa.String(200), nullable=False),
        sa.Column("no_draft_reason", sa.Text, nullable=True),
        sa.Column("no_draft_payload", PAYLOAD, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_drafts"),
        sa.UniqueConstraint("meeting_id", name="uq_meeting_drafts_meeting_id"),
    )
    _partition_index("meeting_drafts")

    op.create_table(
        "drafts",
        *_partition_columns(),
        sa.Column("meeting_id", sa.String(200), nullable=False),
        sa.Column("draft_id", sa.String(250), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("contract_type", sa.String(10), nullable=False),
        sa.Column("payload", PAYLOAD, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drafts"),
        sa.UniqueConstraint("draft_id", "version", name="uq_drafts_draft_id_version"),
    )
    _partition_index("drafts")
    op.create_index("ix_drafts_meeting_id", "drafts", ["meeting_id"])

    op.create_table(
        "qa_findings",
        *_partition_columns(),
        sa.Column("meeting_id", sa.String(200), nullable=False),
        sa.Column("draft_id", sa.String(250), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("rule_id", sa.String(100), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("payload", PAYLOAD, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_qa_findings"),
    )
    _partition_index("qa_findings")
    op.create_index("ix_qa_findings_draft_id", "qa_findings", ["draft_id"])

    op.create_table(
        "exports",
        *_partition_columns(),
        sa.Column("meeting_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("document_id", sa.String(250), nullable=False),
        sa.Column("format", sa.String(10), nullable=True),
        sa.Column("blob_key", sa.Text, nullable=True),
        sa.Column("payload", PAYLOAD, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_exports"),
        sa.CheckConstraint("status IN ('exported', 'withheld')", name="ck_exports_status"),
        sa.UniqueConstraint("blob_key", name="uq_exports_blob_key"),
    )
    _partition_index("exports")


def downgrade() -> None:
    for table in (
        "exports",
        "qa_findings",
        "drafts",
        "meeting_drafts",
        "decisions",
        "meeting_decisions",
        "utterances",
        "transcripts",
        "ingest_problems",
        "meetings",
    ):
        op.drop_table(table)
