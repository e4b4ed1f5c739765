"""QA rules on the draft's shape: clauses as the template has them, the right contract types for the meeting."""

from __future__ import annotations

from bridge_pipeline.drafting.contract_type import choose_contract_types, evidenced_types
from bridge_pipeline.qa.context import QAContext, cite
from bridge_pipeline.qa.registry import Issue, rule


@rule("ST-01", "warning", "Decisions point to a contract type that was not drafted")
def other_type_evidenced(ctx: QAContext):
    drafted = {choice.contract_type for choice in choose_contract_types(ctx.decisions)}
    for contract_type, stated in evidenced_types(ctx.decisions).items():
        if contract_type in drafted:
            continue
        first_id = next(iter(stated))
        decision = ctx.decision_by_id[first_id]
        keys = sorted({k for ks in stated.values() for k in ks})
        yield Issue(
            f"decisions {', '.join(stated)} (first: {cite(decision.citations[0])}) state {contract_type} terms "
            f"({', '.join(keys)}) but no "
            f"{contract_type} draft was made for this meeting; consider adding one.",
            citation=decision.citations[0],
        )


@rule("ST-04", "warning", "Clauses differ from the template")
def clauses_differ(ctx: QAContext):
    expected = [(c.number, c.heading) for c in ctx.template.clauses]
    actual = [(c.number, c.heading) for c in ctx.draft.clauses]
    if expected != actual:
        missing = [f"{n} {h}" for n, h in expected if (n, h) not in actual]
        extra = [f"{n} {h}" for n, h in actual if (n, h) not in expected]
        detail = "; ".join(
            part for part in (
                f"missing: {', '.join(missing)}" if missing else "",
                f"not in the template: {', '.join(extra)}" if extra else "",
                "order or duplicates differ" if not missing and not extra else "",
            ) if part
        )
        yield Issue(f"the clauses are not those of {ctx.template.contract_type} template {ctx.template.version} ({detail}).")
