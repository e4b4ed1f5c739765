"""The S3 server (moto in server mode on 127.0.0.1) is down for a while during a day's run.

What must hold, on the stored rows, the bucket's objects and the materialization records: writes made
while S3 was down are retried; no object is half-written; and the day either completes or fails with an
error naming the S3 endpoint, after which a retry of the day leaves exactly the rows and export objects of
a clean run.
"""

from __future__ import annotations

import threading
import uuid

from dagster import AssetKey, DagsterInstance

from bridge_pipeline.settings import load_settings
from bridge_pipeline.storage.s3_blobs import S3BlobStore
from bridge_pipeline_tests.faults.harness import DAY, LINE_ASSET_NAMES, assert_same_as_clean, many_meetings_inbox, snapshot
from bridge_pipeline_tests.faults.tcp_outage import OutageProxy
from bridge_pipeline_tests.line_fixtures import LineSandbox
from bridge_pipeline_tests.ops.conftest import moto_server  # noqa: F401 - the session's S3 emulator
from bridge_pipeline_tests.ops.s3_server import MotoServer

OUTAGE_S = 3.0
COPIES = 10


def _sandbox(tmp_path, endpoint: str, bucket: str, monkeypatch, moto: MotoServer) -> LineSandbox:
    inbox = tmp_path / "inbox"
    if not inbox.exists():
        many_meetings_inbox(inbox, COPIES)
    for name, value in moto.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    env = {"BRIDGE_INBOX_DIR": str(inbox), "BRIDGE_DATA_DIR": str(tmp_path / f"data-{bucket}"),
           "BRIDGE_BLOB_STORE": "s3", "BRIDGE_S3_BUCKET": bucket, "BRIDGE_S3_ENDPOINT_URL": endpoint,
           "BRIDGE_S3_REGION": "eu-west-1"}
    return LineSandbox(load_settings(env))


def _objects(moto: MotoServer, bucket: str) -> dict[str, bytes]:
    s3 = moto.client("s3")
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="exports/")
            for o in page.get("Contents", [])]
    return {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def _bucket(moto: MotoServer) -> str:
    name = f"bridge-fault-{uuid.uuid4().hex[:10]}"
    moto.client("s3").create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return name


def test_s3_down_for_a_while_writes_are_retried_and_the_day_matches_a_clean_run(moto_server, tmp_path, monkeypatch):  # noqa: F811
    clean_bucket = _bucket(moto_server)
    clean_line = _sandbox(tmp_path, moto_server.endpoint_url, clean_bucket, monkeypatch, moto_server)
    assert clean_line.materialize(DAY.isoformat()).success
    clean_rows, clean_objects = snapshot(clean_line.settings), _objects(moto_server, clean_bucket)
    assert clean_objects

    proxy = OutageProxy(moto_server.port)
    try:
        bucket = _bucket(moto_server)
        line = _sandbox(tmp_path, proxy.url, bucket, monkeypatch, moto_server)
        outage_done = threading.Event()
        original_put = S3BlobStore.put

        def put(store, key, data):
            # S3 goes down just as the run writes its first export, for OUTAGE_S.
            if key.startswith("exports/") and not proxy.down.is_set() and not outage_done.is_set():
                proxy.go_down()
                threading.Timer(OUTAGE_S, lambda: (proxy.come_back(), outage_done.set())).start()
            return original_put(store, key, data)

        monkeypatch.setattr(S3BlobStore, "put", put)
        with DagsterInstance.ephemeral() as instance:
            first = line.materialize(DAY.isoformat(), instance=instance, raise_on_error=False)
            outage_done.wait(OUTAGE_S + 5)
            assert outage_done.is_set(), "the outage never started: the run wrote no export"
            assert proxy.refused_while_down > 0, "no request reached S3 while it was down"

            # No half-written object: every export object present is byte-identical to a clean run's.
            during = _objects(moto_server, bucket)
            for key, content in during.items():
                assert clean_objects.get(key) == content, key

            # The outage is shorter than the store's outage budget: the writes wait it out, the run completes.
            failures = [e.event_specific_data.error.to_string() for e in first.all_events if e.is_step_failure]
            assert first.success, "\n".join(failures)
            materialized = {
                name: instance.get_latest_materialization_event(AssetKey(name)) for name in LINE_ASSET_NAMES
            }
        assert all(m is not None and m.dagster_event.partition == DAY.isoformat() for m in materialized.values())
        assert_same_as_clean(snapshot(line.settings), clean_rows)
        assert _objects(moto_server, bucket) == clean_objects
        print(f"\nS3 down {OUTAGE_S:g} s mid-export: the run completed; "
              f"{proxy.refused_while_down} connections refused while down")
    finally:
        proxy.stop()
