"""A follow-up meeting continues its deal even when the earlier version was withheld by QA."""

from __future__ import annotations

import datetime as dt

from bridge_pipeline import pipeline
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline.sources.inbox import InboxSource
from bridge_pipeline.storage.blobs import LocalBlobStore
from bridge_pipeline.storage.store import PipelineStore

FIRST_DAY, SECOND_DAY = dt.date(2026, 5, 14), dt.date(2026, 5, 21)

# The first call agrees an NDA that ends before it starts: QA withholds it.
FIRST = """Greta Lindqvist: Agreed then: a mutual NDA between Nordvik Analytics AB and Berglund Shipping AB.
Mats Berg: Yes, agreed, mutual NDA it is.
Greta Lindqvist: The effective date is 1 June 2026 and the NDA ends on 1 March 2026.
Mats Berg: Agreed.
"""
# A week later the same parties fix the dates.
SECOND = """Greta Lindqvist: Back to our NDA between Nordvik Analytics AB and Berglund Shipping AB.
Mats Berg: Yes. The NDA ends on 1 March 2028, not 2026.
Greta Lindqvist: Agreed, it ends on 1 March 2028.
"""


def _run(day, store, blobs, inbox):
    extractor = OfflineExtractor()
    pipeline.ingest_day(day, [InboxSource(inbox)], store, blobs, "UTC")
    pipeline.parse_day(day, store, blobs)
    pipeline.extract_day(day, store, extractor, "UTC")
    pipeline.draft_day(day, store, "UTC")
    pipeline.qa_day(day, store)
    pipeline.export_day(day, store, blobs)


def test_follow_up_of_a_withheld_draft_is_its_version_2(tmp_path):
    inbox = tmp_path / "inbox"
    for day, text in ((FIRST_DAY, FIRST), (SECOND_DAY, SECOND)):
        (inbox / day.isoformat()).mkdir(parents=True)
        (inbox / day.isoformat() / "nordvik-nda.txt").write_text(text, encoding="utf-8")
    store = PipelineStore(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    store.migrate()
    blobs = LocalBlobStore(tmp_path / "data")

    _run(FIRST_DAY, store, blobs, inbox)
    _, withheld = store.load_exports(FIRST_DAY)
    assert [w.meeting_id for w in withheld] == ["inbox-20260514-nordvik-nda"]

    _run(SECOND_DAY, store, blobs, inbox)
    [outcome] = store.load_drafts(SECOND_DAY).values()
    [draft] = outcome.drafts
    assert draft.version == 2 and draft.previous_meeting_id == "inbox-20260514-nordvik-nda"
    exported, withheld = store.load_exports(SECOND_DAY)
    assert not withheld and {e.format for e in exported} == {"docx", "pdf", "md", "json"}
