"""A replace that keeps some meetings leaves their rows and stage inputs exactly as stored, in one transaction."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bridge_pipeline.models import DealLink, MeetingDrafts
from bridge_pipeline.storage import tables
from bridge_pipeline.storage.store import PipelineStore, StageInput, StorageConflictError
from bridge_pipeline_tests.storage import sample_records as s
from bridge_pipeline_tests.storage.rewrites import RewriteLog

A, B = s.DAY_A, s.DAY_B


def _rows(store: PipelineStore, table: sa.Table, day=A) -> list[dict]:
    with store.engine.connect() as conn:
        query = sa.select(table).where(table.c.partition_date == day).order_by(table.c.id)
        return [dict(r) for r in conn.execute(query).mappings()]


def _log(store: PipelineStore) -> RewriteLog | None:
    """Deletes and updates logged on SQLite; PostgreSQL never reuses a row id, so equal ids show a row was kept."""
    if store.engine.dialect.name != "sqlite":
        return None
    return RewriteLog(store.engine, [tables.meetings, tables.meeting_decisions, tables.decisions, tables.stage_inputs])


def _input(meeting_id: str, key: str = "k", **counts: int) -> StageInput:
    """Stage inputs of a meeting whose digests are `key` and 'o' repeated to sha256 length."""
    return StageInput(meeting_id, key * 64, "o" * 64, counts, (f"exports/{meeting_id}/a.pdf",))


def test_kept_meetings_keep_their_rows_and_inputs_and_the_rest_is_replaced(store: PipelineStore):
    store.replace_decisions(
        A,
        [s.meeting_decisions("m1"), s.meeting_decisions("m2"), s.meeting_decisions("m3")],
        inputs=[_input("m1", decisions=2), _input("m2"), _input("m3")],
    )
    kept_rows = [r for r in _rows(store, tables.decisions) if r["meeting_id"] == "m1"]
    kept_input = [r for r in _rows(store, tables.stage_inputs) if r["meeting_id"] == "m1"]
    log = _log(store)

    # m1 unchanged, m2 redone with one decision, m3 gone from the day.
    store.replace_decisions(A, [s.meeting_decisions("m2", 1)], kept=["m1"], inputs=[_input("m2", "n")])

    if log is not None:
        assert log.meetings() == {"m2", "m3"}

    assert [r for r in _rows(store, tables.decisions) if r["meeting_id"] == "m1"] == kept_rows
    assert {r["meeting_id"] for r in _rows(store, tables.decisions)} == {"m1", "m2"}
    assert len(store.load_decisions(A)["m2"].decisions) == 1
    assert [r for r in _rows(store, tables.stage_inputs) if r["meeting_id"] == "m1"] == kept_input
    inputs = store.load_stage_inputs(A, "decisions")
    assert sorted(inputs) == ["m1", "m2"]
    assert inputs["m1"] == _input("m1", decisions=2) and inputs["m2"].input_sha256 == "n" * 64


def test_new_rows_for_a_kept_meeting_are_refused_and_nothing_changes(store: PipelineStore):
    store.replace_decisions(A, [s.meeting_decisions("m1")], inputs=[_input("m1")])
    before = _rows(store, tables.decisions), _rows(store, tables.stage_inputs)

    with pytest.raises(ValueError, match="m1"):
        store.replace_decisions(A, [s.meeting_decisions("m1", 1)], kept=["m1"])
    with pytest.raises(ValueError, match="m1"):
        store.replace_decisions(A, [], kept=["m1"], inputs=[_input("m1")])

    assert (_rows(store, tables.decisions), _rows(store, tables.stage_inputs)) == before


def test_a_replace_without_kept_meetings_forgets_that_stages_inputs_of_the_day_only(store: PipelineStore):
    store.replace_transcripts(A, [s.transcript("m1")], inputs=[_input("m1")])
    store.replace_decisions(A, [s.meeting_decisions("m1")], inputs=[_input("m1")])
    store.replace_decisions(B, [s.meeting_decisions("b1")], inputs=[_input("b1")])

    store.replace_decisions(A, [s.meeting_decisions("m1")])

    assert store.load_stage_inputs(A, "decisions") == {}
    assert sorted(store.load_stage_inputs(A, "transcripts")) == ["m1"]
    assert sorted(store.load_stage_inputs(B, "decisions")) == ["b1"]


def test_findings_and_exports_of_kept_meetings_stay_in_meeting_order(store: PipelineStore):
    store.replace_qa_findings(A, [s.finding("m1", "a"), s.finding("m3", "b"), s.finding("m3", "c")])
    store.replace_exports(A, [s.exported_file("m1", "pdf"), s.exported_file("m3", "pdf")], [s.withheld("m3")])

    store.replace_qa_findings(A, [s.finding("m2", "d"), s.finding("m2", "e")], kept=["m1", "m3"])
    store.replace_exports(A, [s.exported_file("m2", "md")], [s.withheld("m2")], kept=["m1", "m3"])

    assert [(f.meeting_id, f.rule_id) for f in store.load_qa_findings(A)] == [
        ("m1", "a"),
        ("m2", "d"),
        ("m2", "e"),
        ("m3", "b"),
        ("m3", "c"),
    ]
    exported, withheld = store.load_exports(A)
    assert [e.meeting_id for e in exported] == ["m1", "m2", "m3"]
    assert [w.meeting_id for w in withheld] == ["m2", "m3"]


def test_kept_meetings_beyond_one_query_list(store: PipelineStore):
    ids = [f"m{n:04d}" for n in range(1200)]
    store.replace_decisions(A, [s.meeting_decisions(m, 1) for m in ids], inputs=[_input(m) for m in ids])

    kept = ids[:7] + ids[8:1100]
    store.replace_decisions(A, [s.meeting_decisions("m0007", 2)], kept=kept, inputs=[_input("m0007", "x")])

    found = store.load_decisions(A)
    assert len(found) == 1100 and len(found["m0007"].decisions) == 2
    assert len(store.load_stage_inputs(A, "decisions")) == 1100


def test_a_conflict_with_kept_meetings_rolls_back(store: PipelineStore):
    store.replace_decisions(
        A, [s.meeting_decisions("m1"), s.meeting_decisions("m2")], inputs=[_input("m1"), _input("m2")]
    )
    store.replace_decisions(B, [s.meeting_decisions("b1")])
    before = _rows(store, tables.decisions), _rows(store, tables.stage_inputs)

    # m2 redone with a decision id day B already holds: the whole replace fails.
    clash = s.meeting_decisions("b1").model_copy(update={"meeting_id": "m2"})
    with pytest.raises(StorageConflictError):
        store.replace_decisions(A, [clash], kept=["m1"], inputs=[_input("m2", "z")])

    assert (_rows(store, tables.decisions), _rows(store, tables.stage_inputs)) == before


def test_unchanged_meetings_keep_their_rows_when_the_day_is_ingested_again(store: PipelineStore):
    store.replace_meetings(A, [s.meeting("m1"), s.meeting("m2"), s.meeting("m3")])
    before = {r["meeting_id"]: r for r in _rows(store, tables.meetings)}
    log = _log(store)

    renamed = s.meeting("m2").model_copy(update={"title": "Renamed"})
    store.replace_meetings(A, [s.meeting("m1"), renamed, s.meeting("m4")], [s.problem("raw_recordings", "x")])

    after = {r["meeting_id"]: r for r in _rows(store, tables.meetings)}
    assert sorted(after) == ["m1", "m2", "m4"]
    assert after["m1"] == before["m1"] and after["m2"]["title"] == "Renamed"
    if log is not None:
        assert log.meetings() == {"m2", "m3"}
    assert [m.title for m in store.load_meetings(A)][1] == "Renamed"
    assert [p.location for p in store.load_problems(A)] == ["x"]


def test_removing_a_draft_version_forgets_what_its_meeting_was_drafted_from(store: PipelineStore):
    later = s.draft("m1", B, version=2).model_copy(update={"meeting_id": "b1", "deal_id": "m1"})
    link = DealLink(meeting_id="b1", deal_id="m1", continues_meeting_id="m1", reason="same title")
    store.replace_decisions(B, [s.meeting_decisions("b1")], inputs=[_input("b1")])
    store.replace_drafts(B, [MeetingDrafts(meeting_id="b1", drafts=(later,), deal=link)], inputs=[_input("b1")])
    store.replace_qa_findings(B, [], inputs=[_input("b1")])
    store.replace_exports(B, [], [], inputs=[_input("b1")])

    store.delete_draft_versions([("m1-sow", 2, B)])

    assert store.load_draft_version("m1-sow", 2) is None
    for stage in ("contract_drafts", "draft_qa", "contract_exports"):
        assert store.load_stage_inputs(B, stage) == {}, stage
    assert sorted(store.load_stage_inputs(B, "decisions")) == ["b1"]


def test_transcripts_load_for_the_meetings_asked_for(store: PipelineStore):
    store.replace_transcripts(A, [s.transcript("m1"), s.transcript("m2", lines=2), s.transcript("m3")])

    assert sorted(store.load_transcripts(A, ["m2", "m3", "nope"])) == ["m2", "m3"]
    assert store.load_transcripts(A, ["m2"])["m2"] == s.transcript("m2", lines=2)
    assert store.load_transcripts(A, []) == {}


def test_stage_inputs_of_an_unknown_stage_are_refused(store: PipelineStore):
    with pytest.raises(ValueError, match="raw_recordings"):
        store.load_stage_inputs(A, "raw_recordings")
