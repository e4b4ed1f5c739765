"""The open deals of a DealBook, kept up to date as meetings are recorded and filed under the keys of the evidence.

Why: `DealBook.open_deals()` rebuilds every deal and `link_meeting` weighs every deal, so drafting a day that
way grows with the square of its meetings. Here a recorded meeting rebuilds only the deals it touches, and a
meeting is weighed only against the deals filed under its keys (`Evidence` in deals.py: each kind of evidence
says under which keys the deals it can hold for are found). The link is the one `link_meeting` gives over all
open deals; bridge_pipeline_tests/incremental/test_deal_index.py checks it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from bridge_pipeline.drafting.deals import EVIDENCE, DealBook, OpenDeal, deal_of, link_meeting, meeting_parties
from bridge_pipeline.models import ContractDraft, DealLink, Decision, MeetingDrafts, MeetingInfo

_Filing = tuple[int, Hashable]
"""(position of the evidence in EVIDENCE, key)."""


class DealIndex:
    """A DealBook's open deals, filed by what can link a meeting to them; see the module docstring."""

    def __init__(self, book: DealBook):
        self.book = book
        self._drafts: dict[str, dict[str, ContractDraft]] = {}
        for draft in book.drafts.values():
            self._drafts.setdefault(deal_of(draft), {})[draft.draft_id] = draft
        self._deals: dict[str, OpenDeal] = {}
        self._filed: dict[_Filing, dict[str, set[str]]] = {}  # filing -> deal id -> the deal's items under it
        self._filings: dict[str, set[_Filing]] = {}  # deal id -> where it is filed
        self._by_meeting: dict[str, set[str]] = {}
        for deal_id in self._drafts:
            self._rebuild(deal_id)

    def open_deals(self) -> list[OpenDeal]:
        return [self._deals[deal_id] for deal_id in sorted(self._deals)]

    def candidates(self, meeting: MeetingInfo, decisions: Sequence[Decision]) -> list[OpenDeal]:
        """The deals some evidence can link the meeting to; link_meeting gives no other deal a reason."""
        parties = meeting_parties(decisions)
        found: set[str] = set()
        for position, evidence in enumerate(EVIDENCE):
            deal_ids = self._sharing(position, evidence.min_shared, set(evidence.meeting_keys(meeting, parties)))
            if parties and not evidence.names_parties:
                deal_ids = {deal_id for deal_id in deal_ids if not self._deals[deal_id].parties}
            found |= deal_ids
        return [self._deals[deal_id] for deal_id in sorted(found)]

    def link(self, meeting: MeetingInfo, decisions: Sequence[Decision]) -> DealLink:
        return link_meeting(meeting, decisions, self.candidates(meeting, decisions))

    def deal(self, deal_id: str) -> OpenDeal | None:
        return self._deals.get(deal_id)

    def record(self, meeting: MeetingInfo, outcome: MeetingDrafts) -> None:
        touched = set(self._by_meeting.get(meeting.meeting_id, ()))
        replaced = {d.draft_id: self.book.drafts.get(d.draft_id) for d in outcome.drafts}
        self.book.record(meeting, outcome)
        for draft_id, before in replaced.items():
            if before is not None:
                self._drafts.get(deal_of(before), {}).pop(draft_id, None)
                touched.add(deal_of(before))
            after = self.book.drafts[draft_id]
            self._drafts.setdefault(deal_of(after), {})[draft_id] = after
            touched.add(deal_of(after))
        for deal_id in touched:
            self._rebuild(deal_id)

    def _sharing(self, position: int, min_shared: int, keys: set[Hashable]) -> set[str]:
        """Deals with at least `min_shared` distinct items filed under the keys, for the evidence at `position`."""
        if min_shared == 1:
            return {deal_id for key in keys for deal_id in self._filed.get((position, key), ())}
        items: dict[str, set[str]] = {}
        for key in keys:
            for deal_id, filed in self._filed.get((position, key), {}).items():
                items.setdefault(deal_id, set()).update(filed)
        return {deal_id for deal_id, shared in items.items() if len(shared) >= min_shared}

    def _rebuild(self, deal_id: str) -> None:
        for filing in self._filings.pop(deal_id, ()):
            self._filed[filing].pop(deal_id, None)
        for meeting_id in _members(self._deals.pop(deal_id, None)):
            self._by_meeting.get(meeting_id, set()).discard(deal_id)
        drafts = self._drafts.get(deal_id)
        if not drafts:
            return
        # The one deal of a book holding only its drafts: built by DealBook itself, so it stays the same.
        (deal,) = DealBook(drafts=dict(drafts), meetings=self.book.meetings).open_deals()
        self._deals[deal_id] = deal
        filings: set[_Filing] = set()
        for position, evidence in enumerate(EVIDENCE):
            for key, item in evidence.deal_keys(deal):
                self._filed.setdefault((position, key), {}).setdefault(deal_id, set()).add(item)
                filings.add((position, key))
        self._filings[deal_id] = filings
        for meeting_id in _members(deal):
            self._by_meeting.setdefault(meeting_id, set()).add(deal_id)


def _members(deal: OpenDeal | None) -> set[str]:
    """Meeting ids whose arrival in the book can change the deal's meetings."""
    if deal is None:
        return set()
    return {deal.deal_id} | {d.meeting_id for d in deal.drafts}
