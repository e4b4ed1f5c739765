"""`bridge-pipeline doctor`: is this machine ready to run the line? Database, migrations, blobs, credentials.

Each check gives OK, WARN, FAIL or SKIP with one line of detail; the exit code is 1 when any check
FAILs. Details never contain a secret: database URLs are shown without password and error texts are
passed through the log redactor. `--check-tokens` also fetches an access token from every configured
source (Teams, Zoom), which proves the credentials work without reading any meeting.
"""

from __future__ import annotations

import dataclasses
import json
import os
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

import sqlalchemy as sa

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.notifications.environment import TEAMS_REFRESH_TOKEN, ZOOM_SENDER, notification_config
from bridge_pipeline.observability.json_logs import secret_values_from_env
from bridge_pipeline.observability.redaction import Redactor
from bridge_pipeline.secret_env import SECRETS_ID_VARIABLE, load_secrets_into_environment
from bridge_pipeline.settings import Settings, load_settings
from bridge_pipeline.sources.environment import (
    GRAPH_VARIABLES,
    ZOOM_VARIABLES,
    graph_settings,
    is_configured,
    remote_source_config,
    zoom_settings_from_env,
)
from bridge_pipeline.storage import schema_migrations
from bridge_pipeline.storage.backends import blob_store_for
from bridge_pipeline.storage.blobs import BlobStore
from bridge_pipeline.storage.engine import create_store_engine, normalize_database_url

Status = Literal["OK", "WARN", "FAIL", "SKIP"]
PROBE_PREFIX = "_doctor"
# libpq waits for a TCP connect as long as the OS does (minutes); a health check should not.
DEFAULT_CONNECT_TIMEOUT_S = "5"


@dataclass(frozen=True)
class CheckResult:
    check: str
    status: Status
    detail: str


@dataclass(frozen=True)
class SourceCredentials:
    """Environment variables one source needs; the source counts as configured when any of them is set."""

    source: str
    variables: tuple[str, ...]


SOURCE_CREDENTIALS = (
    SourceCredentials("teams", GRAPH_VARIABLES.credentials),
    SourceCredentials("zoom", ZOOM_VARIABLES.credentials),
    SourceCredentials("openai", ("OPENAI_API_KEY",)),
)


@dataclass(frozen=True)
class TokenProbe:
    """Fetches one access token for a source; raises when the credentials do not work."""

    source: str
    fetch: Callable[[], object]


def _short(error: BaseException, redactor: Redactor) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return redactor.redact(f"{type(error).__name__}: {text}")[:300]


def check_database(settings: Settings, redactor: Redactor) -> list[CheckResult]:
    shown = normalize_database_url(settings.database_url).render_as_string(hide_password=True)
    engine = create_store_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            current = schema_migrations.current_revision(conn)
            server = f"{conn.dialect.name} {'.'.join(map(str, conn.dialect.server_version_info or ()))}".strip()
    except Exception as error:
        return [
            CheckResult("database", "FAIL", f"{shown}: {_short(error, redactor)}"),
            CheckResult("migrations", "SKIP", "database unreachable"),
        ]
    finally:
        engine.dispose()
    head = schema_migrations.head_revision()
    if current == head:
        migrations = CheckResult("migrations", "OK", f"at head {head}")
    elif current is None:
        migrations = CheckResult("migrations", "WARN", f"no tables yet; the first run migrates to {head}")
    elif _known_revision(current):
        migrations = CheckResult("migrations", "WARN", f"at {current}, head is {head}; the next run migrates")
    else:
        migrations = CheckResult(
            "migrations", "FAIL", f"database is at {current}, unknown to this code (head {head}): deploy newer code"
        )
    return [CheckResult("database", "OK", f"{shown} ({server})"), migrations]


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(schema_migrations.alembic_config())
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def check_blob_storage(make_store: Callable[[], BlobStore], redactor: Redactor) -> CheckResult:
    """Write, read back and delete a small probe object under `_doctor/`."""
    folder = f"{PROBE_PREFIX}/{uuid.uuid4().hex}"
    payload = b"bridge-pipeline doctor probe\n"
    try:
        store = make_store()
        store.put(f"{folder}/probe.txt", payload)
        if store.get(f"{folder}/probe.txt") != payload:
            return CheckResult("blob storage", "FAIL", f"{store.uri(folder)}: read back different bytes")
        store.delete_prefix(folder)
        where = store.uri(PROBE_PREFIX).rsplit("/", 1)[0]
    except Exception as error:
        return CheckResult("blob storage", "FAIL", _short(error, redactor))
    return CheckResult("blob storage", "OK", f"{where} writable")


def check_credentials(settings: Settings, env: Mapping[str, str]) -> list[CheckResult]:
    results = []
    if env.get(SECRETS_ID_VARIABLE):
        results.append(CheckResult("secrets", "OK", f"read from Secrets Manager secret {env[SECRETS_ID_VARIABLE]!r}"))
    if settings.blob_store == "s3":
        import boto3

        found = boto3.Session().get_credentials()
        if found is None:
            results.append(CheckResult("aws credentials", "FAIL", "none found (environment, profile or instance role)"))
        else:
            results.append(CheckResult("aws credentials", "OK", f"from {found.method}"))
    for source in SOURCE_CREDENTIALS:
        present = [name for name in source.variables if env.get(name)]
        if not present:
            results.append(CheckResult(f"{source.source} credentials", "SKIP", "not configured"))
            continue
        missing = [name for name in source.variables if not env.get(name)]
        if missing:
            results.append(CheckResult(f"{source.source} credentials", "FAIL", f"missing {', '.join(missing)}"))
        else:
            results.append(CheckResult(f"{source.source} credentials", "OK", f"{', '.join(source.variables)} set"))
    return results


def check_notifications(env: Mapping[str, str]) -> list[CheckResult]:
    """Chat summaries are opt-in; an opted-in source needs its source credentials and its posting account."""
    try:
        config = notification_config(env)
    except ConfigurationError as error:
        return [CheckResult("chat summaries", "FAIL", str(error))]
    wanted = [
        ("teams", config.teams_organizers, GRAPH_VARIABLES, config.teams_refresh_token_set, TEAMS_REFRESH_TOKEN),
        ("zoom", config.zoom_organizers, ZOOM_VARIABLES, bool(config.zoom_sender), ZOOM_SENDER),
    ]
    results = []
    for source, organizers, variables, poster_set, poster_variable in wanted:
        name = f"{source} summaries"
        if not organizers:
            results.append(CheckResult(name, "SKIP", "no organizer opted in"))
        elif config.dry_run:
            results.append(CheckResult(name, "OK", f"dry run for {len(organizers)} organizer entries"))
        elif not is_configured(variables, env):
            results.append(CheckResult(name, "FAIL", f"opted in, but the {source} source credentials are not set"))
        elif not poster_set:
            results.append(CheckResult(name, "FAIL", f"opted in, but {poster_variable} is not set"))
        else:
            results.append(CheckResult(name, "OK", f"posting for {len(organizers)} organizer entries"))
    return results


def check_instance(env: Mapping[str, str], redactor: Redactor) -> CheckResult:
    home = env.get("DAGSTER_HOME")
    if not home:
        return CheckResult("dagster instance", "WARN", "DAGSTER_HOME not set; runs would use a temporary instance")
    from dagster._core.instance.config import dagster_instance_config

    if not os.path.isfile(os.path.join(home, "dagster.yaml")):
        return CheckResult("dagster instance", "WARN", f"{home}/dagster.yaml missing; SQLite defaults apply")
    try:
        config, _ = dagster_instance_config(home)
    except Exception as error:
        return CheckResult("dagster instance", "FAIL", f"{home}/dagster.yaml: {_short(error, redactor)}")
    storage = next(iter(config.get("storage") or {"sqlite": None}))
    return CheckResult("dagster instance", "OK", f"{home}/dagster.yaml valid (storage: {storage})")


def check_tokens(probes: Sequence[TokenProbe], redactor: Redactor) -> list[CheckResult]:
    if not probes:
        return [CheckResult("tokens", "SKIP", "no remote source configured")]
    results = []
    for probe in probes:
        try:
            probe.fetch()
        except Exception as error:
            results.append(CheckResult(f"{probe.source} token", "FAIL", _short(error, redactor)))
        else:
            results.append(CheckResult(f"{probe.source} token", "OK", "access token issued"))
    return results


def graph_token_probe(settings: object) -> TokenProbe:
    from bridge_pipeline.apis.graph.client import GraphClient

    def fetch() -> object:
        with GraphClient(settings) as client:
            # The client's own token request (client-credentials grant); no meeting is read.
            return client.api.check_credentials()

    return TokenProbe("teams", fetch)


def zoom_token_probe(settings: object) -> TokenProbe:
    from bridge_pipeline.apis.zoom.client import ZoomClient

    def fetch() -> object:
        with ZoomClient(settings) as client:
            return client.api.check_credentials()

    return TokenProbe("zoom", fetch)


def token_probes_from_env(env: Mapping[str, str]) -> list[TokenProbe]:
    """Probes for the sources whose credentials are all set, at the endpoints the environment names."""
    probes = []
    if is_configured(GRAPH_VARIABLES, env):
        config = remote_source_config(GRAPH_VARIABLES, env)
        # A token needs no organizer; the placeholder only satisfies the settings' own check.
        config = dataclasses.replace(config, scopes=config.scopes or ("doctor-token-check",))
        probes.append(graph_token_probe(graph_settings(config, Secret(env[GRAPH_VARIABLES.client_secret]))))
    if is_configured(ZOOM_VARIABLES, env):
        probes.append(zoom_token_probe(zoom_settings_from_env(env)))
    return probes


def run_doctor(
    settings: Settings,
    env: Mapping[str, str] | None = None,
    *,
    token_probes: Sequence[TokenProbe] | None = None,
    make_blob_store: Callable[[], BlobStore] | None = None,
) -> list[CheckResult]:
    """Every check in order; tokens are fetched only when `token_probes` is given (possibly empty)."""
    env = os.environ if env is None else env
    redactor = Redactor(secret_values_from_env(env))
    results = check_database(settings, redactor)
    results.append(check_blob_storage(make_blob_store or (lambda: blob_store_for(settings)), redactor))
    results.extend(check_credentials(settings, env))
    results.extend(check_notifications(env))
    results.append(check_instance(env, redactor))
    if token_probes is not None:
        results.extend(check_tokens(token_probes, redactor))
    return results


def render_table(results: Iterable[CheckResult]) -> str:
    rows = [("CHECK", "STATUS", "DETAIL"), *((r.check, r.status, r.detail) for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return "\n".join(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}".rstrip() for a, b, c in rows)


def exit_code(results: Iterable[CheckResult]) -> int:
    return 1 if any(r.status == "FAIL" for r in results) else 0


def render_json(results: Iterable[CheckResult]) -> str:
    return json.dumps([asdict(r) for r in results], indent=2)


def main(*, check_tokens_too: bool, as_json: bool, out) -> int:
    """The CLI entry: secrets first (they may hold the database URL), then settings, then the checks."""
    os.environ.setdefault("PGCONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT_S)
    try:
        load_secrets_into_environment()
    except ConfigurationError as error:
        print(render_table([CheckResult("secrets", "FAIL", str(error))]), file=out)
        return 1
    try:
        settings = load_settings()
    except ConfigurationError as error:  # e.g. BRIDGE_RETENTION_DAYS that is not a number of days
        print(render_table([CheckResult("settings", "FAIL", str(error))]), file=out)
        return 1
    probes = token_probes_from_env(os.environ) if check_tokens_too else None
    results = run_doctor(settings, token_probes=probes)
    print(render_json(results) if as_json else render_table(results), file=out)
    return exit_code(results)
