"""Linking a later meeting to the deal it continues, and refusing links that only look alike."""

from __future__ import annotations

import datetime as dt

from bridge_pipeline.drafting.deals import DealBook, OpenDeal, deal_name, link_meeting, parties_in_title
from bridge_pipeline.drafting.drafter import draft_meeting
from bridge_pipeline.models import MeetingInfo
from bridge_pipeline_tests.drafting.decision_builders import clean_sow_decisions, decision, meeting

DAY_1 = dt.date(2026, 3, 2)
DAY_2 = dt.date(2026, 3, 9)
FIRST_ID = "inbox-2026-03-02-acme-globex"
PEOPLE = ("Zofia Kowalczyk", "Dan Brooks", "Priya Raman", "Chen Wei")


def _meeting(
    meeting_id: str,
    title: str,
    *,
    day: dt.date = DAY_2,
    organizer: str | None = "Zofia Kowalczyk",
    participants: tuple[str, ...] = PEOPLE,
) -> MeetingInfo:
    return meeting(meeting_id, day).model_copy(
        update={"title": title, "organizer": organizer, "participants": participants}
    )


def _book(title: str = "Acme / Globex — cloud migration SOW", **kwargs) -> DealBook:
    """A book holding the SOW of one earlier meeting between Acme Corp (provider) and Globex Ltd (customer)."""
    first = _meeting(FIRST_ID, title, day=DAY_1, **kwargs)
    outcome = draft_meeting(first, clean_sow_decisions())
    return DealBook.from_drafts(outcome.drafts, {first.meeting_id: first})


def _later(n: int, *, parties: tuple[str, ...] = (), terms: dict[str, str] | None = None):
    return decision(n, "Agreed.", parties=parties, terms=terms, meeting_id="inbox-2026-03-09-later")


def test_meeting_whose_decisions_name_the_same_parties_continues_the_deal():
    later = _meeting("inbox-2026-03-09-later", "Pricing call", organizer="Someone Else", participants=())
    decisions = [_later(1, parties=("Acme", "Globex Ltd."))]

    link = link_meeting(later, decisions, _book().open_deals())

    assert link.deal_id == FIRST_ID and link.continues_meeting_id == FIRST_ID
    assert "decisions name the deal's parties" in link.reason


def test_title_naming_both_parties_by_short_name_continues_the_deal():
    later = _meeting("inbox-2026-03-09-later", "Globex follow-up with Acme", organizer=None, participants=())

    link = link_meeting(later, [], _book().open_deals())

    assert link.deal_id == FIRST_ID
    assert "title names the deal's parties Acme Corp, Globex Ltd" in link.reason


def test_same_deal_name_before_the_dash_continues_the_deal():
    book = _book(title="Project Bluebird — kickoff")
    later = _meeting("inbox-2026-03-09-later", "Project Bluebird — pricing", organizer=None, participants=())

    link = link_meeting(later, [], book.open_deals())

    assert link.deal_id == FIRST_ID
    assert "deal name 'project bluebird'" in link.reason


def test_same_organizer_with_most_participants_shared_continues_the_deal():
    later = _meeting("inbox-2026-03-09-later", "Thursday catch-up", participants=PEOPLE[:3] + ("New Person",))

    link = link_meeting(later, [], _book(title="Catch-up").open_deals())

    assert link.deal_id == FIRST_ID
    assert "organised by Zofia Kowalczyk" in link.reason and "3 of 4 participants" in link.reason


def test_same_organizer_with_few_shared_participants_opens_a_new_deal():
    later = _meeting("inbox-2026-03-09-later", "Thursday catch-up", participants=("Zofia Kowalczyk", "A", "B", "C"))

    link = link_meeting(later, [], _book(title="Catch-up").open_deals())

    assert link.deal_id == later.meeting_id and link.continues_meeting_id is None
    assert link.reason.startswith("opens a new deal")


def test_same_deal_name_and_organizer_with_another_counterparty_is_not_linked():
    # Same organizer, same people, same project name: but the decisions name a different customer.
    later = _meeting("inbox-2026-03-09-later", "Project Bluebird — kickoff")
    decisions = [_later(1, parties=("Initech GmbH",))]

    link = link_meeting(later, decisions, _book(title="Project Bluebird — kickoff").open_deals())

    assert link.continues_meeting_id is None


def test_a_newcomer_in_a_meeting_whose_title_names_the_deal_parties_is_still_the_same_deal():
    later = _meeting("inbox-2026-03-09-later", "Acme / Globex — subcontracting", organizer=None, participants=())
    decisions = [_later(1, parties=("Initech GmbH",))]

    assert link_meeting(later, decisions, _book().open_deals()).continues_meeting_id == FIRST_ID


def test_generic_titles_do_not_make_a_deal_name():
    assert deal_name("Weekly sync — team") is None
    assert deal_name("Vendor call: Nordlicht") is None
    assert deal_name("Nordlicht × Kowalczyk — SOW follow-up") == "nordlicht kowalczyk"
    later = _meeting("inbox-2026-03-09-later", "Weekly sync — pricing", organizer=None, participants=())
    assert link_meeting(later, [], _book(title="Weekly sync — kickoff").open_deals()).continues_meeting_id is None


def test_a_title_names_a_party_only_by_a_distinctive_word():
    parties = ["Acme Corp", "The Data Company Ltd"]
    assert parties_in_title("Acme pricing", parties) == ["Acme Corp"]
    assert parties_in_title("Data review", parties) == ["The Data Company Ltd"]
    assert parties_in_title("Company offsite", parties) == []


def _deal(deal_id: str, title: str, day: dt.date, parties: tuple[str, ...]) -> OpenDeal:
    return OpenDeal(deal_id=deal_id, meetings=(_meeting(deal_id, title, day=day),), parties=parties, drafts=())


def test_the_deal_with_more_evidence_wins_then_the_most_recent():
    older = _deal("m-older", "Acme / Globex — kickoff", dt.date(2026, 3, 1), ("Acme Corp", "Globex Ltd"))
    newer = _deal("m-newer", "Acme / Globex — pricing", dt.date(2026, 3, 5), ("Acme Corp", "Globex Ltd"))
    thin = _deal("m-thin", "Acme / Globex — scope", dt.date(2026, 3, 8), ())
    later = _meeting("inbox-2026-03-09-later", "Acme / Globex — signature", organizer=None, participants=())

    # older and newer: title names both parties and carries the deal name; thin: only the deal name.
    link = link_meeting(later, [], [older, newer, thin])

    assert link.deal_id == "m-newer"


def test_a_meeting_drafted_earlier_the_same_day_can_be_continued():
    book = DealBook()
    first = _meeting(FIRST_ID, "Acme / Globex — cloud migration SOW", day=DAY_2)
    book.record(first, draft_meeting(first, clean_sow_decisions()).model_copy())
    later = _meeting("inbox-2026-03-09-later", "Acme / Globex — afternoon session")

    link = link_meeting(later, [], book.open_deals())

    assert link.continues_meeting_id == FIRST_ID
    assert [d.draft_id for d in book.deal(FIRST_ID).drafts] == [f"{FIRST_ID}-sow"]


def test_a_meeting_is_never_linked_to_a_deal_it_already_belongs_to():
    book = _book()
    again = _meeting(FIRST_ID, "Acme / Globex — cloud migration SOW", day=DAY_1)

    assert link_meeting(again, [], book.open_deals()).continues_meeting_id is None
