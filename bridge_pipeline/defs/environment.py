"""Chooses local or production resources from the settings; secrets reach resources only as EnvVar.

Local default: SQLite and files under BRIDGE_DATA_DIR. Production: BRIDGE_DATABASE_URL (PostgreSQL),
BRIDGE_BLOB_STORE=s3 with BRIDGE_S3_BUCKET (and optionally BRIDGE_S3_PREFIX, BRIDGE_S3_ENDPOINT_URL,
BRIDGE_S3_REGION). AWS credentials come from boto3's usual chain (environment, instance or task role),
so none is ever part of a resource's configuration.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from dagster import EnvVar
from dagster_aws.s3 import S3Resource
from pydantic import PrivateAttr

from bridge_pipeline.defs.resources import BlobStorageResource, LocalBlobStorageResource, ProjectStoreResource
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.settings import Settings
from bridge_pipeline.storage.blobs import BlobStore
from bridge_pipeline.storage.engine import normalize_database_url
from bridge_pipeline.storage.s3_blobs import S3BlobStore

DATABASE_URL_VARIABLE = "BRIDGE_DATABASE_URL"
BLOB_STORES = ("local", "s3")
# Retries inside botocore before an S3 call fails the step (standard mode: throttling and 5xx).
S3_MAX_ATTEMPTS = 5


class S3BlobStorageResource(BlobStorageResource):
    """Raw files and exports in an S3 bucket, through dagster-aws's S3Resource."""

    s3: S3Resource
    bucket: str
    prefix: str = ""

    _store: S3BlobStore | None = PrivateAttr(default=None)

    def get_blob_store(self) -> BlobStore:
        # One client per resource instance: building a boto3 client costs tens of milliseconds.
        if self._store is None:
            self._store = S3BlobStore(self.s3.get_client(), self.bucket, self.prefix)
        return self._store


def project_store_resource(settings: Settings, env: Mapping[str, str] | None = None) -> ProjectStoreResource:
    """The project tables; a URL given in the environment (it may hold a password) stays an EnvVar."""
    env = os.environ if env is None else env
    if env.get(DATABASE_URL_VARIABLE):
        return ProjectStoreResource(database_url=EnvVar(DATABASE_URL_VARIABLE))
    return ProjectStoreResource(database_url=settings.database_url)


def blob_storage_resource(settings: Settings) -> BlobStorageResource:
    if settings.blob_store == "local":
        return LocalBlobStorageResource(base_dir=str(settings.data_dir))
    if settings.blob_store == "s3":
        if not settings.s3_bucket:
            raise ConfigurationError("BRIDGE_BLOB_STORE=s3 needs BRIDGE_S3_BUCKET (the bucket for raw files and exports)")
        s3 = S3Resource(
            region_name=settings.s3_region,
            endpoint_url=settings.s3_endpoint_url,
            max_attempts=S3_MAX_ATTEMPTS,
        )
        return S3BlobStorageResource(s3=s3, bucket=settings.s3_bucket, prefix=settings.s3_prefix)
    raise ConfigurationError(
        f"BRIDGE_BLOB_STORE={settings.blob_store!r} is not one of {', '.join(BLOB_STORES)}"
    )


def describe_environment(settings: Settings, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Where things live, with no secret in it (for the health command and start-up logs)."""
    env = os.environ if env is None else env
    database = normalize_database_url(settings.database_url).render_as_string(hide_password=True)
    if settings.blob_store == "s3":
        blobs = f"s3://{settings.s3_bucket}/{settings.s3_prefix}".rstrip("/")
        if settings.s3_endpoint_url or env.get("AWS_ENDPOINT_URL"):
            blobs += f" via {settings.s3_endpoint_url or env.get('AWS_ENDPOINT_URL')}"
    else:
        blobs = str(settings.data_dir)
    return {"database": database, "blobs": blobs, "inbox": str(settings.inbox_dir), "timezone": settings.timezone}
