"""Exports of a draft or decision record: one RenderDocument, drawn as DOCX, PDF and Markdown, plus a JSON bundle.

Entry points: document.document_for_draft / document_for_decision_record, bundle.build_bundle,
exporter.render_all. Nothing here knows where a meeting came from or imports dagster.
"""
