"""Delivery records: one row per meeting, target and kind, changed only by compare-and-swap."""

from __future__ import annotations

import datetime as dt

from bridge_pipeline.storage.deliveries import DeliveryRecord, DeliveryStore
from bridge_pipeline.storage.store import PipelineStore

from . import sample_records as s

TARGET = "teams:meeting_chat:19:meeting_abc@thread.v2"
WHEN = dt.datetime(2026, 1, 5, 18, 30, 15, tzinfo=dt.timezone.utc)


def pending(meeting_id: str = "m1", marker: str = "bp-0001", kind: str = "summary") -> DeliveryRecord:
    return DeliveryRecord(
        day=s.DAY_A,
        meeting_id=meeting_id,
        target=TARGET,
        kind=kind,  # type: ignore[arg-type]
        status="pending",
        marker=marker,
        content_sha256="c" * 64,
        attempted_at=WHEN,
    )


def test_a_record_reads_back_exactly_with_times_in_utc(store: PipelineStore):
    deliveries = DeliveryStore(store.engine)
    record = pending().but(
        status="posted",
        message_id="1716000000000",
        posted_at=WHEN.astimezone(dt.timezone(dt.timedelta(hours=2))),
        last_error="Zoom: refused — ß",
    )

    assert deliveries.insert(record)

    found = deliveries.get("m1", TARGET, "summary")
    assert found == record.but(posted_at=WHEN)
    assert found.posted_at.tzinfo is not None and found.attempted_at == WHEN
    assert deliveries.for_day(s.DAY_A) == [found] and deliveries.for_meeting("m1") == [found]
    assert deliveries.get("m1", TARGET, "follow_up") is None


def test_second_insert_for_the_same_key_is_refused_and_changes_nothing(store: PipelineStore):
    deliveries = DeliveryStore(store.engine)
    assert deliveries.insert(pending(marker="bp-first"))

    assert not deliveries.insert(pending(marker="bp-second"))

    assert deliveries.get("m1", TARGET, "summary").marker == "bp-first"
    assert deliveries.insert(pending(kind="follow_up"))  # another kind is another row


def test_swap_succeeds_once_from_the_state_it_expects(store: PipelineStore):
    deliveries = DeliveryStore(store.engine)
    first = pending()
    deliveries.insert(first)
    posted = first.but(status="posted", message_id="42", posted_at=WHEN)

    assert deliveries.swap(first, posted)
    # A second run that still holds the old record cannot claim the post again.
    assert not deliveries.swap(first, first.but(marker="bp-0002"))
    assert deliveries.get("m1", TARGET, "summary") == posted


def test_delivery_rows_survive_rewriting_their_day(store: PipelineStore):
    deliveries = DeliveryStore(store.engine)
    deliveries.insert(pending())

    store.replace_meetings(s.DAY_A, [s.meeting("m1")])
    store.replace_exports(s.DAY_A, [], [])

    assert deliveries.get("m1", TARGET, "summary") is not None
    assert "notification_deliveries" not in store.row_counts(s.DAY_A)
