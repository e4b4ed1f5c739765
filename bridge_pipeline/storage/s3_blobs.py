"""Blob storage in an S3 bucket (or any S3-compatible server), with the same keys as the local store."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import tenacity

from bridge_pipeline.storage.blobs import sha256_hex, validate_key

T = TypeVar("T")

# User metadata key holding the content's sha256; S3 returns it as x-amz-meta-sha256.
SHA256_METADATA = "sha256"
# DeleteObjects accepts at most this many keys per request.
_DELETE_BATCH = 1000
_NOT_FOUND_CODES = {"404", "NoSuchKey", "NotFound"}
# Types a browser or mail client should recognise when a reviewer opens a presigned link.
_CONTENT_TYPES = {
    ".md": "text/markdown; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}


# How long a write or read waits for an S3 endpoint that refuses or drops connections (a restart, a network
# blip) before the error is raised. botocore's own retries (S3_MAX_ATTEMPTS) spend a few seconds at most,
# too little for an endpoint that is down for a while. Every call here is safe to repeat: a put of content
# already stored is skipped, reads change nothing.
OUTAGE_BUDGET_S = 30.0
_OUTAGE_WAIT = tenacity.wait_exponential(multiplier=0.25, max=4.0)  # 0.25, 0.5, 1, 2, 4, 4, ... s


def _connection_failed(error: BaseException) -> bool:
    # botocore is there whenever an S3 client is; imported here so local-blob deployments never load it.
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import HTTPClientError

    return isinstance(error, (BotoConnectionError, HTTPClientError))


def _content_type(key: str) -> str:
    suffix = key[key.rfind(".") :].lower() if "." in key.rsplit("/", 1)[-1] else ""
    return _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"


def _error_code(error: Exception) -> str | None:
    response = getattr(error, "response", None)
    if isinstance(response, Mapping):
        return str(response.get("Error", {}).get("Code"))
    return None


class S3BlobStore:
    """Blobs as objects under `s3://<bucket>/<prefix>/`; the blob key is the object key below the prefix.

    `client` is a boto3 S3 client (dagster-aws's `S3Resource.get_client()` in the pipeline). Writing
    content that is already stored under the key is skipped, so re-materializing a day does not
    rewrite unchanged exports (and bucket versioning does not fill up with identical versions).
    """

    def __init__(
        self,
        client: Any,
        bucket: str,
        prefix: str = "",
        *,
        put_extra_args: Mapping[str, str] | None = None,
        outage_budget_s: float = OUTAGE_BUDGET_S,
    ):
        if not bucket or "/" in bucket:
            raise ValueError(f"S3 bucket name {bucket!r} is empty or contains '/'")
        self._client = client
        self.bucket = bucket
        self.prefix = validate_key(prefix.strip("/"), allow_empty=True)
        # e.g. {"ServerSideEncryption": "aws:kms"}; passed to every PutObject.
        self._put_extra_args = dict(put_extra_args or {})
        self._outage_budget_s = outage_budget_s

    def _through_outages(self, call: Callable[[], T]) -> T:
        """`call`, repeated while the endpoint cannot be reached, for at most the outage budget."""
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(_connection_failed),
            wait=_OUTAGE_WAIT,
            stop=tenacity.stop_after_delay(self._outage_budget_s),
            reraise=True,
        )
        return retrying(call)

    def _object_key(self, key: str) -> str:
        validate_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> str:
        object_key = self._object_key(key)
        return self._through_outages(lambda: self._put(key, object_key, data))

    def _put(self, key: str, object_key: str, data: bytes) -> str:
        digest = sha256_hex(data)
        if self._already_stored(object_key, data, digest):
            return digest
        self._client.put_object(
            Bucket=self.bucket,
            Key=object_key,
            Body=data,
            ContentType=_content_type(key),
            Metadata={SHA256_METADATA: digest},
            **self._put_extra_args,
        )
        return digest

    def _already_stored(self, object_key: str, data: bytes, digest: str) -> bool:
        try:
            head = self._client.head_object(Bucket=self.bucket, Key=object_key)
        except Exception as error:  # botocore's ClientError; not imported so tests can pass any client
            if _error_code(error) in _NOT_FOUND_CODES:
                return False
            raise
        if head.get("ContentLength") != len(data):
            return False
        stored_sha = (head.get("Metadata") or {}).get(SHA256_METADATA)
        if stored_sha is not None:
            return stored_sha == digest
        # Objects written by other tools carry no sha256; a single-part upload's ETag is its MD5.
        etag = str(head.get("ETag", "")).strip('"')
        return "-" not in etag and etag == hashlib.md5(data, usedforsecurity=False).hexdigest()

    def get(self, key: str) -> bytes:
        object_key = self._object_key(key)
        return self._through_outages(lambda: self._get(key, object_key))

    def _get(self, key: str, object_key: str) -> bytes:
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=object_key)
        except Exception as error:
            if _error_code(error) in _NOT_FOUND_CODES:
                raise FileNotFoundError(
                    f"no blob stored under key {key!r} (looked at s3://{self.bucket}/{object_key})"
                ) from None
            raise
        with response["Body"] as body:
            return body.read()

    def exists(self, key: str) -> bool:
        object_key = self._object_key(key)
        return self._through_outages(lambda: self._exists(object_key))

    def _exists(self, object_key: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=object_key)
        except Exception as error:
            if _error_code(error) in _NOT_FOUND_CODES:
                return False
            raise
        return True

    def delete_prefix(self, prefix: str) -> int:
        return self._through_outages(lambda: self._delete_prefix(prefix))

    def _delete_prefix(self, prefix: str) -> int:
        keys = self.list(prefix)
        object_keys = [self._object_key(key) for key in keys]
        for start in range(0, len(object_keys), _DELETE_BATCH):
            batch = object_keys[start : start + _DELETE_BATCH]
            response = self._client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True}
            )
            failed = response.get("Errors") or []
            if failed:
                first = failed[0]
                raise OSError(
                    f"deleting {len(failed)} object(s) under {self.uri(prefix) if prefix else self.uri_root()} failed, "
                    f"first {first.get('Key')!r}: {first.get('Code')} {first.get('Message')}"
                )
        return len(keys)

    def list(self, prefix: str = "") -> list[str]:
        """Keys under the folder-like `prefix`, plus `prefix` itself when it is a whole key (as the local store)."""
        validate_key(prefix, allow_empty=True)
        return self._through_outages(lambda: self._list(prefix))

    def _list(self, prefix: str) -> list[str]:
        strip = len(self.prefix) + 1 if self.prefix else 0
        exact = self._object_key(prefix) if prefix else None
        request_prefix = exact or (f"{self.prefix}/" if self.prefix else "")
        keys: list[str] = []
        paginator = self._client.get_paginator("list_objects_v2")
        # One listing of `prefix` covers both the whole key and its folder; siblings that merely
        # start with the same characters ("2026-01-050") are filtered out here.
        for page in paginator.paginate(Bucket=self.bucket, Prefix=request_prefix):
            for item in page.get("Contents", []):
                key = item["Key"]
                if exact is None or key == exact or key.startswith(exact + "/"):
                    keys.append(key[strip:])
        return sorted(keys)

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._object_key(key)}"

    def uri_root(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"
