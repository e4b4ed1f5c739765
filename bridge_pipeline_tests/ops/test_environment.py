"""Resource selection from settings: local files by default, S3 when configured, database URL kept as EnvVar."""

from __future__ import annotations

import os

import pytest
from dagster import EnvVar

from bridge_pipeline.defs.resources_for_environment import (
    blob_storage_resource,
    describe_environment,
    project_store_resource,
)
from bridge_pipeline.defs.storage.resources import LocalBlobStorageResource
from bridge_pipeline.defs.storage.s3_resources import S3BlobStorageResource
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.settings import load_settings
from bridge_pipeline.storage.s3_blobs import S3BlobStore


def test_default_settings_give_local_blobs_and_a_sqlite_store(tmp_path):
    settings = load_settings({"BRIDGE_DATA_DIR": str(tmp_path)})
    assert isinstance(blob_storage_resource(settings), LocalBlobStorageResource)
    assert project_store_resource(settings, env={}).database_url.startswith("sqlite:///")


def test_a_database_url_from_the_environment_stays_an_env_var_reference(tmp_path):
    env = {"BRIDGE_DATA_DIR": str(tmp_path), "BRIDGE_DATABASE_URL": "postgresql://app:pw-123456@db/bridge"}
    resource = project_store_resource(load_settings(env), env=env)
    assert resource.database_url == EnvVar("BRIDGE_DATABASE_URL")
    assert "pw-123456" not in repr(resource)


def test_s3_settings_select_the_s3_resource_with_bucket_prefix_and_endpoint(moto_server, bucket, monkeypatch):
    for name, value in moto_server.env().items():
        monkeypatch.setenv(name, value)
    settings = load_settings(
        {"BRIDGE_BLOB_STORE": "S3", "BRIDGE_S3_BUCKET": bucket, "BRIDGE_S3_PREFIX": "bridge",
         "BRIDGE_S3_ENDPOINT_URL": moto_server.endpoint_url, "AWS_REGION": "eu-west-1"}
    )
    resource = blob_storage_resource(settings)
    assert isinstance(resource, S3BlobStorageResource)
    store = resource.get_blob_store()
    assert isinstance(store, S3BlobStore)
    store.put("probe/x.txt", b"hello")
    assert moto_server.client("s3").get_object(Bucket=bucket, Key="bridge/probe/x.txt")["Body"].read() == b"hello"
    assert describe_environment(settings, os.environ)["blobs"] == f"s3://{bucket}/bridge via {moto_server.endpoint_url}"


def test_s3_without_a_bucket_names_the_missing_variable():
    with pytest.raises(ConfigurationError, match="BRIDGE_S3_BUCKET"):
        blob_storage_resource(load_settings({"BRIDGE_BLOB_STORE": "s3"}))


def test_an_unknown_blob_store_is_refused():
    with pytest.raises(ConfigurationError, match="'gcs' is not one of local, s3"):
        blob_storage_resource(load_settings({"BRIDGE_BLOB_STORE": "gcs"}))


def test_describing_the_environment_hides_the_database_password(tmp_path):
    env = {"BRIDGE_DATA_DIR": str(tmp_path), "BRIDGE_DATABASE_URL": "postgresql://app:pw-123456@db/bridge"}
    described = describe_environment(load_settings(env), env=env)
    assert described["database"] == "postgresql+psycopg2://app:***@db/bridge"
