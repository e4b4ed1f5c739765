"""Collects every text a run leaves behind (databases, buckets, folders) so a test can grep it for secrets."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import pypdf
import sqlalchemy as sa


def _as_text(value: object) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value)
        # Exports are compressed containers: a secret inside a DOCX entry or a PDF text stream hides from a byte grep.
        if value.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(io.BytesIO(value)) as package:
                return "\n".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())
        if value.startswith(b"%PDF"):
            reader = pypdf.PdfReader(io.BytesIO(value))
            return "\n".join([*(page.extract_text() for page in reader.pages), str(reader.metadata)])
        # Dagster keeps job and execution-plan snapshots zlib-compressed; a secret in them would hide from a plain grep.
        try:
            return zlib.decompress(bytes(value)).decode("utf-8", "replace")
        except zlib.error:
            return bytes(value).decode("utf-8", "replace")
    return str(value)


def dump_database(url: str, label: str) -> dict[str, str]:
    """Every row of every table (all schemas but the catalogs), one text per table, keyed '<label> <schema>.<table>'."""
    engine = sa.create_engine(url)
    dumped: dict[str, str] = {}
    try:
        inspector = sa.inspect(engine)
        schemas = [s for s in inspector.get_schema_names() if s not in ("information_schema", "pg_catalog")]
        with engine.connect() as conn:
            for schema in schemas:
                for table in inspector.get_table_names(schema=schema):
                    rows = conn.execute(sa.text(f'SELECT * FROM "{schema}"."{table}"')).all()
                    lines = (" | ".join(_as_text(v) for v in row) for row in rows)
                    dumped[f"{label} {schema}.{table}"] = "\n".join(lines)
    finally:
        engine.dispose()
    return dumped


def dump_bucket(s3, bucket: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            texts[f"s3://{bucket}/{item['Key']}"] = _as_text(body)
    return texts


def dump_folder(root: Path) -> dict[str, str]:
    return {f"file {path}": _as_text(path.read_bytes()) for path in sorted(root.rglob("*")) if path.is_file()}


def leaks(secrets: Mapping[str, str], texts: Mapping[str, str]) -> dict[str, list[str]]:
    """Secret name -> the places its value appears in (empty when it appears nowhere)."""
    found: dict[str, list[str]] = {}
    for name, value in secrets.items():
        places = [where for where, text in texts.items() if value in text]
        if places:
            found[name] = places
    return found


def joined(parts: Iterable[object]) -> str:
    return "\n".join(str(part) for part in parts)


def visible_text(path: Path) -> str:
    """What a reader sees: DOCX body, header, footer and property text; PDF page text; any other file as text."""
    data = path.read_bytes()
    if path.suffix == ".docx":
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            shown = ("word/document", "word/header", "word/footer", "docProps/")
            parts = [n for n in package.namelist() if n.endswith(".xml") and n.startswith(shown)]
            xml = "\n".join(package.read(name).decode("utf-8") for name in parts)
        return re.sub(r"<[^>]+>", " ", xml)
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8", "replace")
