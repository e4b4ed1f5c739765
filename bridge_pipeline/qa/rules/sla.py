"""QA rules for SLAs: a real uptime target, credits tied to it, ordered response times, support timezone."""

from __future__ import annotations

import re
from decimal import Decimal

from bridge_pipeline.drafting.fields import LIST_SEPARATOR
from bridge_pipeline.drafting.values import parse_duration, parse_percent
from bridge_pipeline.qa.context import QAContext
from bridge_pipeline.qa.registry import Issue, rule

_PRIORITY = re.compile(r"^\s*P\s*(\d+)\s*[:=\-]?\s*(?:within\s+)?(.+?)\s*$", re.IGNORECASE)
_ROUND_THE_CLOCK = re.compile(r"24\s*[x×/]\s*7|around the clock|round the clock", re.IGNORECASE)
_TIMEZONE = re.compile(
    r"\b(UTC|GMT|CET|CEST|EET|EEST|WET|WEST|BST|IST|AEST|AEDT|JST|SGT|[ECMP][SD]?T)\b|UTC\s*[+-]\s*\d|"
    r"\b[A-Z][a-z]+/[A-Z][A-Za-z_]+\b"
)
_PERCENT_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


@rule("SL-01", "blocking", "Uptime target is not a percentage in (0, 100]", applies_to=("SLA",))
def uptime_out_of_range(ctx: QAContext):
    value = ctx.value("uptime_target")
    if value is None:
        return
    pct = parse_percent(value)
    if pct is None or not Decimal(0) < pct <= Decimal(100):
        yield Issue(
            f"{ctx.ref('uptime_target')}: {value!r} is not a percentage above 0 and at most 100.",
            field="uptime_target",
            citation=ctx.citation_for(ctx.field("uptime_target")),
        )


@rule("SL-13", "warning", "Uptime target of 100%", applies_to=("SLA",))
def uptime_hundred(ctx: QAContext):
    pct = parse_percent(ctx.value("uptime_target"))
    if pct is not None and pct == 100:
        yield Issue(
            f"{ctx.ref('uptime_target')}: 100% leaves no room for any downtime, including maintenance; confirm "
            "this was meant.",
            field="uptime_target",
            citation=ctx.citation_for(ctx.field("uptime_target")),
        )


@rule("SL-03", "warning", "Service credits without an uptime target", applies_to=("SLA",))
def credits_without_target(ctx: QAContext):
    if ctx.value("service_credits") and not ctx.value("uptime_target"):
        yield Issue(
            f"{ctx.ref('service_credits')}: credits are agreed but uptime_target is TBD, so nothing says when they "
            "are earned.",
            field="uptime_target",
            citation=ctx.citation_for(ctx.field("service_credits")),
        )


@rule("SL-02", "warning", "Uptime target without service credits", applies_to=("SLA",))
def target_without_credits(ctx: QAContext):
    if ctx.value("uptime_target") and not ctx.value("service_credits"):
        yield Issue(
            f"{ctx.ref('uptime_target')}: a target of {ctx.value('uptime_target')} is agreed but nothing happens "
            "when it is missed; service_credits is TBD.",
            field="service_credits",
            citation=ctx.citation_for(ctx.field("uptime_target")),
        )


@rule("SL-14", "warning", "Service credit above 100%", applies_to=("SLA",))
def credit_above_hundred(ctx: QAContext):
    credits = ctx.value("service_credits") or ""
    for item in credits.split(LIST_SEPARATOR):
        if any(Decimal(p) > 100 for p in _PERCENT_IN_TEXT.findall(item)):
            yield Issue(
                f"{ctx.ref('service_credits')}: {item!r} credits more than the whole fee.",
                field="service_credits",
                citation=ctx.citation_for(ctx.field("service_credits")),
            )


@rule("SL-06", "warning", "Response times out of priority order", applies_to=("SLA",))
def response_order(ctx: QAContext):
    top = parse_duration(ctx.value("response_time"))
    targets = [(1, f"P1: {ctx.value('response_time')}", top.as_days())] if top else []
    for item in (ctx.value("other_severities") or "").split(LIST_SEPARATOR):
        match = _PRIORITY.match(item)
        duration = parse_duration(match.group(2)) if match else None
        if match and duration:
            targets.append((int(match.group(1)), item, duration.as_days()))
    targets.sort()
    for (p_hi, item_hi, days_hi), (p_lo, item_lo, days_lo) in zip(targets, targets[1:]):
        if p_hi < p_lo and days_hi > days_lo:
            yield Issue(
                f"{ctx.ref('response_time')}: {item_hi!r} is slower than {item_lo!r}; a more urgent priority "
                "should get a faster response.",
                field="response_time",
                citation=ctx.citation_for(ctx.field("response_time")),
            )


@rule("SL-09", "warning", "Support hours without a timezone", applies_to=("SLA",))
def support_hours_timezone(ctx: QAContext):
    hours = ctx.value("support_hours")
    if hours and not _ROUND_THE_CLOCK.search(hours) and not _TIMEZONE.search(hours):
        yield Issue(
            f"{ctx.ref('support_hours')}: {hours!r} does not say which timezone the hours are in.",
            field="support_hours",
            citation=ctx.citation_for(ctx.field("support_hours")),
        )
