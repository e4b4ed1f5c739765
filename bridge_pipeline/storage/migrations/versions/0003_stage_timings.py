"""Stage and meeting timings for the latency SLO checks (additive: two new tables, nothing else changes).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stage_timings",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("partition_date", sa.Date, nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("meetings", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stage_timings"),
        sa.UniqueConstraint("partition_date", "stage", "run_id", name="uq_stage_timings_partition_date_stage_run_id"),
    )
    op.create_index("ix_stage_timings_partition_date", "stage_timings", ["partition_date"])

    op.create_table(
        "meeting_timings",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("partition_date", sa.Date, nullable=False),
        sa.Column("meeting_id", sa.String(200), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_timings"),
        sa.UniqueConstraint("meeting_id", name="uq_meeting_timings_meeting_id"),
    )
    op.create_index("ix_meeting_timings_partition_date", "meeting_timings", ["partition_date"])


def downgrade() -> None:
    op.drop_table("meeting_timings")
    op.drop_table("stage_timings")
