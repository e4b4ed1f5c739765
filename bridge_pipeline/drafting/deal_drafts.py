"""Drafting one meeting as part of its deal: drafts of types the deal has are continued as new versions.

- A meeting that opens a deal is drafted as on its own; its drafts carry the new deal id.
- A meeting that continues a deal: each type its decisions call for becomes the next version of the deal's
  draft of that type (or version 1 of a new draft when the deal has none); each other draft of the deal gets
  a new version only when the meeting changes one of its fields (e.g. a governing law restated differently).
"""

from __future__ import annotations

from typing import Mapping

from bridge_pipeline.drafting.deals import OpenDeal
from bridge_pipeline.drafting.drafter import clause_context, draft_meeting, draft_of_type
from bridge_pipeline.drafting.versions import continue_draft
from bridge_pipeline.errors import BadInputError
from bridge_pipeline.models import ContractDraft, DealLink, Decision, MeetingDecisions, MeetingDrafts, MeetingInfo


def _context_of(draft: ContractDraft, meetings: Mapping[str, MeetingInfo], timezone: str) -> dict[str, str]:
    meeting = meetings.get(draft.meeting_id)
    if meeting is None:
        return {"meeting_title": draft.meeting_id, "meeting_date": draft.partition_date.isoformat()}
    return clause_context(meeting, timezone)


def draft_meeting_in_deal(
    meeting: MeetingInfo,
    decisions: MeetingDecisions,
    *,
    link: DealLink,
    deal: OpenDeal | None,
    earlier_decisions: Mapping[str, Decision],
    meetings: Mapping[str, MeetingInfo],
    timezone: str,
) -> MeetingDrafts:
    """The meeting's drafts as members of `link.deal_id`; `deal` is None when the meeting opens the deal.

    `earlier_decisions` holds (by id) the decisions the deal's drafts cite; `meetings` the deal's meetings.
    """
    if link.meeting_id != meeting.meeting_id:
        raise BadInputError(meeting.meeting_id, f"deal link belongs to meeting {link.meeting_id}")
    own = draft_meeting(meeting, decisions, timezone=timezone)
    if deal is None:
        drafts = tuple(d.model_copy(update={"deal_id": link.deal_id}) for d in own.drafts)
        return own.model_copy(update={"drafts": drafts, "deal": link})

    context = clause_context(meeting, timezone)

    def next_version(previous: ContractDraft, stated: ContractDraft, reason: str) -> ContractDraft:
        return continue_draft(
            previous,
            stated,
            link=link,
            earlier_decisions=earlier_decisions,
            meeting_decisions=decisions.decisions,
            context=context,
            previous_context=_context_of(previous, meetings, timezone),
            type_reason=reason,
        )

    drafts: list[ContractDraft] = []
    for stated in own.drafts:
        previous = deal.draft_of_type(stated.contract_type)
        if previous is None:
            drafts.append(stated.model_copy(update={"deal_id": link.deal_id}))
        else:
            drafts.append(next_version(previous, stated, stated.type_reason))
    drafted_types = {d.contract_type for d in own.drafts}
    for previous in sorted(deal.drafts, key=lambda d: d.contract_type):
        if previous.contract_type in drafted_types or deal.draft_of_type(previous.contract_type) is not previous:
            continue
        stated = draft_of_type(meeting, decisions, previous.contract_type, "", timezone=timezone)
        changes = next_version(previous, stated, "").changes
        if changes:
            changed = ", ".join(c.label for c in changes)
            reason = f"{previous.contract_type}: the meeting changes the deal's {previous.contract_type} ({changed})."
            drafts.append(next_version(previous, stated.model_copy(update={"type_reason": reason}), reason))
    return MeetingDrafts(
        meeting_id=meeting.meeting_id,
        drafts=tuple(drafts),
        no_draft=own.no_draft if not drafts else None,
        deal=link,
    )
