"""QA rules for memoranda of understanding: an end, both parties contributing, nothing binding by accident."""

from __future__ import annotations

import re

from bridge_pipeline.drafting.parties import org_key
from bridge_pipeline.qa.context import QAContext, cite
from bridge_pipeline.qa.registry import Issue, rule

_MONEY_TERMS = ("fee_total", "fee_recurring")


@rule("MU-03", "warning", "MoU without an end", applies_to=("MOU",))
def mou_without_end(ctx: QAContext):
    if not ctx.value("term") and not ctx.value("end_date"):
        yield Issue(
            "term and end_date are both TBD: say when the memorandum ends so it does not run without limit.",
            field="term",
        )


@rule("MU-04", "warning", "Responsibilities for only one party", applies_to=("MOU",))
def one_sided_responsibilities(ctx: QAContext):
    field = ctx.field("responsibilities")
    if field is None or field.is_tbd:
        return
    parties = {org_key(p.value): p.value for p in ctx.party_fields() if p.value}
    covered = set()
    for decision in ctx.decisions_for(field):
        for who in ([decision.owner] if decision.owner else []) + list(decision.parties):
            if org_key(who) in parties:
                covered.add(org_key(who))
    left_out = [name for key, name in parties.items() if key not in covered]
    if left_out:
        yield Issue(
            f"{ctx.ref('responsibilities')}: no responsibility is assigned to {', '.join(left_out)}; an MoU "
            "normally says what each party contributes.",
            field="responsibilities",
            citation=ctx.citation_for(field),
        )


@rule("MU-02", "warning", "Money commitments in a memorandum", applies_to=("MOU",))
def money_in_mou(ctx: QAContext):
    for decision in ctx.decisions:
        if decision.amounts or any(decision.terms.get(k) for k in _MONEY_TERMS):
            spoken = ", ".join(a.text for a in decision.amounts) or ", ".join(
                decision.terms[k] for k in _MONEY_TERMS if decision.terms.get(k)
            )
            yield Issue(
                f"{decision.decision_id} ({cite(decision.citations[0])}) commits money ({spoken}); an MoU is mostly "
                "non-binding, so put payments in a SOW or another binding agreement.",
                citation=decision.citations[0],
            )


@rule("MU-05", "info", "Exclusivity without an end", applies_to=("MOU",))
def open_ended_exclusivity(ctx: QAContext):
    exclusivity = ctx.value("exclusivity")
    if exclusivity and not re.search(r"\d", exclusivity) and not re.search(r"\bno(ne|t)?\b", exclusivity, re.IGNORECASE):
        yield Issue(
            f"{ctx.ref('exclusivity')}: {exclusivity!r} gives no period or end date for exclusivity.",
            field="exclusivity",
            citation=ctx.citation_for(ctx.field("exclusivity")),
        )


@rule("MU-07", "warning", "Whole memorandum made binding", applies_to=("MOU",))
def everything_binding(ctx: QAContext):
    binding = ctx.value("binding_provisions") or ""
    sweeping = re.search(r"\b(all|entire|whole|every|fully)\b", binding, re.IGNORECASE)
    limited = re.search(r"\bnone\b|\bonly\b|non[- ]?binding|not binding", binding, re.IGNORECASE)
    if sweeping and not limited:
        yield Issue(
            f"{ctx.ref('binding_provisions')}: {binding!r} makes the whole memorandum binding; a binding "
            "agreement should be drafted as a contract instead.",
            field="binding_provisions",
            citation=ctx.citation_for(ctx.field("binding_provisions")),
        )
