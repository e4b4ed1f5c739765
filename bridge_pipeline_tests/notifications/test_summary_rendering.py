"""What a summary says and how Teams HTML and Zoom text carry it: escaped, short, quotes only, footer kept."""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.models import Decision
from bridge_pipeline.notifications import NotificationSettings, SourceOptIn, notify_day
from bridge_pipeline.notifications.inputs import MeetingRecords
from bridge_pipeline.notifications.summary import build_summary
from bridge_pipeline.notifications.teams_html import render_teams
from bridge_pipeline.notifications.zoom_text import MAX_MESSAGE_CHARS, render_zoom
from bridge_pipeline_tests.storage import sample_records as s

from .conftest import DAY, ORGANIZER_A, TEAMS_ON, teams_meeting

SETTINGS = NotificationSettings(max_quote_chars=40)


def records(decisions: tuple[Decision, ...] | None = None, **changes: object) -> MeetingRecords:
    values: dict[str, object] = {
        "meeting": s.meeting("m1"),
        "decisions": decisions if decisions is not None else s.meeting_decisions("m1", 3).decisions,
        "drafts": (s.draft("m1"), s.draft("m1", contract_type="NDA")),
        "no_draft": None,
        "findings": (s.finding("m1", "SOW-07"), s.finding("m1", "PT-01", "blocking").model_copy(update={"draft_id": "m1-nda"})),
        "exported": tuple(s.exported_file("m1", fmt) for fmt in ("pdf", "docx")),
        "withheld": (s.withheld("m1"),),
    }
    return MeetingRecords(**{**values, **changes})  # type: ignore[arg-type]


def decision(number: int, text: str, quote: str) -> Decision:
    base = s.decision("m1", number)
    return base.model_copy(update={"text": text, "citations": (base.citations[0].model_copy(update={"quote": quote}),)})


def test_long_quotes_are_cut_short_with_an_ellipsis_and_equal_quotes_left_out():
    said = "We agree on forty-eight thousand euros, payable within thirty days of each milestone invoice"
    summary = build_summary(records((decision(1, "Fees of EUR 48,000", said), decision(3, said, said))), SETTINGS)

    cut, repeated = summary.decisions
    assert cut.quote is not None and len(cut.quote) <= 40 and cut.quote.endswith("…")
    assert said.startswith(cut.quote.rstrip("…"))
    assert repeated.quote is None  # worded exactly as said: no quote under it


def test_withheld_and_exported_drafts_show_rule_ids_tbd_counts_and_warnings():
    summary = build_summary(records(), SETTINGS)

    sow, nda = summary.drafts
    assert (sow.contract_type, sow.status, sow.tbd_fields, sow.qa_warnings, sow.blocking_rules) == ("SOW", "exported", 1, 1, ())
    assert sow.status_text() == "exported · 1 field(s) TBD · 1 QA warning(s)"
    assert (nda.status, nda.blocking_rules) == ("withheld", ("PT-01",))
    assert nda.status_text() == "withheld by QA (PT-01) · 1 field(s) TBD"
    assert [e.location for e in summary.exports] == sorted(f.blob_key for f in records().exported)


def test_teams_html_escapes_every_piece_of_text():
    hostile = s.meeting("m1").model_copy(update={"title": "<script>alert('x')</script> & \"Partners\""})
    item = decision(1, "Pay <b>now</b> & later", "It's <i>fine</i>")
    summary = build_summary(records((item,), meeting=hostile), SETTINGS)

    message = render_teams(summary, marker="bp-1234")

    assert "<script>" not in message.content and "<b>now</b>" not in message.content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Partners&quot;" in message.content
    assert html.escape("It's <i>fine</i>", quote=True) in message.content
    assert message.content.endswith("<p>Ref bp-1234</p>") and message.content_type == "html"


def test_zoom_text_fits_in_one_message_with_many_long_items_and_keeps_the_footer():
    long_text = "The parties agreed that " + "the delivery schedule and acceptance criteria " * 6
    many = tuple(decision(n, f"{n}: {long_text}", f"quote {n}: {long_text}") for n in range(1, 40))
    summary = build_summary(records(many), dataclasses.replace(SETTINGS, max_items=40))

    message = render_zoom(summary, marker="bp-5678")

    assert len(message.content) <= MAX_MESSAGE_CHARS
    assert message.content.endswith("Not legally binding until reviewed by counsel.\nRef bp-5678")
    assert re.search(r"\+\d+ more in the exported documents", message.content)
    for r in message.rich_text:
        assert 0 <= r.start < r.end <= len(message.content)
        assert "\n" not in message.content[r.start : r.end]
    assert message.content[message.rich_text[0].start : message.rich_text[0].end].startswith("Meeting summary: ")


def test_zoom_text_of_a_small_summary_keeps_quotes_and_every_file():
    summary = build_summary(records((decision(1, "Fees of EUR 48,000", "We agree on €48,000"),)), SETTINGS)

    message = render_zoom(summary, marker="bp-0001")

    assert "   “We agree on €48,000” (田中 太郎)" in message.content
    assert all(f"• {e.location}" in message.content for e in summary.exports)
    quote_range = next(r for r in message.rich_text if r.format_type == "Italic")
    assert "We agree on €48,000" in message.content[quote_range.start : quote_range.end]


@pytest.mark.parametrize("render", [render_teams, render_zoom])
def test_follow_ups_say_they_replace_the_earlier_message_and_leave_quotes_out(render):
    summary = build_summary(records((decision(1, "Fees of EUR 48,000", "We agree on €48,000"),)), SETTINGS)

    message = render(summary, marker="bp-9", follow_up=True)

    assert "Updated meeting summary" in message.content and "could not be edited" in message.content
    assert "We agree on €48,000" not in message.content


def test_digest_follows_the_content_not_the_marker():
    summary = build_summary(records(), SETTINGS)
    changed = build_summary(records(s.meeting_decisions("m1", 2).decisions), SETTINGS)

    assert summary.digest() == build_summary(records(), SETTINGS).digest()
    assert summary.digest() != changed.digest()
    assert render_teams(summary, marker="bp-a").content != render_teams(summary, marker="bp-b").content


def test_only_cited_quotes_of_the_transcript_reach_the_chat(graph, line, teams_source, teams_poster):
    seeded = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)
    notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})
    meeting = line.meeting_in_chat(seeded.chat_thread_id)
    [message] = graph.chats.messages(seeded.chat_thread_id)
    cited: set[int] = {c.utterance_index for d in line.store.load_decisions(DAY)[meeting.meeting_id].decisions
                       for c in d.citations}

    uncited = [u for u in line.store.load_transcripts(DAY)[meeting.meeting_id].utterances if u.index not in cited]

    assert uncited, "the dialogue should have lines no decision cites"
    text = html.unescape(message.content)
    assert all(u.text not in text for u in uncited if len(u.text) > 20)


def test_export_link_base_must_be_plain_https_and_is_never_echoed():
    for base in ("http://files.example/x", "https://user:pw@files.example/x", "https://files.example/x?sig=abc"):
        with pytest.raises(ConfigurationError) as caught:
            NotificationSettings(export_link_base=base)
        assert base not in str(caught.value) and "pw" not in str(caught.value) and "sig=abc" not in str(caught.value)
    assert NotificationSettings(export_link_base="https://files.example/bridge").export_link_base


def test_opt_in_is_off_by_default_and_matches_organizers_case_insensitively():
    assert not SourceOptIn().allows("anyone@example.com")
    assert not SourceOptIn(enabled=False, organizers=("*",)).allows("anyone@example.com")
    assert SourceOptIn(enabled=True, organizers=("Mara@Example.com",)).allows(" mara@example.COM ")
    assert not SourceOptIn(enabled=True, organizers=("mara@example.com",)).allows("other@example.com")
    assert SourceOptIn(enabled=True, organizers=("*",)).allows("other@example.com")
    assert not SourceOptIn(enabled=True, organizers=("*",)).allows(None)


def test_citation_quotes_keep_no_line_breaks():
    quote = "first line\nsecond   line\twith tabs"
    item = decision(1, "Decided", quote)
    summary = build_summary(records((item,)), NotificationSettings())
    assert summary.decisions[0].quote == "first line second line with tabs"
