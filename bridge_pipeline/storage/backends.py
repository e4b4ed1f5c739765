"""The blob store the settings choose, built without Dagster (for commands and the review desk).

The pipeline's own runs build theirs through the Dagster resources (bridge_pipeline.defs.storage); this is
the same backend for code that runs outside Dagster.
"""

from __future__ import annotations

from bridge_pipeline.settings import Settings
from bridge_pipeline.storage.blobs import BlobStore, LocalBlobStore


def blob_store_for(settings: Settings) -> BlobStore:
    if settings.blob_store == "s3":
        import boto3  # only here: local-blob deployments never load it

        from bridge_pipeline.storage.s3_blobs import S3BlobStore

        client = boto3.client("s3", endpoint_url=settings.s3_endpoint_url, region_name=settings.s3_region)
        return S3BlobStore(client, settings.s3_bucket or "", settings.s3_prefix)
    return LocalBlobStore(settings.data_dir)
