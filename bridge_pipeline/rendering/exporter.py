"""All four exports of one document at once, as file name -> bytes, the bundle checked against its schema first."""

from __future__ import annotations

from typing import Any

from bridge_pipeline.errors import BadInputError
from bridge_pipeline.rendering.bundle import render_json, validate_bundle
from bridge_pipeline.rendering.document import RenderDocument
from bridge_pipeline.rendering.docx import render_docx
from bridge_pipeline.rendering.filenames import export_filename
from bridge_pipeline.rendering.markdown import render_markdown
from bridge_pipeline.rendering.pdf import render_pdf


def render_all(doc: RenderDocument, bundle: dict[str, Any], document_id: str) -> dict[str, bytes]:
    """{'<id>.docx': ..., '<id>.pdf': ..., '<id>.md': ..., '<id>.json': ...}; raises before rendering a bad bundle."""
    document = bundle.get("document")
    bundle_id = document.get("document_id") if isinstance(document, dict) else None
    if not (doc.document_id == document_id == bundle_id):
        raise BadInputError(
            f"document {document_id!r}",
            f"render document is {doc.document_id!r} and bundle is {bundle_id!r}; all three ids must match",
        )
    validate_bundle(bundle)
    return {
        export_filename(document_id, "docx"): render_docx(doc),
        export_filename(document_id, "pdf"): render_pdf(doc),
        export_filename(document_id, "md"): render_markdown(doc),
        export_filename(document_id, "json"): render_json(bundle),
    }
