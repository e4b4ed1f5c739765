"""Alembic environment: runs revisions on the connection the store hands over, or on `sqlalchemy.url`.

Without either (the `alembic` command with the repository's alembic.ini), the database is the one the
app would use: secrets from BRIDGE_SECRETS_ID first, then BRIDGE_DATABASE_URL or the default SQLite file.
"""

from __future__ import annotations

import os

from alembic import context

from bridge_pipeline.secret_env import load_secrets_into_environment
from bridge_pipeline.settings import load_settings
from bridge_pipeline.storage.engine import create_store_engine, normalize_database_url
from bridge_pipeline.storage.tables import metadata

config = context.config


def _database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    load_secrets_into_environment(os.environ)
    return load_settings().database_url


def _run(connection) -> None:
    # Batch mode lets later revisions alter SQLite tables (SQLite cannot ALTER most things in place).
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_store_engine(_database_url())
    try:
        with engine.connect() as own_connection:
            _run(own_connection)
            own_connection.commit()
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=normalize_database_url(_database_url()),
        target_metadata=metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
