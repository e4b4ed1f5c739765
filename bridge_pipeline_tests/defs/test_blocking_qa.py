"""A draft that would mislead is withheld; the other meetings of the day still export."""

from __future__ import annotations

import datetime as dt

from bridge_pipeline_tests.line_fixtures import make_sandbox

DAY = "2026-05-14"

# Agrees an NDA that ends before it starts: a draft stating both dates would mislead its reader.
NDA_ENDING_BEFORE_IT_STARTS = """WEBVTT

1
00:00:05.000 --> 00:00:09.000
Greta Lindqvist: Thanks for joining, everyone.

2
00:00:10.000 --> 00:00:16.000
Greta Lindqvist: Agreed then: a mutual NDA between Nordvik Analytics AB and Berglund Shipping AB, governed by Swedish law, courts of Stockholm.

3
00:00:17.000 --> 00:00:20.000
Mats Berg: Yes, agreed, mutual NDA it is.

4
00:00:21.000 --> 00:00:26.000
Greta Lindqvist: The effective date is 1 June 2026 and the NDA ends on 1 March 2026.

5
00:00:27.000 --> 00:00:30.000
Mats Berg: Agreed.
"""

# Agrees an NDA but never names a contracting party: the parties are TBD, which counsel fills in.
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
    (sandbox.inbox / DAY / "nda-impossible-dates.vtt").write_text(NDA_ENDING_BEFORE_IT_STARTS, encoding="utf-8")
    (sandbox.inbox / DAY / "nda-without-parties.vtt").write_text(NDA_WITHOUT_PARTIES, encoding="utf-8")
    result = sandbox.materialize(DAY)
    assert result.success

    check = next(c for c in result.get_asset_check_evaluations() if c.check_name == "no_blocking_findings")
    assert not check.passed

    day = dt.date.fromisoformat(DAY)
    exported, withheld = sandbox.store.load_exports(day)
    withheld_meetings = {w.meeting_id for w in withheld}
    assert withheld_meetings == {"inbox-20260514-nda-impossible-dates"}
    assert all("DT-01" in w.reason for w in withheld)

    folder = sandbox.exports(DAY) / "inbox-20260514-nda-impossible-dates"
    assert not list(folder.glob("*.pdf")) and not list(folder.glob("*.docx"))
    notice = next(folder.glob("*.WITHHELD.txt")).read_text(encoding="utf-8")
    assert "DT-01" in notice

    exported_meetings = {e.meeting_id for e in exported}
    # A party nobody named is TBD with a warning, never a reason to withhold the draft.
    assert "inbox-20260514-nda-without-parties" in exported_meetings
    findings = sandbox.store.load_qa_findings(day)
    missing_party = [f for f in findings if f.rule_id == "PT-01"]
    assert missing_party and all(f.severity == "warning" for f in missing_party)
    assert {"inbox-20260514-vendor-call-nordlicht-kowalczyk", "inbox-20260514-service-review-helios"} <= exported_meetings
