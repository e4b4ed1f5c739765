"""Counsel's review actions, append-only like the audit trail (additive).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_ACTIONS = ("set_value", "approve", "request_changes")

_POSTGRES_REFUSE = """
CREATE FUNCTION review_actions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'review_actions is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$
"""


def upgrade() -> None:
    op.create_table(
        "review_actions",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("partition_date", sa.Date, nullable=False),
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
        sa.PrimaryKeyConstraint("id", name="pk_review_actions"),
        sa.CheckConstraint(f"action IN ({', '.join(repr(a) for a in _ACTIONS)})", name="ck_review_actions_action"),
    )
    op.create_index("ix_review_actions_partition_date", "review_actions", ["partition_date"])
    op.create_index("ix_review_actions_meeting_id", "review_actions", ["meeting_id"])
    op.create_index("ix_review_actions_draft_id_draft_version", "review_actions", ["draft_id", "draft_version"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_POSTGRES_REFUSE)
        op.execute(
            "CREATE TRIGGER review_actions_append_only BEFORE UPDATE OR DELETE ON review_actions "
            "FOR EACH ROW EXECUTE FUNCTION review_actions_refuse_change()"
        )
        op.execute(
            "CREATE TRIGGER review_actions_no_truncate BEFORE TRUNCATE ON review_actions "
            "FOR EACH STATEMENT EXECUTE FUNCTION review_actions_refuse_change()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER review_actions_no_{event.lower()} BEFORE {event} ON review_actions "
                f"BEGIN SELECT RAISE(ABORT, 'review_actions is append-only: {event} refused'); END"
            )


def downgrade() -> None:
    op.drop_table("review_actions")  # takes its triggers with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS review_actions_refuse_change()")
