"""What a QA rule sees: the draft, the decisions behind it, the meeting and helpers to cite them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable

from bridge_pipeline.drafting.fields import FieldCandidate, in_time_order, scalar_candidates
from bridge_pipeline.drafting.templates import FieldSpec, TemplateSpec
from bridge_pipeline.drafting.values import format_clock, parse_iso_date
from bridge_pipeline.models import Citation, ContractDraft, Decision, DraftField, MeetingInfo


def cite(citation: Citation | None) -> str:
    """'Zofia Kowalczyk at 00:12:31'."""
    return f"{citation.speaker} at {format_clock(citation.start_s)}" if citation else ""


def ref(name: str, citation: Citation | None = None) -> str:
    """A field name with the citation it rests on: 'fee_total (Zofia Kowalczyk at 00:12:31)'."""
    return f"{name} ({cite(citation)})" if citation else name


@dataclass(frozen=True)
class QAContext:
    draft: ContractDraft
    decisions: tuple[Decision, ...]
    """The meeting's decisions in the order they were voiced."""
    meeting: MeetingInfo
    template: TemplateSpec
    low_confidence_threshold: float
    earlier_decisions: tuple[Decision, ...] = ()
    """Decisions of earlier meetings of the deal that a later version's carried-forward fields rest on."""

    @classmethod
    def build(
        cls,
        draft: ContractDraft,
        decisions: Iterable[Decision],
        meeting: MeetingInfo,
        template: TemplateSpec,
        threshold: float,
        earlier_decisions: Iterable[Decision] = (),
    ) -> "QAContext":
        return cls(draft, in_time_order(decisions), meeting, template, threshold, tuple(earlier_decisions))

    @property
    def meeting_date(self) -> dt.date:
        """The meeting's day in the pipeline's timezone (the day partition it belongs to)."""
        return self.meeting.partition_date

    @cached_property
    def decision_by_id(self) -> dict[str, Decision]:
        """This meeting's decisions and the earlier ones its fields carry forward."""
        return {d.decision_id: d for d in self.earlier_decisions + self.decisions}

    @cached_property
    def earlier_meeting_ids(self) -> frozenset[str]:
        return frozenset(d.meeting_id for d in self.earlier_decisions)

    def field(self, name: str) -> DraftField | None:
        return self.draft.field(name)

    def value(self, name: str) -> str | None:
        found = self.draft.field(name)
        return found.value if found else None

    def spec(self, name: str) -> FieldSpec | None:
        return self.template.field_spec(name)

    def filled(self) -> list[DraftField]:
        return [f for f in self.draft.fields if f.value is not None]

    def party_fields(self) -> list[DraftField]:
        return [f for f in self.draft.fields if (s := self.spec(f.name)) is not None and s.kind == "party"]

    def fields_of_kind(self, kind: str) -> list[DraftField]:
        return [f for f in self.draft.fields if (s := self.spec(f.name)) is not None and s.kind == kind]

    def decisions_for(self, field: DraftField) -> list[Decision]:
        """The decisions a field rests on, in the order they were voiced; unknown ids are skipped."""
        return [self.decision_by_id[i] for i in field.decision_ids if i in self.decision_by_id]

    def candidates(self, field: DraftField) -> list[FieldCandidate]:
        """Each decision's own statement of a single-valued field."""
        spec = self.spec(field.name)
        return scalar_candidates(spec, self.decisions_for(field)) if spec else []

    def citation_for(self, field: DraftField) -> Citation | None:
        """The first citation of the latest decision a field rests on (the statement that counts)."""
        if not field.decision_ids:
            return field.citations[0] if field.citations else None
        latest = self.decision_by_id.get(field.decision_ids[-1])
        if latest is not None:
            return latest.citations[0]
        return field.citations[0] if field.citations else None

    def ref(self, name: str) -> str:
        found = self.field(name)
        return ref(name, self.citation_for(found) if found else None)

    def date_value(self, name: str) -> dt.date | None:
        return parse_iso_date(self.value(name))
