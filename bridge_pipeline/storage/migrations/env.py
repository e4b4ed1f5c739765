"""Alembic environment: runs revisions on the connection the store hands over, or on `sqlalchemy.url`."""

from __future__ import annotations

from alembic import context

from bridge_pipeline.storage.engine import create_store_engine, normalize_database_url
from bridge_pipeline.storage.tables import metadata

config = context.config


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
    engine = create_store_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as own_connection:
            _run(own_connection)
            own_connection.commit()
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=normalize_database_url(config.get_main_option("sqlalchemy.url")),
        target_metadata=metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
