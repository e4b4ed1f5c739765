"""Fixtures of the operations tests: an S3 emulator for the session and a fresh bucket per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from bridge_pipeline_tests.ops.s3_server import MotoServer


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    server = MotoServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3_client(moto_server: MotoServer):
    return moto_server.client("s3")


@pytest.fixture
def bucket(s3_client) -> str:
    name = f"bridge-test-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return name
