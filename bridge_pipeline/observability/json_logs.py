"""Structured JSON log lines with meeting id, source, partition and run id; secrets and transcript text kept out.

Code logs through `log_event(logger, "meeting_exported", meeting_id=..., ...)`. The context of the
current stage (run id, partition, stage) is attached by `log_context`. Fields that can carry what was
said in a meeting are dropped below DEBUG, and known secret values are blanked in every line, so a
log collector at INFO never receives either.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from sqlalchemy.engine import make_url

from bridge_pipeline.observability.redaction import Redactor

LOGGER_NAME = "bridge_pipeline"
OMITTED = "[omitted below DEBUG]"
# Field names whose values may quote a meeting (utterances, titles, decision text); DEBUG only.
CONTENT_FIELDS = frozenset({"text", "transcript", "utterance", "utterances", "content", "quote", "title", "summary"})
# Environment variables whose values are credentials, matched by name.
_SECRET_NAME = re.compile(r"(PASSWORD|SECRET|TOKEN|API_KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS)", re.IGNORECASE)
_URL_NAME = re.compile(r"(DATABASE_URL|_DB_URL|PG_URL|_DSN)$", re.IGNORECASE)

_context: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar("bridge_log_context", default={})


def get_logger(name: str = "") -> logging.Logger:
    return logging.getLogger(f"{LOGGER_NAME}.{name}" if name else LOGGER_NAME)


@contextlib.contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Attach fields (run_id, partition, stage, ...) to every event logged inside the block."""
    token = _context.set({**_context.get(), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


def secret_values_from_env(env: Mapping[str, str] | None = None) -> list[str]:
    """Credential values present in the environment: by variable name, plus passwords inside database URLs."""
    env = os.environ if env is None else env
    values: list[str] = []
    for name, value in env.items():
        if not value:
            continue
        if _SECRET_NAME.search(name):
            values.append(value)
        elif _URL_NAME.search(name):
            with contextlib.suppress(Exception):
                password = make_url(value).password
                if password:
                    values.append(str(password))
    return values


_redactor = Redactor()
_env_secrets_registered = False


def register_secrets(values: Iterable[str]) -> None:
    """Blank these values in every later log line (in addition to those found in the environment)."""
    for value in values:
        _redactor.add(value)


def _safe_fields(fields: Mapping[str, Any], level: int) -> dict[str, Any]:
    if level <= logging.DEBUG:
        return dict(fields)
    return {k: (OMITTED if k in CONTENT_FIELDS else v) for k, v in fields.items()}


def _render(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log `event` with fields; the text form (also seen by Dagster's log capture) is `event k=v ...`."""
    if not logger.isEnabledFor(level):
        return
    global _env_secrets_registered
    if not _env_secrets_registered:
        register_secrets(secret_values_from_env())
        _env_secrets_registered = True
    merged = _safe_fields({**_context.get(), **fields}, level)
    text = " ".join([event, *(f"{k}={_render(v)}" for k, v in merged.items())])
    logger.log(level, _redactor.redact(text), extra={"bridge_event": event, "bridge_fields": merged})


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event, the context and event fields, message."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "bridge_fields", None)
        if fields is None:
            fields = _safe_fields(_context.get(), record.levelno)
        payload: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": getattr(record, "bridge_event", None) or "log",
            **fields,
        }
        if getattr(record, "bridge_event", None) is None:
            payload["message"] = record.getMessage()
            # Records from Dagster's own log manager carry the run in `dagster_meta`.
            meta = getattr(record, "dagster_meta", None)
            if isinstance(meta, Mapping):
                payload.update({k: meta[k] for k in ("run_id", "job_name", "step_key") if meta.get(k)})
        if record.exc_info:
            payload["error"] = self.formatException(record.exc_info)
        return _redactor.redact(json.dumps(payload, default=str, ensure_ascii=False))


class _JsonHandler(logging.StreamHandler):
    """Marker type, so configuring twice replaces the handler instead of doubling every line."""


def configure_json_logging(
    stream: TextIO | None = None, level: int = logging.INFO, env: Mapping[str, str] | None = None
) -> logging.Handler:
    """Send the project's logs as JSON lines to `stream` (stderr by default); safe to call repeatedly."""
    register_secrets(secret_values_from_env(env))
    logger = logging.getLogger(LOGGER_NAME)
    for existing in [h for h in logger.handlers if isinstance(h, _JsonHandler)]:
        logger.removeHandler(existing)
    handler = _JsonHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler
