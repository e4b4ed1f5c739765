"""The append-only audit trail, with triggers that refuse UPDATE and DELETE on it (additive).

The triggers hold for every role, the table owner included, so the application cannot rewrite the
trail even by mistake. A later revision that rebuilds this table (SQLite batch mode copies and drops
it) must create the triggers again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ACTIONS = ("written", "rewritten", "withheld", "removed", "posted", "edited", "follow_up", "purged")

_POSTGRES_REFUSE = """
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$
"""


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("partition_date", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("meeting_id", sa.String(200), nullable=True),
        sa.Column("artifact_kind", sa.String(40), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=True),
        sa.Column("draft_id", sa.String(250), nullable=True),
        sa.Column("draft_version", sa.Integer, nullable=True),
        sa.Column("detail", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        sa.CheckConstraint(f"action IN ({', '.join(repr(a) for a in _ACTIONS)})", name="ck_audit_log_action"),
    )
    op.create_index("ix_audit_log_partition_date", "audit_log", ["partition_date"])
    op.create_index("ix_audit_log_meeting_id", "audit_log", ["meeting_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_POSTGRES_REFUSE)
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()"
        )
        # TRUNCATE fires no row trigger; refuse it by statement.
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {event} refused'); END"
            )


def downgrade() -> None:
    op.drop_table("audit_log")  # takes its triggers with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_refuse_change()")
