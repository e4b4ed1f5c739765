"""What each stage built a meeting's rows from, so unchanged meetings are kept on a re-run (additive).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stage_inputs",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("partition_date", sa.Date, nullable=False),
        sa.Column("meeting_id", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False),
        sa.Column("output_sha256", sa.String(64), nullable=False),
        sa.Column("summary", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stage_inputs"),
        sa.UniqueConstraint(
            "partition_date", "stage", "meeting_id", name="uq_stage_inputs_partition_date_stage_meeting_id"
        ),
    )
    op.create_index("ix_stage_inputs_partition_date", "stage_inputs", ["partition_date"])
    op.create_index("ix_stage_inputs_meeting_id", "stage_inputs", ["meeting_id"])


def downgrade() -> None:
    op.drop_table("stage_inputs")
