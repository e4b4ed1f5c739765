"""Fills the process environment from one AWS Secrets Manager secret, so resources read secrets via EnvVar.

The secret named by BRIDGE_SECRETS_ID holds a JSON object of environment variable names and values
(`{"BRIDGE_DATABASE_URL": "...", "OPENAI_API_KEY": "..."}`). Variables already set in the environment
win: an operator can override one value without editing the secret. Only names are ever reported.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import re
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from bridge_pipeline.errors import ConfigurationError

SECRETS_ID_VARIABLE = "BRIDGE_SECRETS_ID"
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
# botocore logs every response body at DEBUG ("Response body: b'{...SecretString...}'"), so with DEBUG logging on
# the secret's whole payload would reach the logs. Those records are dropped while the secret is being read.
_BOTOCORE_BODY_LOGGERS = ("botocore.parsers", "botocore.endpoint")
_reading_secret: contextvars.ContextVar[bool] = contextvars.ContextVar("bridge_reading_secret", default=False)


class _DropWhileReadingSecret(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _reading_secret.get()


_BODY_FILTER = _DropWhileReadingSecret()


@contextlib.contextmanager
def _botocore_bodies_unlogged() -> Iterator[None]:
    for name in _BOTOCORE_BODY_LOGGERS:
        logger = logging.getLogger(name)
        if _BODY_FILTER not in logger.filters:
            logger.addFilter(_BODY_FILTER)
    token = _reading_secret.set(True)
    try:
        yield
    finally:
        _reading_secret.reset(token)


def _default_client() -> Any:
    import boto3  # deferred: the local default never talks to AWS

    return boto3.client("secretsmanager")


def read_secret_variables(secret_id: str, client: Any) -> dict[str, str]:
    """The name -> value pairs stored in the secret; raises ConfigurationError naming the secret, never a value."""
    try:
        with _botocore_bodies_unlogged():
            response = client.get_secret_value(SecretId=secret_id)
    except Exception as error:  # botocore errors carry the id and the code, no secret material
        code = getattr(error, "response", {}).get("Error", {}).get("Code", type(error).__name__)
        raise ConfigurationError(f"secret {secret_id!r} could not be read from Secrets Manager: {code}") from None
    text = response.get("SecretString")
    if text is None:
        raise ConfigurationError(f"secret {secret_id!r} is binary; store a JSON object of NAME: value strings")
    try:
        values = json.loads(text)
    except json.JSONDecodeError:
        raise ConfigurationError(f"secret {secret_id!r} is not JSON; store a JSON object of NAME: value strings") from None
    if not isinstance(values, dict):
        raise ConfigurationError(f"secret {secret_id!r} must be a JSON object of NAME: value strings")
    bad = sorted(name for name, value in values.items() if not _ENV_NAME.match(str(name)) or not isinstance(value, str))
    if bad:
        raise ConfigurationError(
            f"secret {secret_id!r}: entries {bad} are not UPPER_CASE environment names with string values"
        )
    return values


def load_secrets_into_environment(
    env: MutableMapping[str, str] | None = None, client_factory: Callable[[], Any] = _default_client
) -> list[str]:
    """Copy the secret's variables that are not set yet into `env` (os.environ by default); return their names."""
    env = os.environ if env is None else env
    secret_id = (env.get(SECRETS_ID_VARIABLE) or "").strip()
    if not secret_id:
        return []
    values = read_secret_variables(secret_id, client_factory())
    loaded = []
    for name, value in sorted(values.items()):
        if not env.get(name):
            env[name] = value
            loaded.append(name)
    return loaded
