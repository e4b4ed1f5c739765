"""QA rules on money: one amount per field, one currency per draft, milestones that add up, payment terms."""

from __future__ import annotations

import re
from decimal import Decimal

from bridge_pipeline.drafting.fields import milestone_amount
from bridge_pipeline.drafting.values import parse_duration, parse_money
from bridge_pipeline.qa.context import QAContext, cite
from bridge_pipeline.qa.registry import Issue, rule

PAYMENT_DAYS_LIMIT = 90


@rule("MN-01", "blocking", "Decisions state different amounts for one field")
def inconsistent_amounts(ctx: QAContext):
    for field in ctx.fields_of_kind("money"):
        candidates = ctx.candidates(field)
        if len({c.compare_key for c in candidates}) > 1:
            stated = "; ".join(f"{c.value} ({cite(c.decision.citations[0])})" for c in candidates)
            yield Issue(
                f"{field.name} is stated as different amounts: {stated}. Settle the amount before this draft is "
                "shared.",
                field=field.name,
                citation=ctx.citation_for(field),
            )


@rule("MN-02", "blocking", "Amount without a currency")
def amount_without_currency(ctx: QAContext):
    for field in ctx.fields_of_kind("money"):
        if field.value and parse_money(field.value) is None:
            yield Issue(
                f"{ctx.ref(field.name)}: {field.value!r} is not an amount with an ISO currency code.",
                field=field.name,
                citation=ctx.citation_for(field),
            )
    for decision in ctx.decisions:
        for amount in decision.amounts:
            if not re.fullmatch(r"[A-Z]{3}", amount.currency):
                yield Issue(
                    f"{decision.decision_id} ({cite(decision.citations[0])}): the amount {amount.text!r} has no "
                    f"ISO currency code (got {amount.currency!r}).",
                    citation=decision.citations[0],
                )


@rule("MN-10", "blocking", "Currencies mixed within the draft")
def mixed_currencies(ctx: QAContext):
    used: dict[str, list[str]] = {}
    for field in ctx.fields_of_kind("money"):
        money = parse_money(field.value)
        if money:
            used.setdefault(money.currency, []).append(ctx.ref(field.name))
    milestones = ctx.field("milestones")
    if milestones is not None:
        for decision in ctx.decisions_for(milestones):
            amount = milestone_amount(decision)
            if amount:
                used.setdefault(amount.currency.upper(), []).append(f"milestones ({cite(decision.citations[0])})")
    if len(used) > 1:
        listed = "; ".join(f"{currency} in {', '.join(where)}" for currency, where in sorted(used.items()))
        yield Issue(f"the draft mixes currencies: {listed}. Agree one currency or a conversion rule.")


@rule("MN-03", "blocking", "Milestone payments do not add up to the total fee", applies_to=("SOW",))
def milestones_vs_total(ctx: QAContext):
    total = parse_money(ctx.value("fee_total"))
    milestones = ctx.field("milestones")
    if total is None or milestones is None:
        return
    amounts = [(d, a) for d in ctx.decisions_for(milestones) if (a := milestone_amount(d)) is not None]
    if not amounts or any(a.currency.upper() != total.currency for _, a in amounts):
        return  # nothing to add up, or mixed currencies, which MN-10 reports
    paid = sum((a.value for _, a in amounts), Decimal(0))
    if abs(paid - total.value) > Decimal("0.01"):
        parts = " + ".join(f"{a.value:,.2f} ({cite(d.citations[0])})" for d, a in amounts)
        yield Issue(
            f"milestones: {parts} = {total.currency} {paid:,.2f}, but {ctx.ref('fee_total')} is {ctx.value('fee_total')}.",
            field="milestones",
            citation=ctx.citation_for(ctx.field("fee_total")),
        )


@rule("MN-05", "warning", "Fee without payment terms or invoicing", applies_to=("SOW", "SLA"))
def fee_without_payment_terms(ctx: QAContext):
    fee_fields = [f for f in ctx.fields_of_kind("money") if f.value]
    if not fee_fields:
        return
    missing = [name for name in ("payment_terms", "invoice_cadence") if ctx.field(name) and not ctx.value(name)]
    if missing:
        yield Issue(
            f"{ctx.ref(fee_fields[0].name)}: a fee is agreed but {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not; say when invoices go out and when they are due.",
            field=missing[0],
            citation=ctx.citation_for(fee_fields[0]),
        )


@rule("MN-06", "warning", "Amount or payment period out of the usual range")
def out_of_range_money(ctx: QAContext):
    for field in ctx.fields_of_kind("money"):
        money = parse_money(field.value)
        if money and money.value <= 0:
            yield Issue(
                f"{ctx.ref(field.name)}: {field.value} is not a positive amount.",
                field=field.name,
                citation=ctx.citation_for(field),
            )
    period = parse_duration(ctx.value("payment_terms"))
    if period and period.as_days() > PAYMENT_DAYS_LIMIT:
        yield Issue(
            f"{ctx.ref('payment_terms')}: {ctx.value('payment_terms')} to pay is longer than {PAYMENT_DAYS_LIMIT} days.",
            field="payment_terms",
            citation=ctx.citation_for(ctx.field("payment_terms")),
        )
