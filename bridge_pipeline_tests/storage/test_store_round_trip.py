"""Every record type comes back from the store equal to what went in, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from bridge_pipeline.storage import tables
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline_tests.storage import sample_records as s

DAY = s.DAY_A


def test_meetings_round_trip_with_offsets_and_non_ascii_names(store: PipelineStore):
    meetings = [s.meeting("m2"), s.meeting("m1")]

    store.replace_meetings(DAY, meetings, [s.problem("raw_recordings", "inbox/2026-01-05/bad.vtt")])

    loaded = store.load_meetings(DAY)
    assert loaded == sorted(meetings, key=lambda m: m.meeting_id)
    assert loaded[0].started_at.utcoffset() == s.WARSAW.utcoffset(None)
    assert loaded[0].participants == ("Łukasz Wójcik", "田中 太郎", "Zoë O'Brien")


def test_transcripts_round_trip_with_exact_float_timestamps(store: PipelineStore):
    transcripts = [s.transcript("m1", lines=5), s.transcript("m2", lines=0)]

    store.replace_transcripts(DAY, transcripts, [s.problem("transcripts", "m3")])

    loaded = store.load_transcripts(DAY)
    assert loaded == {"m1": transcripts[0], "m2": transcripts[1]}
    assert loaded["m1"].utterances[1].end_s == 4.125 + 3.3333333333333335


def test_utterances_are_real_columns_queryable_without_payload(store: PipelineStore):
    store.replace_transcripts(DAY, [s.transcript("m1", lines=3)])

    with store.engine.connect() as conn:
        speakers = conn.scalars(
            sa.select(tables.utterances.c.speaker)
            .where(tables.utterances.c.meeting_id == "m1")
            .order_by(tables.utterances.c.utterance_index)
        ).all()
    assert speakers == ["Łukasz Wójcik", "田中 太郎", "Unknown"]


def test_decisions_round_trip_keeps_decimal_amounts_exact(store: PipelineStore):
    items = [s.meeting_decisions("m1", count=3), s.meeting_decisions("m2", count=0)]

    store.replace_decisions(DAY, items, [s.problem("decisions", "m9")])

    loaded = store.load_decisions(DAY)
    assert loaded == {"m1": items[0], "m2": items[1]}
    amounts = loaded["m1"].decisions[0].amounts
    assert [a.value for a in amounts] == [Decimal("48000.50"), Decimal("0.000001")]
    assert str(amounts[0].value) == "48000.50"
    assert [d.decision_id for d in loaded["m1"].decisions] == ["m1-d001", "m1-d002", "m1-d003"]


def test_drafts_and_no_draft_records_round_trip(store: PipelineStore):
    items = [s.meeting_drafts("m1"), s.no_draft("m2")]

    store.replace_drafts(DAY, items, [s.problem("contract_drafts", "m3")])

    loaded = store.load_drafts(DAY)
    assert loaded == {"m1": items[0], "m2": items[1]}
    assert loaded["m1"].drafts[1].field("governing_law").is_tbd


def test_no_draft_column_is_sql_null_when_meeting_has_drafts(store: PipelineStore):
    store.replace_drafts(DAY, [s.meeting_drafts("m1"), s.no_draft("m2")])

    with store.engine.connect() as conn:
        without_no_draft = conn.scalars(
            sa.select(tables.meeting_drafts.c.meeting_id).where(tables.meeting_drafts.c.no_draft_payload.is_(None))
        ).all()
    assert without_no_draft == ["m1"]


def test_qa_findings_round_trip_by_meeting_in_the_order_given(store: PipelineStore):
    findings = [s.finding("m2", "tbd-field"), s.finding("m1", "no-parties", "blocking"), s.finding("m1", "info", "info")]

    store.replace_qa_findings(DAY, findings)

    # Meeting by meeting (so one meeting's rows can be replaced alone), each meeting's in the order given.
    assert store.load_qa_findings(DAY) == [findings[1], findings[2], findings[0]]


def test_exports_round_trip_exported_and_withheld_separately(store: PipelineStore):
    exported = [s.exported_file("m1", fmt) for fmt in ("docx", "pdf", "md", "json")]
    withheld = [s.withheld("m2"), s.withheld("m1")]

    store.replace_exports(DAY, exported, withheld, [s.problem("contract_exports", "m3")])

    assert store.load_exports(DAY) == (exported, withheld[::-1])


def test_problems_load_per_stage_in_pipeline_order(store: PipelineStore):
    store.replace_exports(DAY, [], [], [s.problem("contract_exports", "e1")])
    store.replace_meetings(DAY, [], [s.problem("raw_recordings", "r2"), s.problem("raw_recordings", "r1")])
    store.replace_transcripts(DAY, [], [s.problem("transcripts", "t1")])

    assert [p.location for p in store.load_problems(DAY)] == ["r2", "r1", "t1", "e1"]
    assert store.load_problems(DAY, stage="transcripts") == [s.problem("transcripts", "t1")]
    assert store.load_problems(DAY, stage="decisions") == []


def test_loading_an_empty_day_returns_empty_results(store: PipelineStore):
    assert store.load_meetings(DAY) == []
    assert store.load_transcripts(DAY) == {}
    assert store.load_decisions(DAY) == {}
    assert store.load_drafts(DAY) == {}
    assert store.load_qa_findings(DAY) == []
    assert store.load_exports(DAY) == ([], [])
    assert set(store.row_counts(DAY).values()) == {0}
