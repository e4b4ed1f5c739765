"""Every export file the line writes, withholds or removes is in the audit trail once, with the run that did it."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from bridge_pipeline.storage.audit import AuditLog
from bridge_pipeline_tests.defs.test_blocking_qa import NDA_ENDING_BEFORE_IT_STARTS
from bridge_pipeline_tests.line_fixtures import make_sandbox

DAY = "2026-05-14"
WITHHELD_MEETING = "inbox-20260514-nda-impossible-dates"


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _trail(sandbox) -> list:
    return AuditLog(sandbox.store.engine).entries(dt.date.fromisoformat(DAY))


def test_each_export_file_is_recorded_once_with_its_run_content_and_draft_version(tmp_path):
    sandbox = make_sandbox(tmp_path)
    (sandbox.inbox / DAY / "nda-impossible-dates.vtt").write_text(NDA_ENDING_BEFORE_IT_STARTS, encoding="utf-8")
    first = sandbox.materialize(DAY)

    day = dt.date.fromisoformat(DAY)
    exported, withheld = sandbox.store.load_exports(day)
    drafts = {d.draft_id: d for md in sandbox.store.load_drafts(day).values() for d in md.drafts}
    trail = _trail(sandbox)
    files = [e for e in trail if e.artifact_kind == "export"]
    assert sorted(e.path for e in files) == sorted(f.blob_key for f in exported)
    for entry, item in zip(sorted(files, key=lambda e: e.path), sorted(exported, key=lambda f: f.blob_key)):
        assert entry.action == "written" and entry.run_id == first.run_id
        assert entry.meeting_id == item.meeting_id and entry.content_sha256 == item.sha256
        assert entry.content_sha256 == _sha(sandbox.settings.data_dir / item.blob_key)
        assert entry.detail["format"] == item.format and entry.detail["size_bytes"] == item.size_bytes
        if entry.draft_id is None:
            assert item.document_id.endswith("-decision-record") and entry.draft_version is None
        else:
            assert entry.draft_version == drafts[entry.draft_id].version
    [notice] = [e for e in trail if e.artifact_kind == "withheld_notice"]
    assert (notice.action, notice.meeting_id, notice.run_id) == ("withheld", WITHHELD_MEETING, first.run_id)
    assert notice.draft_id == withheld[0].draft_id and notice.draft_version == 1
    assert notice.content_sha256 == _sha(sandbox.settings.data_dir / notice.path)
    assert len(trail) == len(exported) + 1

    # Re-materializing writes the same bytes: the trail gains nothing.
    sandbox.materialize(DAY)
    assert _trail(sandbox) == trail

    # Withdrawing a meeting removes its files; the trail says so, in the run that did it.
    (sandbox.inbox / DAY / "nda-impossible-dates.vtt").unlink()
    third = sandbox.materialize(DAY)
    added = _trail(sandbox)[len(trail):]
    assert [(e.action, e.path, e.run_id) for e in added] == [("removed", notice.path, third.run_id)]


def test_a_changed_transcript_records_only_the_files_whose_content_changed(tmp_path):
    sandbox = make_sandbox(tmp_path)
    sandbox.materialize(DAY)
    before = _trail(sandbox)
    folder = sandbox.exports(DAY)
    files_before = {p.relative_to(sandbox.settings.data_dir).as_posix(): p.read_bytes() for p in folder.rglob("*.*")}
    vendor = sandbox.inbox / DAY / "vendor-call-nordlicht-kowalczyk.vtt"
    vendor.write_text(vendor.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")  # new bytes, same meaning

    second = sandbox.materialize(DAY)

    files_after = {p.relative_to(sandbox.settings.data_dir).as_posix(): p.read_bytes() for p in folder.rglob("*.*")}
    changed = {key for key, data in files_after.items() if files_before.get(key) != data}
    added = _trail(sandbox)[len(before):]
    # Only the vendor call was redone; of its files only those showing the new transcript digest differ.
    assert changed and {key.split("/")[2] for key in changed} == {"inbox-20260514-vendor-call-nordlicht-kowalczyk"}
    assert len(changed) < len([k for k in files_after if "vendor-call" in k])
    assert sorted(e.path for e in added) == sorted(changed)
    assert {(e.action, e.run_id) for e in added} == {("rewritten", second.run_id)}
    assert all(e.content_sha256 == hashlib.sha256(files_after[e.path]).hexdigest() for e in added)


@pytest.mark.postgres
def test_on_postgresql_a_rerun_adds_no_audit_rows(tmp_path, postgres_database_url):
    sandbox = make_sandbox(tmp_path, database_url=postgres_database_url)
    try:
        first = sandbox.materialize(DAY)
        trail = _trail(sandbox)
        assert trail and {e.run_id for e in trail} == {first.run_id}
        exported, _ = sandbox.store.load_exports(dt.date.fromisoformat(DAY))
        assert len(trail) == len(exported)

        sandbox.materialize(DAY)
        assert _trail(sandbox) == trail
    finally:
        sandbox.store.dispose()
