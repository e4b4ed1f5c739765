"""Deal links and draft versions across days: stored with a day's drafts, read back by deal, id and version."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command

from bridge_pipeline.models import ContractDraft, DealLink, MeetingDrafts
from bridge_pipeline.storage import schema_migrations
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline_tests.storage import sample_records as s

A, B = s.DAY_A, s.DAY_B
C = dt.date(2026, 1, 7)


def _version(version: int, meeting_id: str, day: dt.date, contract_type: str = "SOW") -> ContractDraft:
    """Version `version` of draft 'm1-<type>' (opened by meeting m1), drafted from `meeting_id` on `day`."""
    first = s.draft("m1", day, contract_type, version)
    return first.model_copy(
        update={
            "meeting_id": meeting_id,
            "deal_id": "m1",
            "previous_meeting_id": None if version == 1 else f"m{version - 1}",
        }
    )


def _link(meeting_id: str) -> DealLink:
    if meeting_id == "m1":
        return DealLink(meeting_id="m1", deal_id="m1", reason="opens a new deal")
    return DealLink(meeting_id=meeting_id, deal_id="m1", continues_meeting_id="m1", reason="title names both parties")


def _store_versions(store: PipelineStore) -> None:
    """m1 on day A opens the deal (SOW and NDA v1); m2 on day B makes SOW v2; m3 on day C makes SOW v3."""
    store.replace_drafts(
        A,
        [MeetingDrafts(meeting_id="m1", drafts=(_version(1, "m1", A), _version(1, "m1", A, "NDA")), deal=_link("m1"))],
    )
    store.replace_drafts(B, [MeetingDrafts(meeting_id="m2", drafts=(_version(2, "m2", B),), deal=_link("m2"))])
    store.replace_drafts(C, [MeetingDrafts(meeting_id="m3", drafts=(_version(3, "m3", C),), deal=_link("m3"))])


def test_latest_drafts_before_a_day_ignore_that_day_and_later_ones(store: PipelineStore):
    _store_versions(store)

    latest = store.load_latest_drafts_before(C)

    assert [(d.draft_id, d.version) for d in latest] == [("m1-nda", 1), ("m1-sow", 2)]
    assert store.load_latest_drafts_before(A) == []


def test_latest_drafts_before_a_day_respect_the_look_back_window(store: PipelineStore):
    _store_versions(store)

    assert [(d.draft_id, d.version) for d in store.load_latest_drafts_before(C, since=B)] == [("m1-sow", 2)]


def test_every_version_of_a_draft_stays_retrievable(store: PipelineStore):
    _store_versions(store)

    assert [(d.version, d.meeting_id) for d in store.load_draft_history("m1-sow")] == [(1, "m1"), (2, "m2"), (3, "m3")]
    assert store.load_draft_version("m1-sow", 1) == _version(1, "m1", A)
    assert store.load_draft_version("m1-sow", 4) is None


def test_deal_links_round_trip_with_the_days_drafts_and_by_deal(store: PipelineStore):
    _store_versions(store)

    assert store.load_drafts(B)["m2"].deal == _link("m2")
    assert [link.meeting_id for link in store.load_deal_links("m1")] == ["m1", "m2", "m3"]
    assert [(d.draft_id, d.version) for d in store.load_deal_drafts("m1")] == [
        ("m1-nda", 1),
        ("m1-sow", 1),
        ("m1-sow", 2),
        ("m1-sow", 3),
    ]


def test_redrafting_a_day_replaces_its_deal_links(store: PipelineStore):
    _store_versions(store)

    store.replace_drafts(B, [MeetingDrafts(meeting_id="m2", drafts=(_version(2, "m2", B),))])

    assert store.load_drafts(B)["m2"].deal is None
    assert [link.meeting_id for link in store.load_deal_links("m1")] == ["m1", "m3"]
    assert store.row_counts(B)["deal_links"] == 0


def test_versions_stored_for_other_days_are_found_and_can_be_removed(store: PipelineStore):
    _store_versions(store)

    clashes = store.draft_versions_stored_elsewhere(B, [("m1-sow", 2), ("m1-sow", 3), ("m1-nda", 2)])
    assert clashes == [("m1-sow", 3, C)]

    store.delete_draft_versions(clashes)

    assert [d.version for d in store.load_draft_history("m1-sow")] == [1, 2]


def test_meetings_and_decisions_of_any_day_load_by_meeting_id(store: PipelineStore):
    store.replace_meetings(A, [s.meeting("m1", A)])
    store.replace_meetings(B, [s.meeting("m2", B)])
    store.replace_decisions(A, [s.meeting_decisions("m1")])
    store.replace_decisions(B, [s.meeting_decisions("m2", 3)])

    meetings = store.load_meetings_by_id(["m2", "m1", "missing"])
    decisions = store.load_decisions_for_meetings(["m1", "m2"])

    assert sorted(meetings) == ["m1", "m2"] and meetings["m2"].partition_date == B
    assert [len(decisions[m].decisions) for m in ("m1", "m2")] == [2, 3]
    assert store.load_meetings_by_id([]) == {} and store.load_decisions_for_meetings([]) == {}


def test_drafts_stored_before_deals_existed_survive_the_upgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    command.upgrade(schema_migrations.alembic_config(url), "0001")
    engine = sa.create_engine(url)
    old = s.draft("m1", A)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO drafts (partition_date, meeting_id, draft_id, version, position, contract_type, payload) "
                "VALUES (:day, 'm1', 'm1-sow', 1, 0, 'SOW', :payload)"
            ),
            {"day": A.isoformat(), "payload": old.model_dump_json()},
        )
    engine.dispose()
    store = PipelineStore(url)
    try:
        store.migrate()
        assert store.current_revision() == store.migration_head()
        (loaded,) = store.load_latest_drafts_before(B)
        assert loaded == old and loaded.deal_id is None
    finally:
        store.dispose()


def test_the_deals_revision_downgrades_and_upgrades_again(database_url: str):
    store = PipelineStore(database_url)
    try:
        store.migrate()
        command.downgrade(schema_migrations.alembic_config(database_url), "0001")
        inspector = sa.inspect(store.engine)
        assert "deal_links" not in inspector.get_table_names()
        assert "deal_id" not in {c["name"] for c in inspector.get_columns("drafts")}
        store.migrate()
        assert store.current_revision() == store.migration_head()
        assert "deal_id" in {c["name"] for c in sa.inspect(store.engine).get_columns("drafts")}
    finally:
        store.dispose()
