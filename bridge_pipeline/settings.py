"""Where the pipeline keeps its inputs and outputs, read once from the environment.

Every knob has an embedded default so the whole line runs on a fresh machine with no keys:
a local inbox, a local data folder, SQLite inside it, and UTC day partitions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from bridge_pipeline.errors import ConfigurationError

DEFAULT_START_DATE = "2026-01-01"
RETENTION_VARIABLE = "BRIDGE_RETENTION_DAYS"


@dataclass(frozen=True)
class Settings:
    inbox_dir: Path
    data_dir: Path
    database_url: str
    timezone: str
    start_date: str
    # Blob backend: "local" (files under data_dir) or "s3"
    # (chosen in bridge_pipeline.defs.resources_for_environment).
    blob_store: str = "local"
    s3_bucket: str | None = None
    s3_prefix: str = ""
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    # Who extracts decisions: "offline" (rules, no network) or "openai", a language model
    # (chosen in bridge_pipeline.defs.resources_for_environment).
    extractor: str = "offline"
    openai_base_url: str | None = None
    openai_model: str | None = None
    openai_use_batch: bool = False
    # Speech-to-text for recordings without transcript: "off", or "openai"
    # (chosen in bridge_pipeline.defs.resources_for_environment).
    speech_to_text: str = "off"
    speech_model: str | None = None
    speech_language: str | None = None
    # Days raw recordings and transcripts are kept (bridge_pipeline.retention); None keeps them forever.
    retention_days: int | None = None

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"


def split_list(text: str | None) -> tuple[str, ...]:
    """A comma-separated variable as its non-empty, stripped entries."""
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def parse_retention_days(text: str | None) -> int | None:
    """BRIDGE_RETENTION_DAYS: None (off) when unset or empty, else a whole number of days, at least 1."""
    if text is None or not text.strip():
        return None
    try:
        days = int(text.strip())
    except ValueError:
        days = 0
    if days < 1:
        # Refused rather than read as "off" or "now": a typo must not keep or delete data silently.
        raise ConfigurationError(f"{RETENTION_VARIABLE}={text!r} must be a whole number of days, at least 1")
    return days


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
        blob_store=(env.get("BRIDGE_BLOB_STORE") or "local").strip().lower(),
        s3_bucket=env.get("BRIDGE_S3_BUCKET") or None,
        s3_prefix=env.get("BRIDGE_S3_PREFIX") or "",
        s3_endpoint_url=env.get("BRIDGE_S3_ENDPOINT_URL") or None,
        s3_region=env.get("BRIDGE_S3_REGION") or env.get("AWS_REGION") or None,
        extractor=(env.get("BRIDGE_EXTRACTOR") or "offline").strip().lower(),
        openai_base_url=env.get("BRIDGE_OPENAI_BASE_URL") or env.get("OPENAI_BASE_URL") or None,
        openai_model=env.get("BRIDGE_OPENAI_MODEL") or None,
        openai_use_batch=(env.get("BRIDGE_OPENAI_USE_BATCH") or "").strip().lower() in ("1", "true", "yes"),
        speech_to_text=(env.get("BRIDGE_SPEECH_TO_TEXT") or "off").strip().lower(),
        speech_model=env.get("BRIDGE_SPEECH_MODEL") or None,
        speech_language=env.get("BRIDGE_SPEECH_LANGUAGE") or None,
        retention_days=parse_retention_days(env.get(RETENTION_VARIABLE)),
    )
