"""QA rules on dates and term: impossible or backdated dates, deadlines, term against end date and notice."""

from __future__ import annotations

import datetime as dt
import re

from bridge_pipeline.drafting.values import OPEN_ENDED, parse_duration
from bridge_pipeline.models import Decision
from bridge_pipeline.qa.context import QAContext, cite
from bridge_pipeline.qa.registry import Issue, rule

# List fields whose items carry deadlines (due dates of the decisions they come from).
DEADLINE_FIELDS = ("deliverables", "milestones", "responsibilities")


def _deadlines(ctx: QAContext) -> list[tuple[str, Decision]]:
    found = []
    for name in DEADLINE_FIELDS:
        field = ctx.field(name)
        if field is None:
            continue
        found.extend((name, d) for d in ctx.decisions_for(field) if d.due_date is not None)
    return found


def agreement_end(ctx: QAContext) -> dt.date | None:
    """The stated end date, else effective date plus term when both are known."""
    end = ctx.date_value("end_date")
    if end is not None:
        return end
    start = ctx.date_value("effective_date")
    term = parse_duration(ctx.value("term"))
    return term.after(start) if start and term else None


@rule("DT-04", "blocking", "Date field is not a calendar date")
def unparsed_date(ctx: QAContext):
    for field in ctx.fields_of_kind("date"):
        if field.value is not None and ctx.date_value(field.name) is None:
            yield Issue(
                f"{ctx.ref(field.name)}: {field.value!r} is not a calendar date (YYYY-MM-DD); relative or "
                "ambiguous dates must be resolved before drafting.",
                field=field.name,
                citation=ctx.citation_for(field),
            )


@rule("DT-01", "blocking", "End date before the effective date")
def end_before_start(ctx: QAContext):
    start, end = ctx.date_value("effective_date"), ctx.date_value("end_date")
    if start and end and end < start:
        yield Issue(
            f"{ctx.ref('end_date')}: the agreement ends on {end.isoformat()}, before it starts on "
            f"{start.isoformat()} ({ctx.ref('effective_date')}).",
            field="end_date",
            citation=ctx.citation_for(ctx.field("end_date")),
        )


@rule("DT-02", "blocking", "Deadline outside the agreement period", applies_to=("SOW", "SLA", "MOU"))
def deadline_outside_term(ctx: QAContext):
    start, end = ctx.date_value("effective_date"), agreement_end(ctx)
    for name, decision in _deadlines(ctx):
        due = decision.due_date.value
        citation = decision.citations[0]
        if start and due < start:
            yield Issue(
                f"{name} ({cite(citation)}): due {due.isoformat()}, before the effective date {start.isoformat()}.",
                field=name,
                citation=citation,
            )
        elif end and due > end:
            yield Issue(
                f"{name} ({cite(citation)}): due {due.isoformat()}, after the agreement ends on {end.isoformat()}.",
                field=name,
                citation=citation,
            )


@rule("DT-03", "warning", "Effective date before the meeting (backdating)")
def backdated(ctx: QAContext):
    start = ctx.date_value("effective_date")
    if start and start < ctx.meeting_date:
        yield Issue(
            f"{ctx.ref('effective_date')}: {start.isoformat()} is before the meeting on "
            f"{ctx.meeting_date.isoformat()}; a backdated start needs counsel's approval.",
            field="effective_date",
            citation=ctx.citation_for(ctx.field("effective_date")),
        )


@rule("DT-10", "info", "Effective date more than a year after the meeting")
def far_future_start(ctx: QAContext):
    start = ctx.date_value("effective_date")
    if start and (start - ctx.meeting_date).days > 365:
        yield Issue(
            f"{ctx.ref('effective_date')}: {start.isoformat()} is more than a year after the meeting; check the year.",
            field="effective_date",
            citation=ctx.citation_for(ctx.field("effective_date")),
        )


@rule("DT-11", "warning", "Deadline before the meeting date")
def deadline_in_past(ctx: QAContext):
    for name, decision in _deadlines(ctx):
        due = decision.due_date.value
        if due < ctx.meeting_date:
            citation = decision.citations[0]
            yield Issue(
                f"{name} ({cite(citation)}): due {due.isoformat()} ({decision.due_date.text!r}), which had already "
                f"passed at the meeting on {ctx.meeting_date.isoformat()}.",
                field=name,
                citation=citation,
            )


@rule("DT-09", "info", "Deadline on a weekend")
def weekend_deadline(ctx: QAContext):
    for name, decision in _deadlines(ctx):
        due = decision.due_date.value
        if due.weekday() >= 5:
            citation = decision.citations[0]
            yield Issue(
                f"{name} ({cite(citation)}): due {due.isoformat()}, a {due.strftime('%A')}.",
                field=name,
                citation=citation,
            )


@rule("DT-07", "warning", "Term without renewal or termination")
def term_without_exit(ctx: QAContext):
    if ctx.value("term") and not ctx.value("renewal") and not ctx.value("termination_notice"):
        yield Issue(
            f"{ctx.ref('term')}: a term of {ctx.value('term')} is set but neither renewal nor termination notice "
            "was agreed; say what happens when it ends and how either party can leave.",
            field="term",
            citation=ctx.citation_for(ctx.field("term")),
        )


@rule("DT-05", "warning", "Notice period does not fit the term")
def notice_vs_term(ctx: QAContext):
    notice = parse_duration(ctx.value("termination_notice"))
    term = parse_duration(ctx.value("term"))
    if notice and term and notice.as_days() >= term.as_days():
        yield Issue(
            f"{ctx.ref('termination_notice')}: a notice period of {ctx.value('termination_notice')} is not shorter "
            f"than the term of {ctx.value('term')}.",
            field="termination_notice",
            citation=ctx.citation_for(ctx.field("termination_notice")),
        )
    renewal = ctx.value("renewal") or ""
    if re.search(r"auto", renewal, re.IGNORECASE) and not ctx.value("termination_notice"):
        yield Issue(
            f"{ctx.ref('renewal')}: the agreement renews automatically ({renewal!r}) but no notice period to stop "
            "renewal was agreed.",
            field="renewal",
            citation=ctx.citation_for(ctx.field("renewal")),
        )


@rule("DT-12", "warning", "End date does not match the term")
def end_date_vs_term(ctx: QAContext):
    start, end = ctx.date_value("effective_date"), ctx.date_value("end_date")
    term = parse_duration(ctx.value("term"))
    expected = term.after(start) if start and term else None
    if expected and end and abs((expected - end).days) > 1:
        yield Issue(
            f"{ctx.ref('end_date')}: {end.isoformat()} does not match {ctx.value('term')} from "
            f"{start.isoformat()} (that would end on {expected.isoformat()}).",
            field="end_date",
            citation=ctx.citation_for(ctx.field("end_date")),
        )


@rule("DT-13", "warning", "Duration not in a recognised form")
def unparsed_duration(ctx: QAContext):
    for field in ctx.fields_of_kind("duration"):
        if field.value and parse_duration(field.value) is None and not OPEN_ENDED.search(field.value):
            yield Issue(
                f"{ctx.ref(field.name)}: {field.value!r} is not a number and unit such as '2 years' or '30 days'.",
                field=field.name,
                citation=ctx.citation_for(field),
            )
