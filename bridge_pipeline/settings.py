"""Where the pipeline keeps its inputs and outputs, read once from the environment.

Every knob has an embedded default so the whole line runs on a fresh machine with no keys:
a local inbox, a local data folder, SQLite inside it, and UTC day partitions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

DEFAULT_START_DATE = "2026-01-01"


@dataclass(frozen=True)
class Settings:
    inbox_dir: Path
    data_dir: Path
    database_url: str
    timezone: str
    start_date: str

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    data_dir = Path(env.get("BRIDGE_DATA_DIR") or "bridge_data").resolve()
    inbox_dir = Path(env.get("BRIDGE_INBOX_DIR") or data_dir / "inbox").resolve()
    database_url = env.get("BRIDGE_DATABASE_URL") or f"sqlite:///{data_dir / 'bridge.sqlite3'}"
    return Settings(
        inbox_dir=inbox_dir,
        data_dir=data_dir,
        database_url=database_url,
        timezone=env.get("BRIDGE_TIMEZONE") or "UTC",
        start_date=env.get("BRIDGE_START_DATE") or DEFAULT_START_DATE,
    )
