"""Every resource of the code location, chosen in one place from the environment it is given.

With nothing set the line runs on the embedded defaults: the local inbox, the offline extractor, SQLite and
files under BRIDGE_DATA_DIR, speech-to-text off, Teams and Zoom switched off, no summaries posted, nothing
deleted by retention (BRIDGE_RETENTION_DAYS).
Production sets BRIDGE_DATABASE_URL (PostgreSQL), BRIDGE_BLOB_STORE=s3 with BRIDGE_S3_BUCKET (and optionally
BRIDGE_S3_PREFIX, BRIDGE_S3_ENDPOINT_URL, BRIDGE_S3_REGION), BRIDGE_EXTRACTOR=openai, BRIDGE_SPEECH_TO_TEXT=openai,
the Teams and Zoom credentials (bridge_pipeline.sources.environment) and the notification opt-ins
(bridge_pipeline.notifications.environment). Secrets reach resources only as EnvVar: the definitions hold a
variable's name and Dagster resolves it in the process that runs. AWS credentials come from boto3's usual
chain (environment, instance or task role), so none is ever part of a resource's configuration.
"""

from __future__ import annotations

from collections.abc import Mapping

from dagster import EnvVar

from bridge_pipeline.defs.inbox.resources import InboxSourceResource
from bridge_pipeline.defs.language.extractors import (
    ExtractorResource,
    OfflineExtractorResource,
    OpenAIExtractorResource,
)
from bridge_pipeline.defs.language.speech import SpeechToTextResource
from bridge_pipeline.defs.notifications.resources import NotificationsResource
from bridge_pipeline.defs.retention.resources import RetentionResource
from bridge_pipeline.defs.storage.resources import (
    BlobStorageResource,
    LocalBlobStorageResource,
    ProjectStoreResource,
)
from bridge_pipeline.defs.teams.resources import GraphSourceResource
from bridge_pipeline.defs.zoom.resources import ZoomSourceResource
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.notifications.environment import TEAMS_REFRESH_TOKEN, notification_config
from bridge_pipeline.settings import Settings, load_settings
from bridge_pipeline.sources.environment import GRAPH_VARIABLES, ZOOM_VARIABLES, SourceVariables, remote_source_config
from bridge_pipeline.speech.transcribe import DEFAULT_SPEECH_MODEL
from bridge_pipeline.storage.engine import normalize_database_url

DATABASE_URL_VARIABLE = "BRIDGE_DATABASE_URL"
OPENAI_KEY_VARIABLE = "OPENAI_API_KEY"
BLOB_STORES = ("local", "s3")
EXTRACTORS = ("offline", "openai")
SPEECH_TO_TEXT_CHOICES = ("off", "openai")
# Retries inside botocore before an S3 call fails the step (standard mode: throttling and 5xx).
S3_MAX_ATTEMPTS = 5


def build_resources(env: Mapping[str, str], settings: Settings | None = None) -> dict:
    """Every resource key the assets, checks and sensors ask for; `settings` defaults to load_settings(env)."""
    settings = load_settings(env) if settings is None else settings
    blob_storage = blob_storage_resource(settings)
    return {
        "store": project_store_resource(settings, env),
        "blob_storage": blob_storage,
        "inbox": InboxSourceResource(inbox_dir=str(settings.inbox_dir)),
        "teams": graph_source_resource(env),
        "zoom": zoom_source_resource(env, settings),
        "extractor": extractor_resource(settings, blob_storage),
        "speech": speech_resource(settings, blob_storage),
        "notifications": notifications_resource(env),
        "retention": retention_resource(settings),
    }


def retention_resource(settings: Settings) -> RetentionResource:
    """Off (0 days) unless BRIDGE_RETENTION_DAYS is set; days end in the partition timezone."""
    return RetentionResource(days=settings.retention_days or 0, timezone=settings.timezone)


def project_store_resource(settings: Settings, env: Mapping[str, str]) -> ProjectStoreResource:
    """The project tables; a URL given in the environment (it may hold a password) stays an EnvVar."""
    return ProjectStoreResource(database_url=database_url_field(settings, env))


def database_url_field(settings: Settings, env: Mapping[str, str]) -> str | EnvVar:
    """The project database as a resource field: an EnvVar when the environment gives the URL."""
    if env.get(DATABASE_URL_VARIABLE):
        return EnvVar(DATABASE_URL_VARIABLE)
    return settings.database_url


def blob_storage_resource(settings: Settings) -> BlobStorageResource:
    if settings.blob_store == "local":
        return LocalBlobStorageResource(base_dir=str(settings.data_dir))
    if settings.blob_store == "s3":
        if not settings.s3_bucket:
            raise ConfigurationError("BRIDGE_BLOB_STORE=s3 needs BRIDGE_S3_BUCKET (the bucket for raw files and exports)")
        from dagster_aws.s3 import S3Resource  # only here: importing dagster-aws costs every run a second

        from bridge_pipeline.defs.storage.s3_resources import S3BlobStorageResource

        s3 = S3Resource(
            region_name=settings.s3_region,
            endpoint_url=settings.s3_endpoint_url,
            max_attempts=S3_MAX_ATTEMPTS,
        )
        return S3BlobStorageResource(s3=s3, bucket=settings.s3_bucket, prefix=settings.s3_prefix)
    raise ConfigurationError(
        f"BRIDGE_BLOB_STORE={settings.blob_store!r} is not one of {', '.join(BLOB_STORES)}"
    )


def extractor_resource(settings: Settings, blob_storage: BlobStorageResource) -> ExtractorResource:
    """The offline rules by default; BRIDGE_EXTRACTOR=openai uses the language model (key from OPENAI_API_KEY)."""
    if settings.extractor == "offline":
        return OfflineExtractorResource()
    if settings.extractor == "openai":
        options: dict = {"use_batch": settings.openai_use_batch}
        if settings.openai_base_url:
            options["base_url"] = settings.openai_base_url
        if settings.openai_model:
            options["model"] = settings.openai_model
        return openai_extractor_resource(blob_storage, **options)
    raise ConfigurationError(f"BRIDGE_EXTRACTOR={settings.extractor!r} is not one of {', '.join(EXTRACTORS)}")


def openai_extractor_resource(blob_storage: BlobStorageResource, **options: object) -> OpenAIExtractorResource:
    """The resource with its key read from OPENAI_API_KEY at run time, never stored in the definitions."""
    return OpenAIExtractorResource(api_key=EnvVar(OPENAI_KEY_VARIABLE), blob_storage=blob_storage, **options)


def speech_resource(settings: Settings, blob_storage: BlobStorageResource) -> SpeechToTextResource:
    """Off unless BRIDGE_SPEECH_TO_TEXT=openai; then the key comes from OPENAI_API_KEY at run time."""
    if settings.speech_to_text == "off":
        return SpeechToTextResource(blob_storage=blob_storage)
    if settings.speech_to_text == "openai":
        return SpeechToTextResource(
            blob_storage=blob_storage,
            enabled=True,
            api_key=EnvVar(OPENAI_KEY_VARIABLE),
            base_url=settings.openai_base_url or "",
            model=settings.speech_model or DEFAULT_SPEECH_MODEL,
            language=settings.speech_language or "",
        )
    raise ConfigurationError(
        f"BRIDGE_SPEECH_TO_TEXT={settings.speech_to_text!r} is not one of {', '.join(SPEECH_TO_TEXT_CHOICES)}"
    )


def _remote_source_fields(variables: SourceVariables, env: Mapping[str, str]) -> dict:
    """Switched off (the resource's defaults) unless the source's credentials are all set."""
    config = remote_source_config(variables, env)
    if config is None:
        return {}
    return dict(
        enabled=True,
        account=config.account,
        client_id=config.client_id,
        client_secret=EnvVar(variables.client_secret),
        scopes=list(config.scopes),
        api_url=config.api_url,
        auth_url=config.auth_url,
        allowed_hosts=list(config.allowed_hosts),
        mode=config.mode,
        requests_per_second=config.requests_per_second,
        lookback_hours=config.lookback_hours,
    )


def graph_source_resource(env: Mapping[str, str]) -> GraphSourceResource:
    return GraphSourceResource(**_remote_source_fields(GRAPH_VARIABLES, env))


def zoom_source_resource(env: Mapping[str, str], settings: Settings | None = None) -> ZoomSourceResource:
    """With `settings`, the account's token is shared through the project database by every process of the
    deployment (Zoom revokes a token when it issues another); without, each process keeps its own."""
    fields = _remote_source_fields(ZOOM_VARIABLES, env)
    if fields and settings is not None:
        fields["token_store_url"] = database_url_field(settings, env)
    return ZoomSourceResource(**fields)


def notifications_resource(env: Mapping[str, str]) -> NotificationsResource:
    config = notification_config(env)
    return NotificationsResource(
        teams_organizers=list(config.teams_organizers),
        zoom_organizers=list(config.zoom_organizers),
        dry_run=config.dry_run,
        export_link_base=config.export_link_base,
        zoom_channels=config.zoom_channels,
        teams_refresh_token=EnvVar(TEAMS_REFRESH_TOKEN) if config.teams_refresh_token_set else "",
        zoom_sender=config.zoom_sender,
    )


def describe_environment(settings: Settings, env: Mapping[str, str]) -> dict[str, str]:
    """Where things live, with no secret in it (for the health command and start-up logs)."""
    database = normalize_database_url(settings.database_url).render_as_string(hide_password=True)
    if settings.blob_store == "s3":
        blobs = f"s3://{settings.s3_bucket}/{settings.s3_prefix}".rstrip("/")
        if settings.s3_endpoint_url or env.get("AWS_ENDPOINT_URL"):
            blobs += f" via {settings.s3_endpoint_url or env.get('AWS_ENDPOINT_URL')}"
    else:
        blobs = str(settings.data_dir)
    return {"database": database, "blobs": blobs, "inbox": str(settings.inbox_dir), "timezone": settings.timezone}
