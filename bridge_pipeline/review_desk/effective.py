"""A draft version as counsel sees it now: the stored version plus review actions the pipeline has not re-drafted yet.

The stored version already holds the actions that were taken before its day was last drafted. Applying every
action of the version again is harmless (the drafted value a field replaced is kept in its FieldReview), and
what differs from the stored version is what is still pending until the review sensor re-drafts the day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bridge_pipeline.drafting.drafter import clause_context
from bridge_pipeline.drafting.review import (
    actions_for,
    apply_review,
    cover_fingerprint,
    review_state,
    reviewed_fields,
)
from bridge_pipeline.models import ContractDraft, DraftField, MeetingInfo, ReviewAction, ReviewStatus

UNREVIEWED: ReviewStatus = "draft"


@dataclass(frozen=True)
class EffectiveDraft:
    stored: ContractDraft
    draft: ContractDraft  # fields, clauses, changes and review with every action on this version applied
    actions: tuple[ReviewAction, ...]  # the actions on this version, oldest first

    @property
    def status(self) -> ReviewStatus:
        return self.draft.review.status if self.draft.review is not None else UNREVIEWED

    @property
    def status_pending(self) -> bool:
        return self.draft.review != self.stored.review

    @property
    def pending_fields(self) -> frozenset[str]:
        """Fields whose value counsel set after the stored version was drafted."""
        pending = set()
        for field in self.draft.fields:
            stored = self.stored.field(field.name)
            if field.review is None:
                continue
            if stored is None or stored.review is None or stored.review.action_id != field.review.action_id:
                pending.add(field.name)
        return frozenset(pending)

    @property
    def pending(self) -> bool:
        return self.status_pending or bool(self.pending_fields)

    @property
    def open_fields(self) -> list[DraftField]:
        """TBD fields, required ones first."""
        return sorted((f for f in self.draft.fields if f.is_tbd), key=lambda f: not f.required)

    @property
    def filled_fields(self) -> list[DraftField]:
        return [f for f in self.draft.fields if not f.is_tbd]

    @property
    def open_required(self) -> int:
        return sum(1 for f in self.draft.fields if f.is_tbd and f.required)

    @property
    def open_optional(self) -> int:
        return sum(1 for f in self.draft.fields if f.is_tbd and not f.required)

    def fingerprint(self) -> str:
        """What an approval of the values shown records."""
        return cover_fingerprint(self.stored, self.draft.fields)


def effective_draft(
    stored: ContractDraft, actions: Sequence[ReviewAction], meeting: MeetingInfo | None, timezone: str
) -> EffectiveDraft:
    """`actions` may hold actions on other drafts and versions; only this version's are applied."""
    mine = actions_for(stored, actions)
    if meeting is not None:
        context = clause_context(meeting, timezone)
    else:  # the meeting row is gone (the day was re-run without it); the clause text keeps its date
        context = {"meeting_title": stored.title, "meeting_date": stored.partition_date.isoformat()}
    return EffectiveDraft(stored=stored, draft=apply_review(stored, mine, context), actions=tuple(mine))


def status_of(stored: ContractDraft, actions: Sequence[ReviewAction]) -> ReviewStatus:
    """The effective review status alone (no clause text), for lists of versions."""
    mine = actions_for(stored, actions)
    state = review_state(stored, reviewed_fields(stored.fields, mine), mine) if mine else stored.review
    return state.status if state is not None else UNREVIEWED
