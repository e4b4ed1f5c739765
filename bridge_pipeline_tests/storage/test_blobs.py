"""LocalBlobStore: safe keys, atomic writes, stable mtimes for unchanged content, prefix listing and deletion."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from bridge_pipeline.storage.blobs import BlobStore, LocalBlobStore


@pytest.fixture
def blobs(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


def test_local_store_satisfies_the_protocol(blobs: LocalBlobStore):
    assert isinstance(blobs, BlobStore)


def test_put_returns_sha256_and_get_returns_the_bytes(blobs: LocalBlobStore):
    data = "Łukasz i 田中: umowa".encode()

    digest = blobs.put("raw/2026-01-05/m1/transcript.vtt", data)

    assert digest == hashlib.sha256(data).hexdigest()
    assert blobs.get("raw/2026-01-05/m1/transcript.vtt") == data
    assert blobs.exists("raw/2026-01-05/m1/transcript.vtt")
    assert not blobs.exists("raw/2026-01-05/m1/other.vtt")


@pytest.mark.parametrize(
    "key",
    ["/etc/passwd", "../outside", "raw/../../outside", "raw\\m1.vtt", "raw//m1.vtt", "raw/m1/", "", "./raw", "C:/x"],
)
def test_unsafe_keys_are_rejected_naming_the_key(blobs: LocalBlobStore, key: str):
    with pytest.raises(ValueError, match="blob key"):
        blobs.put(key, b"x")
    with pytest.raises(ValueError, match=repr(key).replace("\\", "\\\\")):
        blobs.get(key)
    assert not (blobs.root.parent / "outside").exists()


def test_rewriting_identical_bytes_keeps_the_file_and_its_mtime(blobs: LocalBlobStore):
    blobs.put("exports/a.pdf", b"%PDF-1.7 same")
    path = blobs.root / "exports/a.pdf"
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    inode = path.stat().st_ino

    blobs.put("exports/a.pdf", b"%PDF-1.7 same")

    assert path.stat().st_mtime_ns == 1_000_000_000_000_000_000
    assert path.stat().st_ino == inode


def test_changed_bytes_replace_the_file_atomically_by_rename(blobs: LocalBlobStore):
    blobs.put("exports/a.pdf", b"old")
    path = blobs.root / "exports/a.pdf"
    old_inode = path.stat().st_ino
    reader = path.open("rb")  # a reader holding the old file keeps seeing it whole

    blobs.put("exports/a.pdf", b"new content")

    assert path.read_bytes() == b"new content"
    assert path.stat().st_ino != old_inode
    assert reader.read() == b"old"
    reader.close()
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.pdf"]


def test_failed_write_leaves_the_old_blob_and_no_temp_file(blobs: LocalBlobStore, monkeypatch: pytest.MonkeyPatch):
    blobs.put("exports/a.pdf", b"old")

    def refuse(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        blobs.put("exports/a.pdf", b"new")

    assert blobs.get("exports/a.pdf") == b"old"
    assert sorted(p.name for p in (blobs.root / "exports").iterdir()) == ["a.pdf"]


def test_list_is_sorted_and_respects_whole_key_parts(blobs: LocalBlobStore):
    for key in ["exports/2026-01-05/m2/x.md", "exports/2026-01-05/m1/x.md", "exports/2026-01-050/m1/x.md", "raw/a"]:
        blobs.put(key, b"x")

    assert blobs.list("exports/2026-01-05") == ["exports/2026-01-05/m1/x.md", "exports/2026-01-05/m2/x.md"]
    assert blobs.list("") == sorted(blobs.list("exports") + ["raw/a"])
    assert blobs.list("nothing/here") == []


def test_delete_prefix_removes_only_that_folder_and_counts(blobs: LocalBlobStore):
    for key in ["exports/2026-01-05/m1/a.pdf", "exports/2026-01-05/m1/a.md", "exports/2026-01-06/m1/a.pdf"]:
        blobs.put(key, b"x")

    assert blobs.delete_prefix("exports/2026-01-05") == 2

    assert blobs.list("exports") == ["exports/2026-01-06/m1/a.pdf"]
    assert not (blobs.root / "exports/2026-01-05").exists()
    assert blobs.delete_prefix("exports/2026-01-05") == 0


def test_uri_is_a_file_uri_inside_the_root(blobs: LocalBlobStore):
    uri = blobs.uri("exports/a b.pdf")

    assert uri.startswith("file://")
    assert uri.endswith("/blobs/exports/a%20b.pdf")


def test_get_of_a_missing_key_names_the_key(blobs: LocalBlobStore):
    with pytest.raises(FileNotFoundError, match="raw/missing.vtt"):
        blobs.get("raw/missing.vtt")


def test_delete_prefix_of_a_whole_key_removes_just_that_blob(blobs: LocalBlobStore):
    blobs.put("exports/2026-05-15/m1/old.WITHHELD.txt", b"withheld")
    blobs.put("exports/2026-05-15/m1/new.pdf", b"%PDF")

    assert blobs.list("exports/2026-05-15/m1/old.WITHHELD.txt") == ["exports/2026-05-15/m1/old.WITHHELD.txt"]
    assert blobs.delete_prefix("exports/2026-05-15/m1/old.WITHHELD.txt") == 1
    assert blobs.list("exports") == ["exports/2026-05-15/m1/new.pdf"]
