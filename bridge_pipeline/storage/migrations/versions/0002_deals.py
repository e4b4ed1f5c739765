"""Deals across meetings: a deal id on every draft, and the link (with its reason) of each drafted meeting.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing drafts keep a NULL deal: each one counts as opening its own deal until its day is re-drafted.
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("deal_id", sa.String(250), nullable=True))
        batch.create_index("ix_drafts_deal_id", ["deal_id"])

    op.create_table(
        "deal_links",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("partition_date", sa.Date, nullable=False),
        sa.Column("meeting_id", sa.String(200), nullable=False),
        sa.Column("deal_id", sa.String(250), nullable=False),
        sa.Column("continues_meeting_id", sa.String(200), nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deal_links"),
        sa.UniqueConstraint("meeting_id", name="uq_deal_links_meeting_id"),
    )
    op.create_index("ix_deal_links_partition_date", "deal_links", ["partition_date"])
    op.create_index("ix_deal_links_deal_id", "deal_links", ["deal_id"])


def downgrade() -> None:
    op.drop_table("deal_links")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_index("ix_drafts_deal_id")
        batch.drop_column("deal_id")
