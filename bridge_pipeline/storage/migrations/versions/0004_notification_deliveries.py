"""Delivery records of meeting notifications (additive: one new table, nothing else changes).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification_deliveries",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("partition_date", sa.Date, nullable=False),
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
        sa.PrimaryKeyConstraint("id", name="pk_notification_deliveries"),
        sa.CheckConstraint("status IN ('pending', 'posted', 'failed')", name="ck_notification_deliveries_status"),
        sa.CheckConstraint("kind IN ('summary', 'follow_up')", name="ck_notification_deliveries_kind"),
        sa.UniqueConstraint("meeting_id", "target", "kind", name="uq_notification_deliveries_meeting_id_target_kind"),
    )
    op.create_index("ix_notification_deliveries_partition_date", "notification_deliveries", ["partition_date"])


def downgrade() -> None:
    op.drop_table("notification_deliveries")
