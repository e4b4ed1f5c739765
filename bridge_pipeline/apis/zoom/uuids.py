"""Meeting UUIDs in Zoom URL paths.

A UUID such as "/ajX+Bq==" or "ab//cd==" must be URL-encoded twice, or Zoom's front end decodes the
slashes into path separators and answers 404; other UUIDs are encoded once.
"""

from __future__ import annotations

from urllib.parse import quote


def needs_double_encoding(uuid: str) -> bool:
    return uuid.startswith("/") or "//" in uuid


def encode_meeting_uuid(uuid: str) -> str:
    once = quote(uuid, safe="")
    return quote(once, safe="") if needs_double_encoding(uuid) else once
