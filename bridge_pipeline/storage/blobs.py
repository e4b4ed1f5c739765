"""Blob storage for raw transcripts and exports: a protocol plus the local-folder implementation."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Protocol, runtime_checkable


@runtime_checkable
class BlobStore(Protocol):
    """Bytes under posix-style relative keys such as `exports/2026-01-05/m1/m1-nda.pdf`."""

    def put(self, key: str, data: bytes) -> str:
        """Store `data` under `key` and return its sha256 (hex)."""
        ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete_prefix(self, prefix: str) -> int:
        """Delete every blob under the folder-like `prefix` and return how many there were."""
        ...

    def list(self, prefix: str = "") -> list[str]:
        """Keys under the folder-like `prefix` ("" for all), sorted.

        A prefix names whole key parts: "exports/2026-01-05" covers "exports/2026-01-05/a.pdf" but not
        "exports/2026-01-050/a.pdf" (an S3 implementation lists `prefix + "/"`).
        """
        ...

    def uri(self, key: str) -> str: ...


def validate_key(key: str, *, allow_empty: bool = False) -> str:
    """Return `key` if it is a safe relative posix key; raise ValueError naming it otherwise."""
    if key == "" and allow_empty:
        return key
    if not isinstance(key, str) or key == "":
        raise ValueError(f"blob key {key!r} is empty")
    if "\\" in key:
        raise ValueError(f"blob key {key!r} contains a backslash; use '/' between parts")
    if key.startswith("/") or PurePosixPath(key).is_absolute() or (len(key) > 1 and key[1] == ":"):
        raise ValueError(f"blob key {key!r} is absolute; keys are relative to the store root")
    if "\x00" in key:
        raise ValueError(f"blob key {key!r} contains a NUL character")
    for part in key.split("/"):
        if part == "":
            raise ValueError(f"blob key {key!r} has an empty part (leading, trailing or doubled '/')")
        if part in (".", ".."):
            raise ValueError(f"blob key {key!r} contains {part!r}; keys may not step out of the store")
    return key


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


class LocalBlobStore:
    """Blobs as files under `root`; the key is the path relative to it."""

    # Temp files start with this so `list` can hide a write that is still in flight. The writer's pid
    # follows, so a temp file left by a killed writer (SIGKILL skips the cleanup below) is recognised
    # and swept by the next write into that folder or a delete of it.
    _TEMP_PREFIX = ".tmp-blob-"

    def __init__(self, root: Path):
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        return self.root / validate_key(key)

    def put(self, key: str, data: bytes) -> str:
        path = self._path(key)
        digest = sha256_hex(data)
        self._sweep_abandoned_temps(path.parent)
        # Unchanged content is left alone so mtimes stay stable for sync tools and `make`-style checks.
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        # Same directory as the target, so os.replace is a rename on one filesystem: readers see the
        # old file or the new one, never half of it.
        fd, temp_name = tempfile.mkstemp(prefix=f"{self._TEMP_PREFIX}{os.getpid()}-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp_name, 0o644)
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return digest

    def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise FileNotFoundError(f"no blob stored under key {key!r} (looked at {path})") from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete_prefix(self, prefix: str) -> int:
        keys = self.list(prefix)
        for key in keys:
            (self.root / key).unlink(missing_ok=True)
        base = self.root / prefix if prefix else self.root
        if base.is_dir():
            for directory in [base, *(p for p in base.rglob("*") if p.is_dir())]:
                self._sweep_abandoned_temps(directory)
        self._remove_empty_dirs(prefix)
        return len(keys)

    def _sweep_abandoned_temps(self, directory: Path) -> None:
        """Removes temp files in `directory` whose writing process is gone (killed mid-write)."""
        if not directory.is_dir():
            return
        for temp in directory.glob(f"{self._TEMP_PREFIX}*"):
            pid_text = temp.name[len(self._TEMP_PREFIX):].split("-", 1)[0]
            if not pid_text.isdigit() or _process_gone(int(pid_text)):
                temp.unlink(missing_ok=True)

    def list(self, prefix: str = "") -> list[str]:
        validate_key(prefix, allow_empty=True)
        base = self.root / prefix if prefix else self.root
        if base.is_file():
            # A whole key is its own prefix, so `delete_prefix(key)` removes exactly that blob.
            return [] if base.name.startswith(self._TEMP_PREFIX) else [base.relative_to(self.root).as_posix()]
        if not base.is_dir():
            return []
        return sorted(
            path.relative_to(self.root).as_posix()
            for path in base.rglob("*")
            if path.is_file() and not path.name.startswith(self._TEMP_PREFIX)
        )

    def uri(self, key: str) -> str:
        return self._path(key).as_uri()

    def _remove_empty_dirs(self, prefix: str) -> None:
        base = self.root / prefix if prefix else self.root
        if not base.is_dir():
            return
        # Deepest first, so a parent is empty by the time it is checked; the root itself stays.
        for directory in sorted((p for p in base.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            if not any(directory.iterdir()):
                directory.rmdir()
        if base != self.root and not any(base.iterdir()):
            base.rmdir()
