"""S3BlobStore against a real S3 API (moto server on loopback): same contract as the local store."""

from __future__ import annotations

import hashlib

import pytest

from bridge_pipeline.storage.blobs import BlobStore
from bridge_pipeline.storage.s3_blobs import S3BlobStore


@pytest.fixture
def store(s3_client, bucket) -> S3BlobStore:
    return S3BlobStore(s3_client, bucket, prefix="tenant-a/bridge")


def _count_puts(client) -> list[str]:
    calls: list[str] = []
    client.meta.events.register("provide-client-params.s3.PutObject", lambda params, **_: calls.append(params["Key"]))
    return calls


def test_s3_store_satisfies_the_blob_store_protocol(store):
    assert isinstance(store, BlobStore)


def test_put_returns_sha256_and_get_reads_the_bytes_back(store):
    data = "Łukasz agreed: NDA, two years".encode()
    digest = store.put("raw/2026-05-14/m1/call.vtt", data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert store.get("raw/2026-05-14/m1/call.vtt") == data
    assert store.exists("raw/2026-05-14/m1/call.vtt")
    assert not store.exists("raw/2026-05-14/m1/other.vtt")


def test_objects_live_under_the_store_prefix_with_sha_metadata_and_a_content_type(store, s3_client, bucket):
    store.put("exports/2026-05-14/m1/m1-nda.md", b"# NDA")
    head = s3_client.head_object(Bucket=bucket, Key="tenant-a/bridge/exports/2026-05-14/m1/m1-nda.md")
    assert head["Metadata"]["sha256"] == hashlib.sha256(b"# NDA").hexdigest()
    assert head["ContentType"].startswith("text/markdown")
    assert store.uri("exports/2026-05-14/m1/m1-nda.md") == f"s3://{bucket}/tenant-a/bridge/exports/2026-05-14/m1/m1-nda.md"


def test_putting_identical_content_again_sends_no_put(store, s3_client):
    puts = _count_puts(s3_client)
    store.put("exports/d/a.pdf", b"%PDF-1 same")
    store.put("exports/d/a.pdf", b"%PDF-1 same")
    store.put("exports/d/a.pdf", b"%PDF-1 changed")
    assert puts == ["tenant-a/bridge/exports/d/a.pdf", "tenant-a/bridge/exports/d/a.pdf"]
    assert store.get("exports/d/a.pdf") == b"%PDF-1 changed"


def test_an_object_written_without_sha_metadata_is_recognised_by_its_etag(store, s3_client, bucket):
    s3_client.put_object(Bucket=bucket, Key="tenant-a/bridge/raw/d/m/x.txt", Body=b"Alice: hello")
    puts = _count_puts(s3_client)
    store.put("raw/d/m/x.txt", b"Alice: hello")
    assert puts == []


def test_listing_a_prefix_covers_whole_key_parts_only(store):
    store.put("exports/2026-01-05/a.pdf", b"1")
    store.put("exports/2026-01-05/m/b.pdf", b"2")
    store.put("exports/2026-01-050/c.pdf", b"3")
    assert store.list("exports/2026-01-05") == ["exports/2026-01-05/a.pdf", "exports/2026-01-05/m/b.pdf"]
    assert store.list() == ["exports/2026-01-05/a.pdf", "exports/2026-01-05/m/b.pdf", "exports/2026-01-050/c.pdf"]


def test_list_does_not_see_objects_outside_the_store_prefix(store, s3_client, bucket):
    s3_client.put_object(Bucket=bucket, Key="tenant-b/bridge/exports/x.pdf", Body=b"other tenant")
    s3_client.put_object(Bucket=bucket, Key="tenant-a/bridgeX/exports/x.pdf", Body=b"neighbour")
    store.put("exports/y.pdf", b"ours")
    assert store.list() == ["exports/y.pdf"]


def test_delete_prefix_removes_the_folder_and_counts_it(store):
    for i in range(3):
        store.put(f"exports/2026-01-05/m{i}/f.md", b"x")
    store.put("exports/2026-01-06/keep.md", b"y")
    assert store.delete_prefix("exports/2026-01-05") == 3
    assert store.list() == ["exports/2026-01-06/keep.md"]


def test_missing_blob_raises_file_not_found_naming_the_key_and_bucket(store, bucket):
    with pytest.raises(FileNotFoundError, match=rf"'raw/nope.vtt'.*s3://{bucket}/tenant-a/bridge/raw/nope.vtt"):
        store.get("raw/nope.vtt")


@pytest.mark.parametrize("bad", ["", "/abs/key", "a//b", "a/../b", "a\\b", "trailing/"])
def test_unsafe_keys_are_refused_before_any_request(store, s3_client, bad):
    sent: list[str] = []
    s3_client.meta.events.register("before-call.s3", lambda model, **_: sent.append(model.name))
    with pytest.raises(ValueError, match="blob key"):
        store.put(bad, b"x")
    assert sent == []


def test_a_store_without_prefix_uses_the_bucket_root(s3_client, bucket):
    root = S3BlobStore(s3_client, bucket)
    root.put("exports/a.md", b"a")
    assert s3_client.get_object(Bucket=bucket, Key="exports/a.md")["Body"].read() == b"a"
    assert root.list() == ["exports/a.md"]


def test_a_whole_key_is_its_own_prefix_so_delete_prefix_removes_just_that_blob(store):
    store.put("exports/2026-05-15/m1/old.WITHHELD.txt", b"withheld")
    store.put("exports/2026-05-15/m1/new.pdf", b"%PDF")
    store.put("exports/2026-05-15/m1/old.WITHHELD.txt.bak", b"sibling")
    assert store.list("exports/2026-05-15/m1/old.WITHHELD.txt") == ["exports/2026-05-15/m1/old.WITHHELD.txt"]
    assert store.delete_prefix("exports/2026-05-15/m1/old.WITHHELD.txt") == 1
    assert store.list("exports") == ["exports/2026-05-15/m1/new.pdf", "exports/2026-05-15/m1/old.WITHHELD.txt.bak"]


def test_an_unreachable_endpoint_is_tried_for_the_outage_budget_then_named():
    import socket

    import boto3
    from botocore.config import Config
    from botocore.exceptions import EndpointConnectionError

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = boto3.client(
        "s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="eu-west-1", aws_access_key_id="x",
        aws_secret_access_key="y", config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    attempts: list[str] = []
    client.meta.events.register("before-call.s3", lambda model, **_: attempts.append(model.name))
    store = S3BlobStore(client, "bucket", outage_budget_s=1.5)

    with pytest.raises(EndpointConnectionError, match=f"127.0.0.1:{port}"):
        store.put("exports/2026-05-14/m1/a.md", b"text")
    # botocore tries once per call here; the store kept calling through the budget (waits 0.25, 0.5, 1 s).
    assert len(attempts) >= 3 and set(attempts) == {"HeadObject"}
