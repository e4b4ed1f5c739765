"""QA rules for statements of work: deliverables and milestones with dates, owners and acceptance."""

from __future__ import annotations

from bridge_pipeline.drafting.fields import milestone_amount
from bridge_pipeline.qa.context import QAContext, cite
from bridge_pipeline.qa.registry import Issue, rule


@rule("SW-03", "warning", "Deliverable or milestone without a due date", applies_to=("SOW",))
def item_without_date(ctx: QAContext):
    for name in ("deliverables", "milestones"):
        field = ctx.field(name)
        if field is None:
            continue
        for decision in ctx.decisions_for(field):
            if decision.due_date is None:
                citation = decision.citations[0]
                item = decision.terms.get("deliverable" if name == "deliverables" else "milestone") or decision.text
                yield Issue(
                    f"{name} ({cite(citation)}): {item!r} has no due date.",
                    field=name,
                    citation=citation,
                )


@rule("SW-10", "warning", "Deliverable without an owner", applies_to=("SOW",))
def deliverable_without_owner(ctx: QAContext):
    field = ctx.field("deliverables")
    for decision in ctx.decisions_for(field) if field else []:
        if not decision.owner:
            citation = decision.citations[0]
            yield Issue(
                f"deliverables ({cite(citation)}): {decision.terms.get('deliverable') or decision.text!r} has no "
                "responsible party.",
                field="deliverables",
                citation=citation,
            )


@rule("SW-04", "warning", "Deliverables without acceptance", applies_to=("SOW",))
def deliverables_without_acceptance(ctx: QAContext):
    if ctx.value("deliverables") and not ctx.value("acceptance"):
        yield Issue(
            f"{ctx.ref('deliverables')}: deliverables are listed but no acceptance criteria or acceptance period "
            "was agreed.",
            field="acceptance",
            citation=ctx.citation_for(ctx.field("deliverables")),
        )


@rule("SW-12", "warning", "Milestone payments without a total fee", applies_to=("SOW",))
def milestone_payments_without_total(ctx: QAContext):
    field = ctx.field("milestones")
    paid = [d for d in ctx.decisions_for(field) if milestone_amount(d)] if field else []
    if paid and not ctx.value("fee_total"):
        yield Issue(
            f"milestones ({cite(paid[0].citations[0])}): milestone payments are agreed but fee_total is TBD; "
            "state the total so the instalments can be checked against it.",
            field="fee_total",
            citation=paid[0].citations[0],
        )
