"""The sample inbox parsed, extracted offline, drafted and checked: the right contracts, nothing uncited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from bridge_pipeline.drafting.drafter import draft_meeting
from bridge_pipeline.models import MeetingDrafts, MeetingInfo
from bridge_pipeline.qa.runner import blocking, run_qa

SAMPLE_INBOX = Path(__file__).resolve().parents[2] / "sample_inbox"
offline = pytest.importorskip("bridge_pipeline.extraction.offline")
transcripts = pytest.importorskip("bridge_pipeline.parsing.transcripts")

EXPECTED_TYPES = {
    "service-review-helios": ["SLA"],
    "vendor-call-nordlicht-kowalczyk": ["NDA", "SOW"],
    "weekly-standup": [],
    "partnership-call-aurora": ["MOU"],
}


def _meeting(path: Path) -> MeetingInfo:
    sidecar = path.with_name(path.stem + ".meta.json")
    meta = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    day = dt.date.fromisoformat(path.parent.name)
    return MeetingInfo(
        meeting_id=f"inbox-{day}-{path.stem}",
        partition_date=day,
        source="inbox",
        source_id=f"{path.parent.name}/{path.name}",
        title=meta.get("title", path.stem),
        started_at=dt.datetime.fromisoformat(meta["started_at"]) if meta.get("started_at") else None,
        participants=tuple(meta.get("participants", ())),
        content_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        raw_blob_key=f"raw/{path.name}",
    )


@pytest.fixture(scope="module")
def drafted() -> dict[str, tuple[MeetingInfo, object, MeetingDrafts]]:
    if not SAMPLE_INBOX.is_dir():
        pytest.skip("sample_inbox is not in this checkout")
    extractor = offline.OfflineExtractor()
    results = {}
    for path in sorted(SAMPLE_INBOX.glob("*/*")):
        if path.name.endswith(".meta.json") or path.suffix not in (".vtt", ".txt", ".json"):
            continue
        info = _meeting(path)
        transcript = transcripts.parse_transcript(
            path.read_bytes(), path.suffix[1:], meeting_id=info.meeting_id, filename=path.name
        )
        decisions = extractor.extract(info, transcript, "UTC")
        results[path.stem] = (info, decisions, draft_meeting(info, decisions))
    return results


@pytest.mark.parametrize("stem, expected", sorted(EXPECTED_TYPES.items()))
def test_sample_meeting_yields_the_expected_contracts(drafted, stem, expected):
    _, _, result = drafted[stem]
    assert [d.contract_type for d in result.drafts] == expected
    assert (result.no_draft is not None) == (not expected)


def test_every_filled_field_of_every_sample_draft_is_cited(drafted):
    for info, _, result in drafted.values():
        for draft in result.drafts:
            for field in draft.fields:
                if field.value is not None:
                    assert field.decision_ids and field.citations, (draft.draft_id, field.name)
                    assert all(c.meeting_id == info.meeting_id for c in field.citations)


def test_sample_vendor_call_drafts_have_the_agreed_fee_and_no_blocking_findings(drafted):
    info, decisions, result = drafted["vendor-call-nordlicht-kowalczyk"]
    sow = result.drafts[1]
    assert sow.field("fee_total").value == "EUR 48,000.00"
    assert sow.field("provider").value == "Nordlicht Analytics GmbH"
    assert sow.field("effective_date").is_tbd
    for draft in result.drafts:
        assert blocking(run_qa(draft, decisions, info)) == []
