"""QA scenarios: a clean meeting of each type, changed in one place so that one rule fires or stays quiet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from bridge_pipeline.drafting.drafter import draft_meeting
from bridge_pipeline.models import Clause, ContractDraft, Decision, MeetingDecisions, MeetingInfo, QAFinding
from bridge_pipeline.qa.runner import run_qa
from bridge_pipeline_tests.drafting.decision_builders import (
    CLEAN_DECISIONS,
    MEETING_ID,
    amount,
    decision,
    meeting,
)


@dataclass(frozen=True)
class Scenario:
    contract_type: str
    decisions: MeetingDecisions
    meeting: MeetingInfo
    edit_draft: Callable[[ContractDraft], ContractDraft] | None = None
    qa_meeting: MeetingInfo | None = None
    """The meeting QA is told about, when it differs from the one the draft was built for."""

    def findings(self) -> list[QAFinding]:
        drafts = draft_meeting(self.meeting, self.decisions).drafts
        draft = next(d for d in drafts if d.contract_type == self.contract_type)
        if self.edit_draft:
            draft = self.edit_draft(draft)
        return run_qa(draft, self.decisions, self.qa_meeting or self.meeting)


def clean(contract_type: str) -> Scenario:
    return Scenario(contract_type, CLEAN_DECISIONS[contract_type](), meeting())


def _replace(decisions: MeetingDecisions, items: list[Decision]) -> MeetingDecisions:
    return MeetingDecisions(meeting_id=decisions.meeting_id, decisions=tuple(items), extractor=decisions.extractor)


def terms(contract_type: str, n: int, **new_terms: str) -> Scenario:
    """Clean meeting whose decision n states `new_terms` instead of its own terms (value '' drops a term)."""
    return edit(contract_type, n, terms={k: v for k, v in new_terms.items() if v})


def merge_terms(contract_type: str, n: int, **changes: str) -> Scenario:
    """Clean meeting whose decision n has some terms changed ('' removes one) and keeps the others."""
    base = clean(contract_type)
    old = next(d for d in base.decisions.decisions if d.decision_id.endswith(f"d{n:03d}"))
    merged = {**old.terms, **changes}
    return edit(contract_type, n, terms={k: v for k, v in merged.items() if v})


def edit(contract_type: str, n: int, **update) -> Scenario:
    """Clean meeting whose decision n is changed by pydantic model_copy(update=...)."""
    base = clean(contract_type)
    items = [d.model_copy(update=update) if d.decision_id.endswith(f"d{n:03d}") else d for d in base.decisions.decisions]
    return Scenario(contract_type, _replace(base.decisions, items), base.meeting)


def without(contract_type: str, *numbers: int) -> Scenario:
    base = clean(contract_type)
    items = [d for d in base.decisions.decisions if not any(d.decision_id.endswith(f"d{n:03d}") for n in numbers)]
    return Scenario(contract_type, _replace(base.decisions, items), base.meeting)


def plus(contract_type: str, *extra: Decision) -> Scenario:
    base = clean(contract_type)
    return Scenario(contract_type, _replace(base.decisions, [*base.decisions.decisions, *extra]), base.meeting)


def checked_against(contract_type: str, info: MeetingInfo) -> Scenario:
    """Clean draft handed to QA together with another meeting's details."""
    base = clean(contract_type)
    return Scenario(contract_type, base.decisions, base.meeting, qa_meeting=info)


def due_on(contract_type: str, n: int, day: dt.date) -> Scenario:
    """Clean meeting whose decision n is due on `day` instead."""
    base = clean(contract_type)
    old = next(d for d in base.decisions.decisions if d.decision_id.endswith(f"d{n:03d}"))
    return edit(contract_type, n, due_date=old.due_date.model_copy(update={"value": day}))


def draft_edit(contract_type: str, change: Callable[[ContractDraft], ContractDraft]) -> Scenario:
    base = clean(contract_type)
    return Scenario(contract_type, base.decisions, base.meeting, change)


def set_field(name: str, **update) -> Callable[[ContractDraft], ContractDraft]:
    def change(draft: ContractDraft) -> ContractDraft:
        fields = tuple(f.model_copy(update=update) if f.name == name else f for f in draft.fields)
        return draft.model_copy(update={"fields": fields})

    return change


def set_clause(number: str, body: str | None) -> Callable[[ContractDraft], ContractDraft]:
    """Rewrite clause `number`'s body, or drop the clause when body is None."""

    def change(draft: ContractDraft) -> ContractDraft:
        clauses = tuple(
            Clause(number=c.number, heading=c.heading, body=body) if c.number == number else c
            for c in draft.clauses
            if not (c.number == number and body is None)
        )
        return draft.model_copy(update={"clauses": clauses})

    return change


__all__ = ["MEETING_ID", "amount", "decision", "meeting"]
