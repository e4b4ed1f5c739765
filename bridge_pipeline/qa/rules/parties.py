"""QA rules on the parties: at least two, not the same organisation twice, roles and legal names."""

from __future__ import annotations

import re

from bridge_pipeline.drafting.fields import LIST_SEPARATOR
from bridge_pipeline.drafting.party_fields import ROLE_TERMS, named_parties
from bridge_pipeline.drafting.parties import has_legal_suffix, org_key, plain_words
from bridge_pipeline.qa.context import QAContext, cite
from bridge_pipeline.models import Citation
from bridge_pipeline.qa.registry import Issue, rule


def _listed_others(ctx: QAContext) -> list[str]:
    others = ctx.value("other_parties")
    return others.split(LIST_SEPARATOR) if others else []


# Missing is not misleading: a party nobody named stays TBD and the draft still goes to counsel.
@rule("PT-01", "warning", "Fewer than two distinct parties")
def too_few_parties(ctx: QAContext):
    names = [f.value for f in ctx.party_fields() if f.value] + _listed_others(ctx)
    distinct = {org_key(n) for n in names}
    if len(distinct) < 2:
        found = ", ".join(names) if names else "none"
        open_field = next((f.name for f in ctx.party_fields() if f.is_tbd), None)
        yield Issue(
            f"{open_field or 'parties'}: the draft needs two contracting parties; decisions name "
            f"{len(distinct)} ({found}); the missing party is TBD.",
            field=open_field,
        )


@rule("PT-04", "blocking", "Same organisation in two roles")
def same_party_twice(ctx: QAContext):
    seen: dict[str, str] = {}
    for field in ctx.party_fields():
        if not field.value:
            continue
        key = org_key(field.value)
        if key in seen:
            yield Issue(
                f"{ctx.ref(field.name)} and {ctx.ref(seen[key])} are the same organisation "
                f"({ctx.value(seen[key])!r} / {field.value!r}).",
                field=field.name,
                citation=ctx.citation_for(field),
            )
        else:
            seen[key] = field.name


@rule("PT-02", "warning", "Party named without a role")
def party_without_role(ctx: QAContext):
    listed = {org_key(n) for n in _listed_others(ctx)}
    for party in named_parties(ctx.decisions):
        if party.key in listed:
            citation = party.decisions[0].citations[0]
            yield Issue(
                f"other_parties ({cite(citation)}): {party.name!r} is named but no decision says which role it "
                "takes; place it in the parties block or remove it.",
                field="other_parties",
                citation=citation,
            )


@rule("PT-03", "warning", "Party not heard in the cited words")
def party_not_in_quotes(ctx: QAContext):
    for field in ctx.party_fields():
        if not field.value or not field.citations:
            continue
        key = org_key(field.value)
        heard = any(re.search(rf"\b{re.escape(key)}\b", plain_words(c.quote)) for c in field.citations)
        if not heard:
            yield Issue(
                f"{ctx.ref(field.name)}: {field.value!r} does not occur in any cited utterance; confirm the name.",
                field=field.name,
                citation=ctx.citation_for(field),
            )


@rule("PT-05", "info", "Party name without a legal form")
def no_legal_form(ctx: QAContext):
    for field in ctx.party_fields():
        if field.value and not has_legal_suffix(field.value):
            yield Issue(
                f"{ctx.ref(field.name)}: {field.value!r} has no legal form (Inc, Ltd, GmbH...); confirm the full "
                "legal name.",
                field=field.name,
                citation=ctx.citation_for(field),
            )


@rule("PT-08", "warning", "Legal name stated in two ways")
def two_legal_names(ctx: QAContext):
    spellings: dict[str, dict[str, Citation]] = {}
    for decision in ctx.decisions:
        names = list(decision.parties) + [decision.terms[t] for t in ROLE_TERMS if decision.terms.get(t)]
        for name in names:
            name = " ".join(name.split())
            if has_legal_suffix(name):
                spellings.setdefault(org_key(name), {}).setdefault(name, decision.citations[0])
    for forms in spellings.values():
        if len({plain_words(n) for n in forms}) > 1:
            stated = "; ".join(f"{n!r} ({cite(c)})" for n, c in forms.items())
            yield Issue(f"one party is given different legal names: {stated}; confirm the registered name.")
