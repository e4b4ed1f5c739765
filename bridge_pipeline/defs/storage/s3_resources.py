"""Blob storage in S3 as a Dagster resource, through dagster-aws's S3Resource.

Kept apart from resources.py so that deployments on local blobs never import dagster-aws (over a second of
every run's start-up); bridge_pipeline.defs.resources_for_environment imports it only when S3 is chosen.
"""

from __future__ import annotations

from dagster_aws.s3 import S3Resource
from pydantic import PrivateAttr

from bridge_pipeline.defs.storage.resources import BlobStorageResource
from bridge_pipeline.storage.blobs import BlobStore
from bridge_pipeline.storage.s3_blobs import S3BlobStore


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
