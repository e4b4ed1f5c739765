"""The whole line on the embedded defaults: inbox transcripts in, four export formats per meeting out."""

from __future__ import annotations

import hashlib
import json

import pytest
from dagster import AssetKey, instance_for_test

from bridge_pipeline.models import WATERMARK
from bridge_pipeline_tests.line_fixtures import make_sandbox

DAY = "2026-05-14"
NEXT_DAY = "2026-05-15"


def _digest_tree(root):
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def sandbox(tmp_path):
    return make_sandbox(tmp_path)


def test_every_sample_meeting_gets_all_four_formats(sandbox):
    result = sandbox.materialize(DAY)
    assert result.success
    meetings = sandbox.store.load_meetings(__import__("datetime").date.fromisoformat(DAY))
    assert len(meetings) == len([p for p in (sandbox.inbox / DAY).iterdir() if not p.name.endswith(".meta.json")])
    for meeting in meetings:
        folder = sandbox.exports(DAY) / meeting.meeting_id
        suffixes = {p.suffix for p in folder.iterdir()}
        assert {".docx", ".pdf", ".md", ".json"} <= suffixes, f"{meeting.meeting_id}: {suffixes}"
        for md in folder.glob("*.md"):
            assert WATERMARK in md.read_text(encoding="utf-8")
        for bundle in folder.glob("*.json"):
            assert json.loads(bundle.read_text(encoding="utf-8"))["watermark"] == WATERMARK


def test_rematerializing_a_day_gives_the_same_rows_and_identical_files(sandbox):
    import datetime as dt

    day = dt.date.fromisoformat(DAY)
    sandbox.materialize(DAY)
    first_counts = sandbox.store.row_counts(day)
    first_files = _digest_tree(sandbox.exports(DAY))
    sandbox.materialize(DAY)
    assert sandbox.store.row_counts(day) == first_counts
    assert _digest_tree(sandbox.exports(DAY)) == first_files
    assert first_counts["decisions"] > 0 and first_counts["utterances"] > 0


def test_a_range_of_days_is_materialized_in_a_single_run(sandbox):
    with instance_for_test() as instance:
        result = sandbox.materialize(
            instance=instance,
            tags={
                "dagster/asset_partition_range_start": DAY,
                "dagster/asset_partition_range_end": NEXT_DAY,
            },
        )
        assert result.success
        assert len(instance.get_runs()) == 1
        for name in ("raw_recordings", "contract_exports"):
            assert instance.get_materialized_partitions(AssetKey(name)) == {DAY, NEXT_DAY}
    assert any(sandbox.exports(NEXT_DAY).iterdir())


def test_bad_files_are_recorded_and_the_rest_of_the_day_still_exports(sandbox):
    import datetime as dt

    day_dir = sandbox.inbox / DAY
    (day_dir / "empty.vtt").write_bytes(b"")
    (day_dir / "garbage.vtt").write_bytes(b"\x00\x01\x02binary\xff\xfe")
    (day_dir / "truncated.vtt").write_bytes(b"WEBVTT\n\n1\n00:00:01.000 --> 00:0")
    (day_dir / "weekly-standup.meta.json").write_text("{not json", encoding="utf-8")
    result = sandbox.materialize(DAY)
    assert result.success
    check = next(
        c for c in result.get_asset_check_evaluations() if c.check_name == "every_transcript_parsed"
    )
    assert not check.passed
    day = dt.date.fromisoformat(DAY)
    problems = sandbox.store.load_problems(day)
    located = {p.location.rsplit("/", 1)[-1] for p in problems}
    assert {"empty.vtt", "garbage.vtt", "truncated.vtt", "weekly-standup.meta.json"} <= located
    exported_meetings = {e.meeting_id for e in sandbox.store.load_exports(day)[0]}
    assert len(exported_meetings) == 3


@pytest.mark.postgres
def test_the_line_runs_on_postgresql_with_the_same_rows_after_a_rerun(tmp_path, postgres_database_url):
    import datetime as dt

    sandbox = make_sandbox(tmp_path, database_url=postgres_database_url)
    day = dt.date.fromisoformat(DAY)
    sandbox.materialize(DAY)
    first = sandbox.store.row_counts(day)
    sandbox.materialize(DAY)
    assert sandbox.store.row_counts(day) == first
    assert first["meetings"] == 3 and first["exports"] > 0
