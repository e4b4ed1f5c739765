"""QA rules on completeness: TBD fields, leftover placeholders, values that did not reach the clause text."""

from __future__ import annotations

import re

from bridge_pipeline.drafting.templates import placeholders_in
from bridge_pipeline.qa.context import QAContext
from bridge_pipeline.qa.registry import Issue, rule

_TEMPLATE_SYNTAX = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|\{\{|\}\}|\{%|%\}")


@rule("PH-01", "warning", "Required field left TBD")
def required_field_tbd(ctx: QAContext):
    for field in ctx.draft.fields:
        if field.required and field.is_tbd:
            yield Issue(
                f"{field.name} ({field.label}) is TBD: no decision in the meeting states it; agree it before signature.",
                field=field.name,
            )


@rule("PH-02", "blocking", "Template placeholder left in the clause text")
def placeholder_left(ctx: QAContext):
    for clause in ctx.draft.clauses:
        for match in sorted(set(_TEMPLATE_SYNTAX.findall(clause.body))):
            yield Issue(f"clause {clause.number} ({clause.heading}) still contains the template syntax {match!r}.")


@rule("PH-04", "blocking", "Field value missing from the clause text")
def value_not_rendered(ctx: QAContext):
    text = " ".join(" ".join(c.body.split()) for c in ctx.draft.clauses)
    referenced = {name for c in ctx.template.clauses for name in placeholders_in(c.body)}
    for field in ctx.filled():
        if field.name in referenced and " ".join(field.value.split()) not in text:
            yield Issue(
                f"{ctx.ref(field.name)}: the value {field.value!r} does not appear in the clause text.",
                field=field.name,
                citation=ctx.citation_for(field),
            )


@rule("PH-07", "info", "Required fields still to agree")
def completeness_summary(ctx: QAContext):
    required = [f for f in ctx.draft.fields if f.required]
    open_fields = [f.name for f in required if f.is_tbd]
    if open_fields:
        yield Issue(
            f"{len(required) - len(open_fields)} of {len(required)} required fields are filled; "
            f"TBD: {', '.join(open_fields)}."
        )
