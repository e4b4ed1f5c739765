"""QA rules on provenance: every value cited, citations that exist, confidence, disagreeing decisions."""

from __future__ import annotations

from bridge_pipeline.drafting.contract_type import choose_contract_types
from bridge_pipeline.drafting.parties import is_short_form
from bridge_pipeline.drafting.templates import load_template
from bridge_pipeline.qa.context import QAContext, cite
from bridge_pipeline.qa.registry import Issue, rule


@rule("PV-01", "blocking", "Filled field without a citation")
def uncited_value(ctx: QAContext):
    for field in ctx.filled():
        # A value counsel set at review has counsel as its provenance, shown in the appendix.
        if field.review is None and (not field.decision_ids or not field.citations):
            yield Issue(
                f"{field.name} has the value {field.value!r} but no decision or transcript citation behind it.",
                field=field.name,
            )


@rule("PV-03", "blocking", "Field cites a decision or meeting that is not there")
def dangling_provenance(ctx: QAContext):
    for field in ctx.draft.fields:
        unknown = [i for i in field.decision_ids if i not in ctx.decision_by_id]
        if unknown:
            yield Issue(
                f"{field.name} rests on decisions this meeting does not have: {', '.join(unknown)}.",
                field=field.name,
            )
        # A later version may cite the earlier meetings of its deal whose decisions it carries forward.
        cited = {c.meeting_id for c in field.citations}
        foreign = sorted(cited - {ctx.draft.meeting_id} - ctx.earlier_meeting_ids)
        if foreign:
            yield Issue(
                f"{field.name} cites another meeting's transcript ({', '.join(foreign)}), "
                f"not {ctx.draft.meeting_id}.",
                field=field.name,
            )


@rule("PV-04", "warning", "Low-confidence decision used in a required field")
def low_confidence(ctx: QAContext):
    for field in ctx.draft.fields:
        if not field.required or field.is_tbd:
            continue
        for decision in ctx.decisions_for(field):
            if decision.confidence < ctx.low_confidence_threshold:
                citation = decision.citations[0]
                yield Issue(
                    f"{field.name} ({cite(citation)}) rests on {decision.decision_id} with confidence "
                    f"{decision.confidence:.2f}, below {ctx.low_confidence_threshold:.2f}; check the transcript.",
                    field=field.name,
                    citation=citation,
                )


@rule("PV-05", "warning", "Decisions disagree on a field")
def conflicting_values(ctx: QAContext):
    for field in ctx.filled():
        spec = ctx.spec(field.name)
        if spec is None or spec.kind in ("list", "money"):
            continue  # lists collect every item; money disagreements are blocking (MN-01)
        candidates = ctx.candidates(field)
        keys = {c.compare_key for c in candidates}
        if spec.kind == "party":
            # 'Nordlicht' and 'Nordlicht Analytics GmbH' name one party; only different organisations disagree.
            keys = {k for k in keys if not any(is_short_form(k, other) for other in keys)}
        if len(keys) > 1:
            stated = "; ".join(f"{c.value!r} ({cite(c.decision.citations[0])})" for c in candidates)
            yield Issue(
                f"{field.name} is stated differently: {stated}. The draft uses the latest, {field.value!r}; "
                "confirm which one was meant.",
                field=field.name,
                citation=ctx.citation_for(field),
            )


@rule("PV-07", "info", "Decision states terms no draft of the meeting has a field for")
def uncovered_terms(ctx: QAContext):
    drafted = [choice.contract_type for choice in choose_contract_types(ctx.decisions)] or [ctx.draft.contract_type]
    covered = frozenset({"contract_type"}).union(*(load_template(t).term_keys for t in drafted))
    for decision in ctx.decisions:
        extra = sorted(k for k in decision.terms if k not in covered)
        if extra:
            yield Issue(
                f"{decision.decision_id} ({cite(decision.citations[0])}) states {', '.join(extra)}, which no "
                f"draft of this meeting ({', '.join(drafted)}) has a field for.",
                citation=decision.citations[0],
            )


@rule("PV-09", "blocking", "Draft does not belong to this meeting")
def wrong_meeting(ctx: QAContext):
    suffix = f"-{ctx.draft.contract_type.lower()}"
    expected_id = f"{ctx.meeting.meeting_id}{suffix}"
    # Version 1 is named after its meeting; later versions keep version 1's id (another meeting of the deal).
    id_fits = (
        ctx.draft.draft_id == expected_id
        if ctx.draft.version == 1
        else ctx.draft.draft_id.endswith(suffix) and ctx.draft.previous_meeting_id is not None
    )
    if ctx.draft.meeting_id != ctx.meeting.meeting_id or not id_fits:
        expected = (
            f"draft id {expected_id}"
            if ctx.draft.version == 1
            else f"version {ctx.draft.version} of a draft id ending in {suffix}, naming the previous version's meeting"
        )
        yield Issue(
            f"draft {ctx.draft.draft_id} (meeting {ctx.draft.meeting_id}) was checked against meeting "
            f"{ctx.meeting.meeting_id}; expected {expected}."
        )
