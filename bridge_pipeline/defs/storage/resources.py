"""Where the line keeps its rows and files: the project store and the blob storage, as Dagster resources.

Assets ask for `ProjectStoreResource` and `BlobStorageResource`; bridge_pipeline.defs.resources_for_environment
picks the backend (SQLite or PostgreSQL, local folder or S3), so the asset code never changes between
environments. AWS credentials come from boto3's usual chain (environment, instance or task role), so none
is ever part of a resource's configuration. The S3 resource lives in s3_resources.py, imported only when
S3 is chosen: dagster-aws takes over a second to import, and every run process loads this module.
"""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from pydantic import PrivateAttr

from bridge_pipeline.storage.blobs import BlobStore, LocalBlobStore
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
