"""Export files served by the desk: only those the store lists as exported for a day, read from the blob store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bridge_pipeline.models import ExportedFile
from bridge_pipeline.storage.store import PipelineStore

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    # Shown in the browser as text: Markdown has no registered type browsers display.
    "md": "text/plain; charset=utf-8",
    "json": "application/json",
}
# Opened in the browser; the others are downloaded.
SHOWN_INLINE = ("md", "json")
FORMAT_ORDER = ("pdf", "docx", "md", "json")


@dataclass(frozen=True)
class ExportLink:
    format: str
    filename: str
    url: str
    size_bytes: int


def filename_of(item: ExportedFile) -> str:
    return item.blob_key.rsplit("/", 1)[-1]


def file_url(day: dt.date, item: ExportedFile) -> str:
    return f"/files/{day.isoformat()}/{item.meeting_id}/{filename_of(item)}"


def links_for(day: dt.date, exported: list[ExportedFile], meeting_id: str, document_id: str) -> list[ExportLink]:
    """The files of one document, PDF first."""
    found = [f for f in exported if f.meeting_id == meeting_id and f.document_id == document_id]
    found.sort(key=lambda f: FORMAT_ORDER.index(f.format) if f.format in FORMAT_ORDER else len(FORMAT_ORDER))
    return [ExportLink(f.format, filename_of(f), file_url(day, f), f.size_bytes) for f in found]


def listed_export(store: PipelineStore, day: dt.date, meeting_id: str, filename: str) -> ExportedFile | None:
    """The exported file of that day, meeting and name, if the exports table lists one; never a path guess."""
    exported, _ = store.load_exports(day)
    return next((f for f in exported if f.meeting_id == meeting_id and filename_of(f) == filename), None)
