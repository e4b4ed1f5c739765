"""QA rules for NDAs: confidentiality period, direction of disclosure, terms that do not belong in an NDA."""

from __future__ import annotations

import re

from bridge_pipeline.drafting.parties import org_key
from bridge_pipeline.drafting.values import parse_duration
from bridge_pipeline.qa.context import QAContext, cite
from bridge_pipeline.qa.registry import Issue, rule

# Terms that restrict trade rather than protect information; unusual in an NDA (CUAD group 2 and the like).
RESTRICTIVE_TERMS = ("exclusivity",)


def _direction(ctx: QAContext) -> str | None:
    """'mutual' or 'one_way' as the latest decision stated it."""
    field = ctx.field("direction")
    candidates = ctx.candidates(field) if field and field.value else []
    return candidates[-1].compare_key if candidates else None


@rule("ND-02", "warning", "NDA without a usable confidentiality period", applies_to=("NDA",))
def confidentiality_period(ctx: QAContext):
    value = ctx.value("confidentiality_period")
    if value is None:
        yield Issue(
            "confidentiality_period is TBD: say how long the duties last after disclosure (for example 3 years).",
            field="confidentiality_period",
        )
    elif re.search(r"perpetu|indefinite|forever", value, re.IGNORECASE):
        yield Issue(
            f"{ctx.ref('confidentiality_period')}: {value!r} protects all information without end; usually only "
            "trade secrets are protected indefinitely.",
            field="confidentiality_period",
            citation=ctx.citation_for(ctx.field("confidentiality_period")),
        )


@rule("ND-03", "warning", "Direction of disclosure contradicts the decisions", applies_to=("NDA",))
def direction_contradiction(ctx: QAContext):
    direction = _direction(ctx)
    disclosers = {}
    for decision in ctx.decisions:
        name = (decision.terms.get("discloser") or "").strip()
        if name:
            disclosers.setdefault(org_key(name), (name, decision.citations[0]))
    if direction == "one_way" and len(disclosers) > 1:
        named = "; ".join(f"{n!r} ({cite(c)})" for n, c in disclosers.values())
        yield Issue(
            f"{ctx.ref('direction')}: the NDA is one-way but decisions name more than one disclosing party: "
            f"{named}. Consider a mutual NDA.",
            field="direction",
            citation=ctx.citation_for(ctx.field("direction")),
        )
    if direction == "mutual" and disclosers:
        name, citation = next(iter(disclosers.values()))
        yield Issue(
            f"{ctx.ref('direction')}: the NDA is mutual but {name!r} is named as the only discloser "
            f"({cite(citation)}); confirm the direction.",
            field="direction",
            citation=ctx.citation_for(ctx.field("direction")),
        )


@rule("ND-07", "warning", "One-way NDA without a named discloser", applies_to=("NDA",))
def one_way_without_discloser(ctx: QAContext):
    if _direction(ctx) == "one_way" and not any((d.terms.get("discloser") or "").strip() for d in ctx.decisions):
        yield Issue(
            f"{ctx.ref('direction')}: the NDA is one-way but no decision says which party discloses; Party A is "
            "only the first party named, so party_a may be wrong.",
            field="party_a",
            citation=ctx.citation_for(ctx.field("direction")),
        )


@rule("ND-04", "warning", "Restrictive terms discussed for an NDA", applies_to=("NDA",))
def restrictive_terms(ctx: QAContext):
    for decision in ctx.decisions:
        for key in RESTRICTIVE_TERMS:
            if decision.terms.get(key):
                yield Issue(
                    f"{decision.decision_id} ({cite(decision.citations[0])}) states {key} "
                    f"({decision.terms[key]!r}); restrictions like this are unusual in an NDA and need their own "
                    "clause reviewed by counsel.",
                    citation=decision.citations[0],
                )


@rule("ND-06", "warning", "Confidentiality ends before the NDA term", applies_to=("NDA",))
def confidentiality_shorter_than_term(ctx: QAContext):
    period = parse_duration(ctx.value("confidentiality_period"))
    term = parse_duration(ctx.value("term"))
    if period and term and period.as_days() < term.as_days():
        yield Issue(
            f"{ctx.ref('confidentiality_period')}: {ctx.value('confidentiality_period')} is shorter than the NDA "
            f"term of {ctx.value('term')}, so information shared late in the term is protected only briefly.",
            field="confidentiality_period",
            citation=ctx.citation_for(ctx.field("confidentiality_period")),
        )
