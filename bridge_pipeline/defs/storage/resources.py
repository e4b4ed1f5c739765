"""Where the line keeps its rows and files: the project store and the blob storage, as Dagster resources.

Assets ask for `ProjectStoreResource` and `BlobStorageResource`; bridge_pipeline.defs.resources_for_environment
picks the backend (SQLite or PostgreSQL, local folder or S3), so the asset code never changes between
environments. AWS credentials come from boto3's usual chain (environment, instance or task role), so none
is ever part of a resource's configuration.
"""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from dagster_aws.s3 import S3Resource
from pydantic import PrivateAttr

from bridge_pipeline.storage.blobs import BlobStore, LocalBlobStore
from bridge_pipeline.storage.s3_blobs import S3BlobStore
from bridge_pipeline.storage.store import PipelineStore


class ProjectStoreResource(ConfigurableResource):
    """The project's own tables (SQLite by default, PostgreSQL when the URL says so)."""

    database_url: str

    _store: PipelineStore | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._store = PipelineStore(self.database_url)
        self._store.migrate()

    def get_store(self) -> PipelineStore:
        if self._store is None:
            self._store = PipelineStore(self.database_url)
            self._store.migrate()
        return self._store


class BlobStorageResource(ConfigurableResource):
    """Where raw files and exports are kept; assets ask for this type, the environment picks the backend."""

    def get_blob_store(self) -> BlobStore:
        raise NotImplementedError(f"{type(self).__name__} does not say where blobs live")


class LocalBlobStorageResource(BlobStorageResource):
    """Raw files and exports in a local folder."""

    base_dir: str

    def get_blob_store(self) -> BlobStore:
        return LocalBlobStore(Path(self.base_dir))


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
