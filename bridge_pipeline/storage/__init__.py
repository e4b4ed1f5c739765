"""Where the pipeline keeps its records (project tables) and files (blob storage)."""

from bridge_pipeline.storage.blobs import BlobStore, LocalBlobStore
from bridge_pipeline.storage.store import PipelineStore, StorageConflictError

__all__ = ["BlobStore", "LocalBlobStore", "PipelineStore", "StorageConflictError"]
