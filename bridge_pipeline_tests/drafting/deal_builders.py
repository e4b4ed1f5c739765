"""A deal over two meetings written directly in tests: an earlier SOW or NDA meeting and a later change request."""

from __future__ import annotations

import datetime as dt

from bridge_pipeline.drafting.deal_drafts import draft_meeting_in_deal
from bridge_pipeline.drafting.deals import DealBook, link_meeting
from bridge_pipeline.drafting.drafter import draft_meeting
from bridge_pipeline.models import ContractDraft, MeetingDecisions, MeetingDrafts, MeetingInfo
from bridge_pipeline_tests.drafting.decision_builders import (
    MEETING_ID as FIRST_ID,
    amount,
    clean_sow_decisions,
    decision,
    decisions_of,
    meeting,
)

LATER_ID = "inbox-2026-03-09-acme-globex-change"
DAY_1, DAY_2 = dt.date(2026, 3, 2), dt.date(2026, 3, 9)
TITLE_1 = "Acme / Globex — billing migration"
TITLE_2 = "Acme / Globex — change request"


def later(n: int, text: str, **kwargs):
    return decision(n, text, meeting_id=LATER_ID, **kwargs)


def first_meeting() -> MeetingInfo:
    return meeting(FIRST_ID, DAY_1).model_copy(update={"title": TITLE_1})


def later_meeting() -> MeetingInfo:
    return meeting(LATER_ID, DAY_2).model_copy(update={"title": TITLE_2})


def continue_deal(later_decisions: list, first_decisions: MeetingDecisions | None = None) -> MeetingDrafts:
    """Drafts of the later meeting, linked to the deal the first meeting opened (asserts that it links)."""
    first_decisions = first_decisions or clean_sow_decisions()
    first = first_meeting()
    book = DealBook.from_drafts(draft_meeting(first, first_decisions).drafts, {FIRST_ID: first})
    second = later_meeting()
    decisions = decisions_of(*later_decisions, meeting_id=LATER_ID)
    link = link_meeting(second, decisions.decisions, book.open_deals())
    assert link.continues_meeting_id == FIRST_ID, link.reason
    return draft_meeting_in_deal(
        second,
        decisions,
        link=link,
        deal=book.deal(link.deal_id),
        earlier_decisions={d.decision_id: d for d in first_decisions.decisions},
        meetings=book.meetings,
        timezone="UTC",
    )


def change_request() -> list:
    return [
        later(1, "The total goes to €52,500 with the training.", topic="fees",
              terms={"fee_total": "EUR 52500.00"}, amounts=(amount("€52,500", "52500"),)),
        later(2, "The migration plan moves to the 23rd of March.", topic="sow",
              terms={"deliverable": "Migration plan"}, due=dt.date(2026, 3, 23), owner="Acme Corp", kind="action_item"),
        later(3, "Add a training day for the Globex admins.", topic="sow",
              terms={"deliverable": "Admin training"}, due=dt.date(2026, 4, 20), owner="Acme Corp", kind="action_item"),
        later(4, "Plan sign-off still pays twenty thousand.", topic="sow",
              terms={"milestone": "Plan sign-off"}, due=dt.date(2026, 3, 27), amounts=(amount("€20,000", "20000"),)),
        later(5, "Cut-over and training pay thirty-two and a half.", topic="sow",
              terms={"milestone": "Cut-over and training"}, due=dt.date(2026, 4, 30), amounts=(amount("€32,500", "32500"),)),
        later(6, "Still English law, London courts.", topic="law",
              terms={"governing_law": "England and Wales", "venue": "the courts of London"}),
        later(7, "Globex confirmed the budget.", topic="parties", parties=("Globex",)),
    ]


def sow_v2() -> ContractDraft:
    outcome = continue_deal(change_request())
    assert [d.contract_type for d in outcome.drafts] == ["SOW"]
    return outcome.drafts[0]
