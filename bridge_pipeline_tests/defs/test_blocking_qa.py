"""A draft that would mislead is withheld; the other meetings of the day still export."""

from __future__ import annotations

import datetime as dt

from bridge_pipeline_tests.line_fixtures import make_sandbox

DAY = "2026-05-14"

# Agrees an NDA but never names a contracting party: drafting it would produce a contract with nobody in it.
NDA_WITHOUT_PARTIES = """WEBVTT

1
00:00:05.000 --> 00:00:09.000
Greta Lindqvist: Thanks for joining, everyone.

2
00:00:10.000 --> 00:00:16.000
Greta Lindqvist: Agreed then: we will sign a mutual NDA, governed by Swedish law, courts of Stockholm.

3
00:00:17.000 --> 00:00:20.000
Mats Berg: Yes, agreed, mutual NDA it is.
"""


def test_blocking_finding_withholds_only_that_meetings_draft(tmp_path):
    sandbox = make_sandbox(tmp_path)
    (sandbox.inbox / DAY / "nda-without-parties.vtt").write_text(NDA_WITHOUT_PARTIES, encoding="utf-8")
    result = sandbox.materialize(DAY)
    assert result.success

    check = next(c for c in result.get_asset_check_evaluations() if c.check_name == "no_blocking_findings")
    assert not check.passed

    day = dt.date.fromisoformat(DAY)
    exported, withheld = sandbox.store.load_exports(day)
    withheld_meetings = {w.meeting_id for w in withheld}
    assert withheld_meetings == {"inbox-20260514-nda-without-parties"}
    assert all("PT-01" in w.reason for w in withheld)

    folder = sandbox.exports(DAY) / "inbox-20260514-nda-without-parties"
    assert not list(folder.glob("*.pdf")) and not list(folder.glob("*.docx"))
    notice = next(folder.glob("*.WITHHELD.txt")).read_text(encoding="utf-8")
    assert "PT-01" in notice

    exported_meetings = {e.meeting_id for e in exported}
    assert {"inbox-20260514-vendor-call-nordlicht-kowalczyk", "inbox-20260514-service-review-helios"} <= exported_meetings
