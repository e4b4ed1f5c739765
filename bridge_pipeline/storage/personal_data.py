"""The transcript rows the retention job deletes (bridge_pipeline.retention), and nothing else.

Deleting a day's transcripts and utterances and recording that in the audit trail happen in one
transaction: the trail never says a transcript is gone while it is still stored, nor the reverse.
Decisions, drafts and exports hold their own copies of the quotes they cite, so nothing else changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from bridge_pipeline.storage.audit import AuditEntry, append_changes
from bridge_pipeline.storage.engine import write_transaction
from bridge_pipeline.storage.tables import stage_inputs, transcripts, utterances


def days_with_transcripts_before(engine: sa.Engine, cutoff: dt.date) -> list[dt.date]:
    """Days before `cutoff` that still hold transcript or utterance rows, oldest first."""
    query = sa.union(
        *(sa.select(t.c.partition_date).where(t.c.partition_date < cutoff) for t in (transcripts, utterances))
    )
    with engine.connect() as conn:
        return sorted(set(conn.execute(query).scalars()))


def purge_transcripts(
    engine: sa.Engine,
    day: dt.date,
    *,
    run_id: str | None,
    detail: Mapping[str, Any],
    other_entries: Sequence[AuditEntry] = (),
) -> tuple[dict[str, int], int]:
    """Delete the day's transcripts and utterances; returns (utterances per meeting, audit entries recorded).

    Each meeting's transcript gets a `purged` entry naming the digest it had (the transcripts stage
    input's output digest, when recorded); `other_entries` (the raw blobs about to be deleted) are
    appended in the same transaction.
    """
    with write_transaction(engine) as conn:
        counts = {
            meeting_id: n
            for meeting_id, n in conn.execute(
                sa.select(utterances.c.meeting_id, sa.func.count())
                .where(utterances.c.partition_date == day)
                .group_by(utterances.c.meeting_id)
            )
        }
        for meeting_id in conn.execute(
            sa.select(transcripts.c.meeting_id).where(transcripts.c.partition_date == day)
        ).scalars():
            counts.setdefault(meeting_id, 0)
        digests = dict(
            conn.execute(
                sa.select(stage_inputs.c.meeting_id, stage_inputs.c.output_sha256).where(
                    stage_inputs.c.partition_date == day, stage_inputs.c.stage == "transcripts"
                )
            ).all()
        )
        entries = [
            AuditEntry(
                day=day,
                artifact_kind="transcript",
                action="purged",
                path=f"transcripts/{meeting_id}",
                run_id=run_id,
                meeting_id=meeting_id,
                content_sha256=digests.get(meeting_id),
                detail={**detail, "utterances": n},
            )
            for meeting_id, n in sorted(counts.items())
        ]
        conn.execute(sa.delete(utterances).where(utterances.c.partition_date == day))
        conn.execute(sa.delete(transcripts).where(transcripts.c.partition_date == day))
        recorded = append_changes(conn, [*other_entries, *entries])
    return counts, recorded
