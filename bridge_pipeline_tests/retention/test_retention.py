"""Retention deletes raw recordings, transcripts and utterances of old days, keeps what was made of them,
records each deletion in the audit trail, and leaves a purged day closed to re-creation."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from bridge_pipeline.retention import cutoff_day, purge_expired
from bridge_pipeline.speech.recordings import speech_filename
from bridge_pipeline.storage.audit import AuditLog
from bridge_pipeline_tests.incremental.line import CountingExtractor, Line
from bridge_pipeline_tests.storage import sample_records

OLD = dt.date(2026, 5, 14)
RECENT = dt.date(2026, 6, 10)
TODAY = dt.date(2026, 6, 20)
DAYS = 30  # cutoff 2026-05-21: OLD is purged, RECENT kept
PERSONAL = ("transcripts", "utterances")


def _two_days(root: Path, meetings: int = 5, database_url: str | None = None) -> Line:
    line = Line(root, database_url=database_url)
    for day in (OLD, RECENT):
        line.build_day(day, meetings)
        line.run(day)
    return line


def _kept_rows(line: Line, day: dt.date) -> dict:
    return {name: rows for name, rows in line.rows(day).items() if name not in PERSONAL}


@pytest.fixture
def line(tmp_path: Path):
    line = _two_days(tmp_path / "line")
    yield line
    line.store.dispose()


def test_old_days_lose_raw_recordings_and_transcripts_and_keep_everything_made_of_them(line: Line):
    kept, files = _kept_rows(line, OLD), line.files(OLD)
    recent_rows, recent_files = line.rows(RECENT), line.files(RECENT)
    raw = line.blobs.list(f"raw/{OLD.isoformat()}")
    utterances = len(line.rows(OLD)["utterances"])
    meetings = {m.raw_blob_key: m for m in line.store.load_meetings(OLD)}
    assert len(raw) == 5 and utterances > 0

    report = purge_expired(line.store, line.blobs, days=DAYS, today=TODAY, run_id="purge-1")

    assert report.cutoff == cutoff_day(TODAY, DAYS) == dt.date(2026, 5, 21) and report.days == [OLD]
    assert report.counts == {"raw_recordings": 5, "speech_cache": 0, "transcripts": 5, "utterances": utterances,
                             "audit_entries": 10}
    assert line.blobs.list(f"raw/{OLD.isoformat()}") == []
    assert not (line.blobs.root / "raw" / OLD.isoformat()).exists()  # no empty folders named after meetings
    assert {name: line.rows(OLD)[name] for name in PERSONAL} == {"transcripts": [], "utterances": []}
    # Meetings, decisions, drafts, QA, exports and stage inputs stay row for row; the files byte for byte.
    assert _kept_rows(line, OLD) == kept and line.files(OLD) == files
    # Provenance needs no transcript: every citation still carries its quote.
    citations = [c for md in line.store.load_decisions(OLD).values() for d in md.decisions for c in d.citations]
    citations += [c for md in line.store.load_drafts(OLD).values() for d in md.drafts for f in d.fields
                  for c in f.citations]
    assert citations and all(c.quote.strip() for c in citations)
    # The recent day is untouched.
    assert line.rows(RECENT) == recent_rows and line.files(RECENT) == recent_files
    assert len(line.blobs.list(f"raw/{RECENT.isoformat()}")) == 5

    trail = AuditLog(line.store.engine).entries(OLD, actions=["purged"])
    assert {e.run_id for e in trail} == {"purge-1"}
    assert all(e.detail["retention_days"] == DAYS and e.detail["cutoff"] == "2026-05-21" for e in trail)
    recordings = [e for e in trail if e.artifact_kind == "raw_recording"]
    assert sorted(e.path for e in recordings) == raw
    assert all(e.content_sha256 == meetings[e.path].content_sha256 for e in recordings)
    transcripts = [e for e in trail if e.artifact_kind == "transcript"]
    assert sorted(e.meeting_id for e in transcripts) == sorted(m.meeting_id for m in meetings.values())
    assert sum(e.detail["utterances"] for e in transcripts) == utterances
    assert all(e.content_sha256 for e in transcripts)  # the digest of the transcript that was deleted


def test_purging_again_deletes_nothing_and_records_nothing(line: Line):
    purge_expired(line.store, line.blobs, days=DAYS, today=TODAY, run_id="purge-1")
    trail = AuditLog(line.store.engine).entries()

    again = purge_expired(line.store, line.blobs, days=DAYS, today=TODAY + dt.timedelta(days=1), run_id="purge-2")

    assert again.days == [] and AuditLog(line.store.engine).entries() == trail


def test_rematerializing_a_purged_day_recreates_nothing_and_keeps_drafts_and_exports(line: Line):
    purge_expired(line.store, line.blobs, days=DAYS, today=TODAY, run_id="purge-1")
    rows, files, trail = line.rows(OLD), line.files(OLD), AuditLog(line.store.engine).entries()

    # The inbox still holds the day's files, and another extractor would redo every meeting of a live day.
    extractor = CountingExtractor(name="offline-rules-v999")
    work = line.run(OLD, extractor=extractor)

    assert extractor.calls == [] and work.nothing()
    for stage in ("raw_recordings", "transcripts", "decisions"):
        assert work.reports[stage].counts["days_purged"] == 1, stage
    assert line.blobs.list(f"raw/{OLD.isoformat()}") == []
    assert line.rows(OLD) == rows and line.files(OLD) == files
    assert AuditLog(line.store.engine).entries() == trail


def test_a_purge_that_died_before_deleting_the_blobs_is_finished_by_the_next_run(line: Line, monkeypatch):
    real_delete = line.blobs.delete_prefix

    def dies(prefix: str) -> int:
        raise OSError("killed")

    monkeypatch.setattr(line.blobs, "delete_prefix", dies)
    with pytest.raises(OSError):
        purge_expired(line.store, line.blobs, days=DAYS, today=TODAY, run_id="purge-1")
    trail = AuditLog(line.store.engine).entries()
    assert len(line.blobs.list(f"raw/{OLD.isoformat()}")) == 5 and line.rows(OLD)["transcripts"] == []

    monkeypatch.setattr(line.blobs, "delete_prefix", real_delete)
    report = purge_expired(line.store, line.blobs, days=DAYS, today=TODAY, run_id="purge-2")

    assert report.days == [OLD] and report.counts["raw_recordings"] == 5
    assert line.blobs.list(f"raw/{OLD.isoformat()}") == []
    assert AuditLog(line.store.engine).entries() == trail  # the first run had recorded them already


def test_speech_to_text_cache_entries_of_purged_meetings_go_too(tmp_path: Path):
    line = Line(tmp_path / "line")
    document = b'[{"speaker": "A", "start": 0, "end": 2, "text": "We agree."}]'
    sha = hashlib.sha256(document).hexdigest()
    key = f"raw/{OLD.isoformat()}/zoom-m1/{speech_filename('zoom-m1')}"
    meeting = sample_records.meeting("zoom-m1", OLD).model_copy(update={"raw_blob_key": key, "content_sha256": sha})
    line.store.replace_meetings(OLD, [meeting])
    line.blobs.put(key, document)
    line.blobs.put("cache/stt/from-audio-of-m1.json", document)
    line.blobs.put("cache/stt/someone-else.json", b"[]")
    try:
        report = purge_expired(line.store, line.blobs, days=DAYS, today=TODAY)
    finally:
        line.store.dispose()

    assert report.counts["speech_cache"] == 1 and report.counts["raw_recordings"] == 1
    assert line.blobs.list("cache/stt") == ["cache/stt/someone-else.json"]
    [entry] = AuditLog(line.store.engine).entries(OLD, kinds=["speech_cache"])
    assert (entry.path, entry.meeting_id, entry.content_sha256) == ("cache/stt/from-audio-of-m1.json", "zoom-m1", sha)


@pytest.mark.postgres
def test_on_postgresql_a_purged_day_keeps_its_drafts_and_a_rerun_recreates_nothing(tmp_path, postgres_database_url):
    line = _two_days(tmp_path / "pg", meetings=3, database_url=postgres_database_url)
    try:
        kept, files = _kept_rows(line, OLD), line.files(OLD)

        report = purge_expired(line.store, line.blobs, days=DAYS, today=TODAY, run_id="purge-pg")
        line.run(OLD)

        assert report.days == [OLD] and report.counts["transcripts"] == 3
        assert {name: line.rows(OLD)[name] for name in PERSONAL} == {"transcripts": [], "utterances": []}
        assert _kept_rows(line, OLD) == kept and line.files(OLD) == files
        assert line.blobs.list(f"raw/{OLD.isoformat()}") == []
        assert len(AuditLog(line.store.engine).entries(OLD, actions=["purged"])) == 6
    finally:
        line.store.dispose()
