from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from bridge_pipeline.errors import BadInputError
from bridge_pipeline.rendering.bundle import BundleValidationError, build_bundle
from bridge_pipeline.rendering.document import document_for_decision_record, document_for_draft
from bridge_pipeline.rendering.exporter import render_all
from bridge_pipeline_tests.rendering import samples

REPO_ROOT = Path(__file__).resolve().parents[2]


def _draft_exports() -> dict[str, bytes]:
    meeting, draft, decisions, findings = samples.meeting(), samples.draft(), samples.decisions(), samples.findings()
    doc = document_for_draft(meeting, draft, findings, decisions)
    return render_all(doc, build_bundle(meeting, draft, decisions, findings, None), draft.draft_id)


def test_render_all_returns_the_four_formats_by_file_name():
    exports = _draft_exports()
    stem = "zoom-2026-03-05-acme-nordlys-nda"
    assert sorted(exports) == sorted(f"{stem}.{ext}" for ext in ("docx", "pdf", "md", "json"))
    assert exports[f"{stem}.pdf"].startswith(b"%PDF")
    assert exports[f"{stem}.docx"].startswith(b"PK")


def test_render_all_refuses_an_invalid_bundle_before_rendering():
    meeting, decisions = samples.meeting(), samples.decisions()
    doc = document_for_decision_record(meeting, decisions, samples.no_draft())
    bundle = build_bundle(meeting, None, decisions, (), samples.no_draft())
    bundle["meeting"]["source"] = "skype"
    with pytest.raises(BundleValidationError, match=r"\$\.meeting\.source"):
        render_all(doc, bundle, doc.document_id)


def test_render_all_refuses_mismatched_document_ids():
    meeting, decisions = samples.meeting(), samples.decisions()
    doc = document_for_decision_record(meeting, decisions, samples.no_draft())
    bundle = build_bundle(meeting, None, decisions, (), samples.no_draft())
    with pytest.raises(BadInputError, match="must match"):
        render_all(doc, bundle, "some-other-id")


_DIGESTS_SCRIPT = """
import hashlib
from bridge_pipeline_tests.rendering.test_exporter import _draft_exports
for name, data in sorted(_draft_exports().items()):
    print(name, hashlib.sha256(data).hexdigest())
"""


def test_exports_are_byte_identical_in_a_fresh_process():
    here = [f"{name} {hashlib.sha256(data).hexdigest()}" for name, data in sorted(_draft_exports().items())]
    result = subprocess.run(
        [sys.executable, "-c", _DIGESTS_SCRIPT], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.split("\n")[:-1] == here
