"""A decision before it gets its id: the extraction steps build these, the extractor numbers them."""

from __future__ import annotations

from dataclasses import dataclass, field

from bridge_pipeline.models import Amount, Citation, DateMention, Decision, DecisionKind


@dataclass
class DecisionDraft:
    kind: DecisionKind
    text: str
    topic: str
    confidence: float
    citations: list[Citation]
    order: tuple[int, int]
    """(utterance index, sentence number) of the statement the decision rests on, for numbering."""
    owner: str | None = None
    due_date: DateMention | None = None
    amounts: list[Amount] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    terms: dict[str, str] = field(default_factory=dict)

    def add_citation(self, citation: Citation) -> None:
        if all(c.utterance_index != citation.utterance_index for c in self.citations):
            self.citations.append(citation)
            self.citations.sort(key=lambda c: c.utterance_index)

    def to_decision(self, meeting_id: str, number: int) -> Decision:
        return Decision(
            decision_id=f"{meeting_id}-d{number:03d}",
            meeting_id=meeting_id,
            kind=self.kind,
            text=self.text,
            topic=self.topic,
            owner=self.owner,
            due_date=self.due_date,
            amounts=tuple(self.amounts),
            parties=tuple(dict.fromkeys(self.parties)),
            terms=dict(self.terms),
            confidence=round(min(0.97, max(0.05, self.confidence)), 2),
            citations=tuple(self.citations),
        )
