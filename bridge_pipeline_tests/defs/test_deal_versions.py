"""A deal over two days of the sample inbox: the follow-up call's SOW is version 2 of the vendor call's SOW."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from dagster import instance_for_test
from pypdf import PdfReader

from bridge_pipeline.models import ContractDraft
from bridge_pipeline_tests.line_fixtures import LineSandbox, make_sandbox

DAY_1, DAY_2 = "2026-05-14", "2026-05-15"
CALL = "inbox-20260514-vendor-call-nordlicht-kowalczyk"
FOLLOW_UP = "inbox-20260515-vendor-followup-nordlicht-kowalczyk"
SOW = f"{CALL}-sow"
CALL_LABEL = "2026-05-14 · Nordlicht × Kowalczyk — NDA and SOW for route forecasting"
FOLLOW_UP_LABEL = "2026-05-15 · Nordlicht × Kowalczyk — SOW follow-up"


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def _follow_up_sow(sandbox: LineSandbox) -> ContractDraft:
    (draft,) = sandbox.store.load_drafts(_day(DAY_2))[FOLLOW_UP].drafts
    return draft


def _export(sandbox: LineSandbox, ext: str) -> Path:
    return sandbox.exports(DAY_2) / FOLLOW_UP / f"{SOW}-v2.{ext}"


@pytest.fixture(scope="module")
def two_days(tmp_path_factory) -> LineSandbox:
    """Both sample days materialized one after the other (shared by the read-only checks below)."""
    sandbox = make_sandbox(tmp_path_factory.mktemp("deal"))
    assert sandbox.materialize(DAY_1).success
    assert sandbox.materialize(DAY_2).success
    return sandbox


def test_follow_up_sow_is_version_2_of_the_vendor_calls_sow(two_days):
    draft = _follow_up_sow(two_days)
    assert (draft.draft_id, draft.version, draft.contract_type) == (SOW, 2, "SOW")
    assert draft.deal_id == CALL and draft.previous_meeting_id == CALL
    link = two_days.store.load_drafts(_day(DAY_2))[FOLLOW_UP].deal
    assert link.continues_meeting_id == CALL and "title" in link.reason


def test_follow_up_exports_because_the_parties_are_carried_forward(two_days):
    draft = _follow_up_sow(two_days)
    assert draft.field("provider").value == "Nordlicht Analytics GmbH"
    assert draft.field("customer").value == "Kowalczyk Logistics Sp. z o.o."
    assert {c.meeting_id for c in draft.field("provider").citations} == {CALL}
    exported, withheld = two_days.store.load_exports(_day(DAY_2))
    assert [w for w in withheld if w.meeting_id == FOLLOW_UP] == []
    assert {e.format for e in exported if e.document_id == f"{SOW}-v2"} == {"docx", "pdf", "md", "json"}
    assert not list((two_days.exports(DAY_2) / FOLLOW_UP).glob("*.WITHHELD.txt"))


def test_markdown_shows_the_fee_change_with_citations_of_both_meetings(two_days):
    text = _export(two_days, "md").read_text(encoding="utf-8")
    diff = text.split("```diff\n", 1)[1].split("\n```", 1)[0].splitlines()
    assert "- EUR 48,000.00 (said: “€48,000”)" in diff
    assert "+ EUR 52,500.00 (said: “€52,500”)" in diff
    fee_row = next(line for line in text.splitlines() if line.startswith("| Total fee | ~~"))
    assert CALL_LABEL in fee_row and FOLLOW_UP_LABEL in fee_row
    assert f"| {CALL_LABEL} |" in text and f"| {FOLLOW_UP_LABEL} |" in text


def test_json_bundle_records_the_fee_change_and_both_meetings(two_days):
    bundle = json.loads(_export(two_days, "json").read_text(encoding="utf-8"))
    assert bundle["document"]["version"] == 2 and bundle["redline"]["previous_version"] == 1
    fee = next(c for c in bundle["redline"]["changes"] if c["field"] == "fee_total")
    assert (fee["before"]["value"], fee["after"]["value"]) == ("EUR 48,000.00", "EUR 52,500.00")
    assert {c["meeting_id"] for c in fee["before"]["citations"]} == {CALL}
    assert {c["meeting_id"] for c in fee["after"]["citations"]} == {FOLLOW_UP}
    assert [m["id"] for m in bundle["other_meetings"]] == [CALL]
    cited = {c["meeting_id"] for f in bundle["fields"] for c in f["citations"]}
    assert cited == {CALL, FOLLOW_UP}


def test_docx_and_pdf_contain_the_redline_section(two_days):
    with zipfile.ZipFile(_export(two_days, "docx")) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert "Changes since version 1" in body and "<w:strike/>" in body
    reader = PdfReader(io.BytesIO(_export(two_days, "pdf").read_bytes()))
    first_page = reader.pages[0].extract_text()
    assert "Changes since version 1" in first_page and "Struck" in "".join(p.extract_text() for p in reader.pages)


def test_version_1_stays_retrievable_from_the_store_and_its_files(two_days):
    history = two_days.store.load_draft_history(SOW)
    assert [(d.version, d.meeting_id) for d in history] == [(1, CALL), (2, FOLLOW_UP)]
    assert history[0].field("fee_total").value == "EUR 48,000.00"
    assert (two_days.exports(DAY_1) / CALL / f"{SOW}.pdf").is_file()
    assert [link.meeting_id for link in two_days.store.load_deal_links(CALL)] == [CALL, FOLLOW_UP]


def test_the_nda_the_follow_up_did_not_change_gets_no_new_version(two_days):
    assert [d.version for d in two_days.store.load_draft_history(f"{CALL}-nda")] == [1]


def test_rematerializing_the_follow_up_keeps_version_2_and_identical_files(tmp_path):
    sandbox = make_sandbox(tmp_path)
    sandbox.materialize(DAY_1)
    sandbox.materialize(DAY_2)
    before = _digests(sandbox.exports(DAY_2))
    sandbox.materialize(DAY_2)
    assert [(d.version, d.meeting_id) for d in sandbox.store.load_draft_history(SOW)] == [(1, CALL), (2, FOLLOW_UP)]
    assert _digests(sandbox.exports(DAY_2)) == before


def test_a_single_run_backfill_of_both_days_gives_the_same_exports(tmp_path, two_days):
    sandbox = make_sandbox(tmp_path)
    with instance_for_test() as instance:
        result = sandbox.materialize(
            instance=instance,
            tags={"dagster/asset_partition_range_start": DAY_1, "dagster/asset_partition_range_end": DAY_2},
        )
        assert result.success and len(instance.get_runs()) == 1
    assert _follow_up_sow(sandbox) == _follow_up_sow(two_days)
    assert _digests(sandbox.exports(DAY_2)) == _digests(two_days.exports(DAY_2))


def test_follow_up_drafted_before_the_vendor_call_becomes_version_2_once_redone(tmp_path):
    sandbox = make_sandbox(tmp_path)
    sandbox.materialize(DAY_2)
    alone = _follow_up_sow(sandbox)
    assert (alone.draft_id, alone.version) == (f"{FOLLOW_UP}-sow", 1)
    # Alone it cannot know the vendor call's parties: exported with them TBD and a PT-01 warning.
    assert (sandbox.exports(DAY_2) / FOLLOW_UP / f"{FOLLOW_UP}-sow.json").is_file()
    assert {f.rule_id for f in sandbox.store.load_qa_findings(dt.date.fromisoformat(DAY_2))} >= {"PT-01"}

    sandbox.materialize(DAY_1)
    sandbox.materialize(DAY_2)

    assert (_follow_up_sow(sandbox).draft_id, _follow_up_sow(sandbox).version) == (SOW, 2)
    assert sorted(p.name for p in (sandbox.exports(DAY_2) / FOLLOW_UP).iterdir()) == [
        f"{SOW}-v2.{ext}" for ext in ("docx", "json", "md", "pdf")
    ]


def test_a_day_drafted_late_takes_its_version_and_the_later_day_is_told_to_redo(tmp_path):
    sandbox = make_sandbox(tmp_path)
    third = sandbox.inbox / "2026-05-16"
    third.mkdir()
    for name in ("vendor-followup-nordlicht-kowalczyk.vtt", "vendor-followup-nordlicht-kowalczyk.meta.json"):
        shutil.copy(sandbox.inbox / DAY_2 / name, third / name.replace("followup", "second-followup"))
    shutil.rmtree(sandbox.inbox / DAY_2)  # the day-2 transcript "arrives late"
    sandbox.materialize(DAY_1)
    sandbox.materialize("2026-05-16")
    assert [d.version for d in sandbox.store.load_draft_history(SOW)] == [1, 2]

    shutil.copytree(make_sandbox(tmp_path / "fresh").inbox / DAY_2, sandbox.inbox / DAY_2)
    sandbox.materialize(DAY_2)

    assert [(d.version, d.partition_date.isoformat()) for d in sandbox.store.load_draft_history(SOW)] == [
        (1, DAY_1),
        (2, DAY_2),
    ]
    (problem,) = sandbox.store.load_problems(_day(DAY_2), stage="contract_drafts")
    assert "re-materialize 2026-05-16" in problem.problem

    sandbox.materialize("2026-05-16")
    assert [d.version for d in sandbox.store.load_draft_history(SOW)] == [1, 2, 3]


@pytest.mark.postgres
def test_the_deal_is_versioned_the_same_way_on_postgresql(tmp_path, postgres_database_url, two_days):
    sandbox = make_sandbox(tmp_path, database_url=postgres_database_url)
    sandbox.materialize(DAY_1)
    sandbox.materialize(DAY_2)
    assert _follow_up_sow(sandbox) == _follow_up_sow(two_days)
    assert [d.version for d in sandbox.store.load_draft_history(SOW)] == [1, 2]
    sandbox.store.dispose()
