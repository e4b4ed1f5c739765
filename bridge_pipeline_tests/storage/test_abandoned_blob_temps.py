"""A local blob write killed mid-way (SIGKILL skips its cleanup) leaves a hidden temp file; the next write
into that folder, or a delete of it, removes it, while a temp of a live writer is left alone."""

from __future__ import annotations

import os
import subprocess
import sys

from bridge_pipeline.storage.blobs import LocalBlobStore


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_write_sweeps_temps_of_dead_writers_and_keeps_live_ones(tmp_path):
    store = LocalBlobStore(tmp_path)
    folder = tmp_path / "exports" / "2026-05-14" / "m1"
    folder.mkdir(parents=True)
    dead = folder / f".tmp-blob-{_dead_pid()}-abc123"
    live = folder / f".tmp-blob-{os.getppid()}-def456"
    for temp in (dead, live):
        temp.write_bytes(b"PK\x03\x04half")
    store.put("exports/2026-05-14/m1/m1.md", b"# draft\n")
    assert not dead.exists() and live.exists()
    assert store.list("exports/2026-05-14") == ["exports/2026-05-14/m1/m1.md"]


def test_deleting_a_folder_removes_an_abandoned_temp_and_the_folder(tmp_path):
    store = LocalBlobStore(tmp_path)
    store.put("exports/2026-05-14/m1/m1.md", b"# draft\n")
    (tmp_path / "exports" / "2026-05-14" / "m1" / f".tmp-blob-{_dead_pid()}-x").write_bytes(b"half")
    assert store.delete_prefix("exports/2026-05-14/m1") == 1
    assert not (tmp_path / "exports" / "2026-05-14" / "m1").exists()
