"""Configurable resources: each hands the assets one pure collaborator (store, blobs, source, extractor).

A production or test setup swaps a resource for another implementation with the same getter, so the
asset code never changes between environments.
"""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from pydantic import PrivateAttr

from bridge_pipeline.extraction.base import Extractor
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline.sources.base import RecordingSource
from bridge_pipeline.sources.inbox import InboxSource
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


class InboxSourceResource(ConfigurableResource):
    """A folder of transcript files, one sub-folder per day."""

    inbox_dir: str

    def get_source(self) -> RecordingSource:
        return InboxSource(Path(self.inbox_dir))


class ExtractorResource(ConfigurableResource):
    """Who reads decisions out of transcripts; the decisions asset asks for this type."""

    def get_extractor(self) -> Extractor:
        raise NotImplementedError(f"{type(self).__name__} does not name an extractor")


class OfflineExtractorResource(ExtractorResource):
    """Rules and patterns; needs no network and no key."""

    def get_extractor(self) -> Extractor:
        return OfflineExtractor()
