"""The file route serves the export files the exports table lists, byte for byte, and nothing else."""

from __future__ import annotations

import hashlib

import pytest

from bridge_pipeline_tests.review_desk.desk_fixtures import CALL_ID, DAY_1, DRAFT_ID


def test_a_listed_export_is_served_with_its_recorded_bytes(client, store):
    exported, _ = store.load_exports(DAY_1)
    served = {}
    for item in exported:
        name = item.blob_key.rsplit("/", 1)[-1]
        response = client.get(f"/files/{DAY_1}/{item.meeting_id}/{name}")
        assert response.status_code == 200, name
        assert hashlib.sha256(response.content).hexdigest() == item.sha256
        served[item.format] = response
    assert set(served) == {"pdf", "docx", "md", "json"}
    assert served["pdf"].headers["content-type"] == "application/pdf"
    assert served["pdf"].headers["content-disposition"].startswith("attachment;")
    assert served["md"].headers["content-disposition"].startswith("inline;")
    assert "Not legally binding until reviewed by counsel" in served["md"].text
    assert served["md"].headers["cache-control"] == "no-store"


def test_a_file_in_the_blob_store_but_not_in_the_exports_table_is_refused(client, line):
    planted = line.root / "data" / "exports" / DAY_1.isoformat() / CALL_ID / "planted.md"
    planted.write_text("not an export")
    assert client.get(f"/files/{DAY_1}/{CALL_ID}/planted.md").status_code == 404
    # The raw transcript is a blob too, under another prefix: not reachable either.
    assert client.get(f"/files/{DAY_1}/{CALL_ID}/nda-call-ostwind.txt").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/files/{DAY_1}/{CALL_ID}/..%2F..%2F..%2Fbridge.sqlite3",
        f"/files/{DAY_1}/..%2Fraw/nda-call-ostwind.txt",
        f"/files/{DAY_1}/{CALL_ID}/%2Fetc%2Fpasswd",
        f"/files/not-a-day/{CALL_ID}/{DRAFT_ID}.md",
        f"/files/2026-05-15/{CALL_ID}/{DRAFT_ID}.md",  # a real file, but listed for another day
        f"/files/{DAY_1}/../../bridge.sqlite3",
    ],
)
def test_paths_outside_the_listed_exports_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "SQLite" not in response.text and "root:" not in response.text


def test_a_listed_file_missing_from_the_blob_store_is_404(client, line):
    (line.root / "data" / "exports" / DAY_1.isoformat() / CALL_ID / f"{DRAFT_ID}.md").unlink()
    response = client.get(f"/files/{DAY_1}/{CALL_ID}/{DRAFT_ID}.md")
    assert response.status_code == 404 and "missing from the blob store" in response.text
