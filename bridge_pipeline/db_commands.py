"""`bridge-pipeline db upgrade|current|history`: operators manage the project schema with the package's revisions.

The database is found the way the app finds it: the BRIDGE_SECRETS_ID secret is read first (it may hold
the URL), then BRIDGE_DATABASE_URL, else the SQLite file under BRIDGE_DATA_DIR. URLs are printed without
their password.
"""

from __future__ import annotations

import os
from typing import TextIO

import sqlalchemy as sa
from alembic import command

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.secret_env import load_secrets_into_environment
from bridge_pipeline.settings import load_settings
from bridge_pipeline.storage.engine import normalize_database_url
from bridge_pipeline.storage.schema_migrations import alembic_config
from bridge_pipeline.storage.store import PipelineStore

# Seconds before an unreachable PostgreSQL is reported; an operator's PGCONNECT_TIMEOUT wins.
CONNECT_TIMEOUT_S = "10"


def upgrade(database_url: str, out: TextIO) -> int:
    """Apply the missing revisions (the same locked, idempotent step every run takes)."""
    store = PipelineStore(database_url)
    try:
        before = store.current_revision()
        store.migrate()
        after = store.current_revision()
    finally:
        store.dispose()
    print(f"database: {_shown(database_url)}", file=out)
    if before == after:
        print(f"already at head {after}", file=out)
    else:
        print(f"upgraded {before or 'empty database'} -> {after} (head)", file=out)
    return 0


def current(database_url: str, out: TextIO) -> int:
    """Print the database's revision and whether it is the head; exit 1 when it is behind."""
    store = PipelineStore(database_url)
    try:
        revision, head = store.current_revision(), store.migration_head()
    finally:
        store.dispose()
    print(f"database: {_shown(database_url)}", file=out)
    if revision == head:
        print(f"{revision} (head)", file=out)
        return 0
    print(f"{revision or 'none (empty database)'}; head is {head}: run `bridge-pipeline db upgrade`", file=out)
    return 1


def history(out: TextIO, *, verbose: bool = False) -> int:
    """The package's revisions, newest first (no database needed)."""
    command.history(alembic_config(stdout=out), verbose=verbose)
    return 0


def main(name: str, *, out: TextIO, verbose: bool = False) -> int:
    if name == "history":
        return history(out, verbose=verbose)
    os.environ.setdefault("PGCONNECT_TIMEOUT", CONNECT_TIMEOUT_S)
    try:
        load_secrets_into_environment(os.environ)
        database_url = load_settings().database_url
        return upgrade(database_url, out) if name == "upgrade" else current(database_url, out)
    except ConfigurationError as error:
        print(f"error: {error}", file=out)
    except sa.exc.DBAPIError as error:
        # The driver's first line says what failed (refused, unknown host, auth); it never holds the password.
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        print(f"error: database {_shown(database_url)}: {reason}", file=out)
    return 1


def _shown(database_url: str) -> str:
    return normalize_database_url(database_url).render_as_string(hide_password=True)
