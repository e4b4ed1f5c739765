"""Runs the package's Alembic revisions programmatically, so no alembic.ini is needed anywhere.

Operators use them through `bridge-pipeline db upgrade|current|history` (bridge_pipeline.db_commands) or the
repository's alembic.ini, which points at the same folder.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Arbitrary constant shared by every process: PostgreSQL serialises concurrent `migrate()` calls on it.
_MIGRATION_LOCK_KEY = 7_310_414_285_112


def alembic_config(
    database_url: str | None = None, connection: sa.Connection | None = None, *, stdout: TextIO | None = None
) -> Config:
    """An Alembic config pointing at the package's revisions; usable with `alembic.command.*`."""
    config = Config(stdout=stdout or sys.stdout)
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if database_url is not None:
        # ConfigParser treats '%' as interpolation; URL-encoded passwords contain it.
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, f"no Alembic revisions found in {MIGRATIONS_DIR}"
    return head


def current_revision(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(connection: sa.Connection) -> None:
    """Apply missing revisions inside the caller's transaction; a no-op when already at head.

    The caller's transaction must be a write transaction: on SQLite it holds the database write lock,
    on PostgreSQL an advisory lock is taken here, so two runs starting together do not both try to
    create the tables.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
    if current_revision(connection) == head_revision():
        return
    command.upgrade(alembic_config(connection=connection), "head")
