"""Which meetings' rows a SQLite store deleted or updated, as logged by triggers the tests install.

Equal row ids do not prove a row was left alone on SQLite: a table without AUTOINCREMENT hands a
deleted row's id to the next insert. PostgreSQL sequences never do, so there equal ids suffice.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

LOG_TABLE = "test_rewritten_rows"


class RewriteLog:
    def __init__(self, engine: sa.Engine, tables: Iterable[sa.Table]):
        if engine.dialect.name != "sqlite":
            raise ValueError("the rewrite log is kept with SQLite triggers")
        self._engine = engine
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {LOG_TABLE} (table_name TEXT, meeting_id TEXT)")
            for table in tables:
                for event in ("DELETE", "UPDATE"):
                    conn.exec_driver_sql(
                        f"CREATE TRIGGER IF NOT EXISTS log_{event.lower()}_{table.name} AFTER {event} ON {table.name} "
                        f"BEGIN INSERT INTO {LOG_TABLE} VALUES ('{table.name}', OLD.meeting_id); END"
                    )

    def rewritten(self) -> set[tuple[str, str]]:
        """(table, meeting id) of every row deleted or updated since the log was last cleared."""
        with self._engine.connect() as conn:
            return {(t, m) for t, m in conn.exec_driver_sql(f"SELECT table_name, meeting_id FROM {LOG_TABLE}")}

    def meetings(self) -> set[str]:
        return {meeting_id for _, meeting_id in self.rewritten()}

    def clear(self) -> None:
        with self._engine.begin() as conn:
            conn.exec_driver_sql(f"DELETE FROM {LOG_TABLE}")
