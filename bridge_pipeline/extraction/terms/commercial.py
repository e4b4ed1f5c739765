"""Rules for money and work: fees, milestones, payment terms, services, deliverables, acceptance."""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from bridge_pipeline.extraction.amounts import AmountMatch, find_amount_matches, format_amount
from bridge_pipeline.extraction.dates import resolve_date_phrases
from bridge_pipeline.extraction.durations import find_durations
from bridge_pipeline.models import DateMention
from bridge_pipeline.extraction.terms.partnership import NOT_A_SCOPE as _NOT_A_SCOPE
from bridge_pipeline.extraction.terms.partnership import SCOPE_CONFIRMED_BEFORE as _SCOPE_CONFIRMED_BEFORE
from bridge_pipeline.extraction.terms.base import Fact, TermContext, ci, has_any, is_short_answer, tidy

# --- fees ------------------------------------------------------------------------------------------

_AMOUNT_REFERENCE_BEFORE = ci(
    r"\b(?:instead of|from|existing|original(?:ly)?|previous(?:ly)?|old|up from|down from|than|first number|"
    r"was|were|had)\s+(?:the\s+|our\s+)?(?:about\s+|around\s+|roughly\s+)?$"
)
_AMOUNT_INCREMENT_BEFORE = ci(r"\b(?:by|up by|plus|another|extra|additional|increase of|discount of)\s+(?:about\s+|around\s+|roughly\s+)?$")
_AMOUNT_INCREMENT_AFTER = ci(r"^\s*(?:on top|extra|more|additional|in addition)\b")
_RECURRING_AFTER = ci(r"^\s*(?:(?:per|a|an|each|every|/)\s*(?P<period>month|year|annum|quarter|week)\b|(?P<adverb>monthly|annually|yearly|quarterly|weekly)\b)")
_MILESTONE_CONDITION = ci(
    r"^\s*(?P<condition>(?:when|on|upon|at|after|once)\s+[^,;.]*?)(?=\s*(?:,|;|\.|$|\band\s+(?:€|\$|£|put|the rest)))"
)
_MILESTONE_WORD = ci(r"\bmilestones?\b|\binstal(?:l)?ments?\b|\btranches?\b")
_FEE_CUE_BEFORE = ci(r"\b(?:fee|fees|price|total|sum|budget|cost|quote)\s+(?:of|is|at|to|goes to|would be|will be|comes to)?\s*(?:about\s+)?$")
_FEE_TOPIC = ci(
    r"\bfees?\b|\bpric(?:e|es|ing)\b|\bquote\b|\bbudget\w*\b|\bfixed\b|\blump sum\b|\ball-in\b|\bfor the whole\b"
    r"|\bVAT\b|\bnot[- ]to[- ]exceed\b|\btime and materials?\b"
)
_PAYMENT_AFTER_DAYS = ci(r"^\s*(?:from|of|after|following|upon|on)\s+(?:the\s+)?(?:date\s+of\s+(?:the\s+)?)?(?:invoice|invoicing|receipt)")
_PAYMENT_BEFORE_DAYS = ci(r"\bpayment(?:\s+terms?)?\s+(?:of\s+|is\s+|are\s+|within\s+|in\s+)?$")
_NET_DAYS = ci(r"\bnet[\s-]?(?P<days>\d{2,3})\b(?=\s*(?:days?\b|payment|from|after|$|[,.;]))")
_PAYMENT_WORD = ci(r"\bpay|\binvoic|\bterms\b")
_ARREARS = ci(r"\bin (?:arrears|advance)\b")
# "Forty-five days end of month": paid at the end of the month in which the days run out.
_END_OF_MONTH_DAYS = ci(r"\b(?P<days>\d{1,3})\s+days?\s+(?:from\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+)?month|EOM)\b")
# Without one of these words a number with "million" is not money, even in a meeting that named a currency.
_MONEY_WORD = ci(r"\bfees?\b|\bpric|\bcost|\bbudget|\bpay|\binvoic|\bquote|\beuros?\b|\bdollars?\b|\bpounds?\b|\bfixed\b")
_INVOICE_CADENCE = ci(
    r"\binvoic\w*\s+(?P<after>monthly|quarterly|annually|yearly|weekly|per milestone|on milestones?|"
    r"on acceptance|upon acceptance|upfront|in advance|in arrears)\b|\b(?P<before>monthly|quarterly|annual|yearly|weekly)\s+invoic"
)


# "30% at kickoff, 40% at beta, 30% at go-live": shares of the fee tied to events.
_PAYMENT_SHARE = ci(
    r"(?P<share>\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)\s*(?:of the (?:fee|price|total)\s*)?"
    r"(?P<when>(?:on|at|upon|after|when|with|before)\s+[^,;.]+?)(?=\s*(?:,|;|\.|$|\band\b|\bthen\b))"
)


# "Thirty, forty, thirty across the milestones", "a 30/70 split": shares named without the events they follow.
_SHARE_SPLIT = ci(
    r"(?<![\d.,])(?P<shares>\d{1,2}(?:\s*(?:%|percent|per cent))?(?:\s*(?:,|/|-|and)\s*\d{1,2}(?:\s*(?:%|percent|per cent))?){1,4})"
    r"(?![\d.,]*\s*(?:days?|weeks?|months?|years?|hours?)\b)(?P<tail>\s+(?:split\s+)?(?:across|over|on|against|by)\s+(?:the\s+)?(?:\w+\s+)?milestones?)?"
)
_SPLIT_CONTEXT = ci(r"\bsplit\b|\bmilestones?\b|\bpay|\binvoic")


# "Thirty on signing, seventy on cutover": shares said without "percent"; they must add up to 100.
_BARE_SHARE = ci(
    r"(?<![\d.,])(?P<share>\d{1,2})\s+(?P<when>(?:on|at|upon|after|with)\s+[^,;.]+?)(?=\s*(?:,|;|\.|$|\band\b|\bthen\b))"
)


def _payment_schedule(sentence: str) -> str | None:
    """The schedule written out when the shares named in one sentence add up to the whole fee."""
    shares = list(_PAYMENT_SHARE.finditer(sentence)) if "%" in sentence or "per" in sentence.lower() else []
    if len(shares) < 2:
        shares = list(_BARE_SHARE.finditer(sentence))
    if len(shares) >= 2 and sum(float(m.group("share")) for m in shares) == 100:
        return ", ".join(f"{m.group('share')}% {tidy(m.group('when'))}" for m in shares)
    return _share_split(sentence)


def _share_split(sentence: str) -> str | None:
    if not _SPLIT_CONTEXT.search(sentence):
        return None
    for split in _SHARE_SPLIT.finditer(sentence):
        numbers = [int(n) for n in re.findall(r"\d+", split.group("shares"))]
        if len(numbers) >= 2 and sum(numbers) == 100:
            tail = " ".join(split.group("tail").split()) if split.group("tail") else ""
            return "/".join(f"{n}%" for n in numbers) + (f" {tail}" if tail else "")
    return None


def fee_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    schedule = _payment_schedule(sentence)
    currency = context.currency if context.currency is not None and _MONEY_WORD.search(sentence) else None
    amounts = find_amount_matches(sentence, currency, bare_figures=True)
    if amounts:
        milestone_sentence = bool(_MILESTONE_WORD.search(sentence))
        fee_topic = bool(_FEE_TOPIC.search(sentence) or context.discussed(_FEE_TOPIC))
        for found in amounts:
            fact = _fact_for_amount(sentence, found, milestone_sentence, fee_topic)
            if fact is not None:
                facts.append(fact)
    period = None
    for duration in find_durations(sentence) if has_any(sentence, ("invoic", "receipt", "payment")) else ():
        if duration.unit not in ("day", "business day"):
            continue
        if _PAYMENT_AFTER_DAYS.search(sentence[duration.end:]) or _PAYMENT_BEFORE_DAYS.search(sentence[: duration.start]):
            period = duration.normalised
            break
    else:
        end_of_month = _END_OF_MONTH_DAYS.search(sentence) if "month" in sentence.lower() else None
        if end_of_month and (_PAYMENT_WORD.search(sentence) or _PAYMENT_WORD.search(context.said_before) or context.discussed(_PAYMENT_WORD)):
            period = f"{int(end_of_month.group('days'))} days end of month"
        net = _NET_DAYS.search(sentence) if "net" in sentence.lower() and period is None else None
        if net and (_PAYMENT_WORD.search(sentence) or schedule):
            period = f"{int(net.group('days'))} days"
    if schedule:
        facts.append(Fact(key="payment_schedule", value=schedule))
    if period:
        facts.append(Fact(key="payment_terms", value=period))
    cadence = _INVOICE_CADENCE.search(sentence) if "invoic" in sentence.lower() else None
    if cadence:
        when = (cadence.group("after") or cadence.group("before")).lower()
        timing = _ARREARS.search(sentence)
        if timing and timing.group(0).lower() not in when:
            when = f"{when} {timing.group(0).lower()}"
        facts.append(Fact(key="invoice_cadence", value=when))
    return facts


# "That's about 130,000 dollars at today's rate": an amount converted for reference, not an offer.
_CONVERSION = ci(
    r"\b(?:at (?:today'?s|the current|the|that|this) (?:exchange )?rate|exchange rate|converted|conversion|"
    r"in (?:\w+ )?(?:dollars|euros|pounds) that'?s|that'?s (?:about|roughly|around|approximately))\b"
)


# "We had a hundred k in the budget", "the board envelope was 450": what one side set aside, not the price.
_INTERNAL_BUDGET = ci(
    r"\b(?:in|within|from|of)\s+(?:the|our|my|their)\s+(?:\w+\s+)?budget\b|\b(?:our|my|the board'?s?|internal)\s+"
    r"(?:\w+\s+)?(?:budget|envelope|approval)\b|\benvelope\b|\bbudgeted\b|\bbetween us\b|\binternal(?:ly)?\b"
)


def _fact_for_amount(sentence: str, found: AmountMatch, milestone_sentence: bool, fee_topic: bool) -> Fact | None:
    before, after = sentence[: found.start], sentence[found.end:]
    if _CONVERSION.search(sentence) or _INTERNAL_BUDGET.search(sentence):
        return None
    if _AMOUNT_REFERENCE_BEFORE.search(before):
        return None
    if _AMOUNT_INCREMENT_BEFORE.search(before) or _AMOUNT_INCREMENT_AFTER.search(after):
        return None
    written = format_amount(found.amount)
    recurring = _RECURRING_AFTER.search(after)
    if recurring:
        period = recurring.group("period") or {"monthly": "month", "annually": "year", "yearly": "year",
                                               "quarterly": "quarter", "weekly": "week"}[recurring.group("adverb").lower()]
        period = "year" if period.lower() == "annum" else period.lower()
        return Fact(key="fee_recurring", value=f"{written} per {period}", amount=found.amount)
    if _FEE_CUE_BEFORE.search(before):
        return Fact(key="fee_total", value=written, amount=found.amount)
    condition = _MILESTONE_CONDITION.search(after)
    if milestone_sentence or condition:
        text = f"{written} {tidy(condition.group('condition'))}" if condition else written
        return Fact(key="milestone", value=text, qualifier=text, amount=found.amount)
    if fee_topic:
        return Fact(key="fee_total", value=written, amount=found.amount)
    return None


# --- statement of work -----------------------------------------------------------------------------

_SERVICES = ci(r"\b(?:services?|scope of work)\s+(?:are|is|will be|would be|include|includes|covers?|consists? of|:)\s+(?P<value>[^.!?;]+)")
_DELIVERABLE_WORD = ci(r"\bdeliverables?\b")
_DELIVERABLE_MOVE = ci(r"\b(?:moves?|moved|shifts?|slips?|pushed|can stay|stays?|remains?)\b")
_ORDINAL_LEAD = ci(
    r"^(?:(?:so|and|then|also|finally|plus|first|second|third|fourth|fifth|one|two|three|four|five|\d+(?:st|nd|rd|th)|"
    r"number (?:one|two|three|four|five))[,:]?\s+)+"
)
_DELIVERABLE_LEAD = ci(r"^.*?\bdeliverables?\b\s*(?:is|will be|would be|:)?\s*")
_DELIVERABLE_TAIL = ci(
    r"\s+(?:itself|moves?|moved|shifts?|slips?|pushed(?:\s+back)?|can stay|stays?|remains?|is due|are due|due|"
    r"will be (?:ready|delivered|done)|delivered|ready|is|are|comes?)\s*$"
)
_ARTICLE = ci(r"^(?:the|a|an|our|your|their)\s+")
_ACCEPTANCE_CUE = ci(r"\baccept")
_ACCEPTANCE_AROUND = ci(
    r"(?:\bacceptance\s+(?:period|window)?\s*(?:of|is|:)?\s*$)|(?:^\s*(?:for|of)\s+acceptance\b)|(?:^\s*to\s+(?:review|accept|test|approve))"
)


# A schedule said in one breath: "design sign-off November 20th, UAT release January 15th, launch March 1st".
_SCHEDULE_LEAD = ci(r"^.*[:—]\s*|^(?:so|and|then|also|plus|okay|ok|right|yes|so,)\b[\s,]*", )
_SCHEDULE_FILLER = ci(r"^(?:and|then|the|so|with|plus)\s+|\s+(?:stays?|is|are|on|by|at|moves?(?: to)?|moved(?: to)?|goes to|in|will be|due|planned for|of|the)$")
# A date said with its year keeps that year; only dates said without one are moved forward.
_SAYS_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MILESTONE_TOPIC = ci(r"\bmilestones?\b|\btimeline\b|\bschedule\b|\bdates\b|\bkick-?off\b|\bgo-?live\b|\blaunch\b")
_AFTER_EARLIER = ci(r"^(?P<name>.+?)\s+(?P<count>\d+)\s+(?P<unit>day|week|month)s?\s+(?:after|following)\s+(?:the\s+)?(?P<ref>[\w-]+)")


def _milestone_facts(sentence: str, context: TermContext) -> list[Fact]:
    """Named milestones with their dates, when a sentence lists at least two while a schedule is discussed."""
    if context.contract not in ("SOW", None) or not (_MILESTONE_TOPIC.search(sentence) or context.discussed(_MILESTONE_TOPIC)):
        return []
    mentions = resolve_date_phrases(sentence, context.reference_date)
    if not mentions:
        return []
    # A milestone lies ahead: "the thirtieth of April" said in October is next April.
    mentions = [_ahead(m, context.reference_date) for m in mentions]
    labelled = _labelled_milestone(sentence, mentions, dict(context.milestone_numbers)) or _listed_milestone(sentence, mentions, context)
    if labelled is not None:
        return [labelled]
    milestones: list[tuple[str, DateMention]] = []
    cursor = 0
    for mention in mentions:
        start = sentence.find(mention.text, cursor)
        segment, cursor = sentence[cursor:start], start + len(mention.text)
        for part in [p for p in segment.split(",") if p.strip()]:
            relative = _AFTER_EARLIER.search(_schedule_name(part) or "")
            if relative and milestones:
                _add_relative(milestones, relative)
        name = _schedule_name(segment.split(",")[-1])
        if name:
            milestones.append((name, mention))
    tail = sentence[cursor:]
    for part in [p for p in tail.split(",") if p.strip()]:
        relative = _AFTER_EARLIER.search(_schedule_name(part) or "")
        if relative and milestones:
            _add_relative(milestones, relative)
    if len(mentions) == len(context.milestones) >= 2 and _names_known(milestones, context.milestones, sentence, mentions):
        # "So to lock in the milestones: twentieth of November, and cutover on the seventeenth of January."
        milestones = list(zip(context.milestones, mentions))
    if len(milestones) < 2:
        return []
    # A schedule runs forward: "go-live January 15th" after a November kickoff is the next January.
    for position in range(1, len(milestones)):
        name, due = milestones[position]
        earlier = milestones[position - 1][1].value
        if due.value < earlier and not _SAYS_YEAR.search(due.text):
            later = due.value + relativedelta(years=1)
            if later >= earlier:
                milestones[position] = (name, DateMention(value=later, text=due.text))
    return [
        Fact(key="milestone", value=name, qualifier=name.lower(), due=due)
        for name, due in milestones
    ]


# "Milestone two, pilot deployment at the site, Friday the twelfth of February": one milestone, named by its number.
_MILESTONE_LABEL = ci(
    r"^(?:(?:and|so|then|okay|ok|right)[,\s]+)*(?:milestone\s+(?P<number>one|two|three|four|five|six|\d)|"
    r"(?:the\s+)?(?P<ordinal>first|second|third|fourth|fifth|final|last)\s+milestone)\b(?:\s+is)?[\s,:—-]*"
)
_LABEL_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                  "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def _label_position(label: re.Match[str]) -> int | None:
    """1 for "milestone one" or "the first milestone"; None for "the last milestone"."""
    word = (label.group("number") or label.group("ordinal") or "").lower()
    return int(word) if word.isdigit() else _LABEL_NUMBERS.get(word)
_DUE_WORDS = ci(r"[\s,]*(?:(?:due|by|on|for|at|is|in|planned for|scheduled for)\s+)*(?:the\s+)?$")


# A milestone date a few months back is one already reached; further back it is next year's.
_PAST_MILESTONE_DAYS = 120


def _ahead(mention: DateMention, reference: dt.date) -> DateMention:
    recent = 0 <= (reference - mention.value).days <= _PAST_MILESTONE_DAYS
    if mention.value >= reference or recent or _SAYS_YEAR.search(mention.text):
        return mention
    later = mention.value + relativedelta(years=1)
    return DateMention(value=later, text=mention.text)


def milestone_named_without_date(sentence: str) -> str | None:
    """"And milestone two, production cutover.": a milestone named before its date is agreed."""
    label = _MILESTONE_LABEL.search(sentence) if "milestone" in sentence.lower() else None
    if label is None or resolve_date_phrases(sentence, dt.date(2000, 1, 1)):
        return None
    # "the booking engine and the pricing module in staging, ready for UAT": the name ends at the first comma.
    name = sentence[label.end():].split(",")[0].strip(" ,;:.—-")
    return _schedule_name(_ARTICLE.sub("", name)) if name and len(name.split()) <= 12 else None


# "So the milestones are now: hardware on site, eighteenth of May. Pilot, thirtieth of June. ..."
_MILESTONES_INTRODUCED = ci(r"\bmilestones?\s+(?:are|will be|is|now|:)|\bmilestones?\b[^.?!]*:")
_DONE_TAIL = ci(r"^[\s,]*(?:done|reached|met|complete[d]?|delivered|achieved)?[\s.!]*$")


def _listed_milestone(sentence: str, mentions: list[DateMention], context: TermContext) -> Fact | None:
    """One "<name>, <date>" item of a milestone list the same speaker introduced in this utterance."""
    if len(mentions) != 1 or not _MILESTONES_INTRODUCED.search(context.said_before + " " + sentence):
        return None
    at = sentence.find(mentions[0].text)
    if at < 0 or not _DONE_TAIL.search(sentence[at + len(mentions[0].text):]):
        return None
    head = _MILESTONES_INTRODUCED.split(sentence[:at])[-1]
    name = _schedule_name(_DUE_WORDS.sub("", head).strip(" ,;:—-"))
    if name is None:
        return None
    return Fact(key="milestone", value=name, qualifier=name.lower(), due=mentions[0])


def milestone_number(sentence: str) -> int | None:
    """2 for "Milestone two, ...", "The second milestone is ..."; None without a number."""
    label = _MILESTONE_LABEL.search(sentence) if "milestone" in sentence.lower() else None
    return _label_position(label) if label is not None else None


def _labelled_milestone(sentence: str, mentions: list[DateMention], known: dict[int, str] | None = None) -> Fact | None:
    label = _MILESTONE_LABEL.search(sentence)
    if label is None or len(mentions) != 1:
        return None
    date_at = sentence.find(mentions[0].text, label.end())
    if date_at < 0:
        return None
    said = _DUE_WORDS.sub("", sentence[label.end():date_at]).strip(" ,;:—-")
    position = _label_position(label)
    # "Milestone two, staging ready, eleventh of September": the number names the milestone already listed.
    if position is not None and known and position in known:
        name: str | None = known[position]
    elif not said or len(said.split()) > 10:
        return None
    else:
        name = _schedule_name(said)
    if name is None:
        return None
    return Fact(key="milestone", value=name, qualifier=name.lower(), due=mentions[0])


def _names_known(named: list[tuple[str, DateMention]], known: tuple[str, ...], sentence: str, mentions: list[DateMention]) -> bool:
    """Whether a list of dates re-dates the milestones already named, in order: every name it gives
    ("cutover") belongs to the known milestone in the same place ("Production cutover")."""
    if not named:
        return True
    by_date = {mention.value: name for name, mention in named}
    for position, mention in enumerate(mentions):
        name = by_date.get(mention.value)
        if name is not None and not set(name.lower().split()) <= set(known[position].lower().split()):
            return False
    return True


def _schedule_name(text: str) -> str | None:
    name = _SCHEDULE_LEAD.sub("", text.strip(" ,;.")).strip(" ,;.")
    previous = None
    while previous != name:
        previous = name
        name = _SCHEDULE_FILLER.sub("", name).strip(" ,;.")
    words = name.split()
    if not words or len(words) > 8 or not words[0][0].isalpha():
        return None
    return name[0].upper() + name[1:]


def _add_relative(milestones: list[tuple[str, DateMention]], relative: re.Match[str]) -> None:
    """"Beta 6 weeks after kickoff": dated from the earlier milestone it names."""
    ref = relative.group("ref").lower()
    earlier = next((due for name, due in milestones if ref in name.lower()), None)
    name = _schedule_name(relative.group("name"))
    if earlier is None or name is None:
        return
    count, unit = int(relative.group("count")), relative.group("unit").lower()
    step = {"day": relativedelta(days=count), "week": relativedelta(weeks=count), "month": relativedelta(months=count)}[unit]
    milestones.append((name, DateMention(value=earlier.value + step, text=relative.group(0))))


# "So the deliverables are: lakehouse setup, ..." or "the scope is fine. Test-bench portal with ...":
# the agreed scope as one deliverables statement, kept as said.
_SCOPE_STATED = ci(r"\b(?:the\s+)?(?:deliverables?|scope(?: of work)?)\s*(?:is|are|will be|would be|:)\s*:?\s*(?P<value>[^?]+)$")


def _scope_facts(sentence: str, context: TermContext) -> list[Fact]:
    if context.contract not in ("SOW", None):
        return []
    stated = _SCOPE_STATED.search(sentence) if has_any(sentence, ("deliverable", "scope")) else None
    if stated:
        value = tidy(stated.group("value"))
    elif _SCOPE_CONFIRMED_BEFORE.search(context.said_before[-120:]) and "?" not in sentence:
        value = tidy(sentence)
    else:
        return []
    if len(value.split()) < 3 or _NOT_A_SCOPE.search(value):
        return []
    # Labelled so a later meeting's restated scope replaces this one instead of adding to it.
    return [Fact(key="deliverable", value=f"Scope: {value}", qualifier="scope")]


# "<the list of work>. That's the scope." — the confirmation names what the sentence before it was.
_SCOPE_CONFIRMS_BEFORE = ci(r"^\W*(?:(?:so|okay|ok|right|yes|yeah|good)[,.]?\s+)*that'?s\s+(?:the|our|your|all the|everything in)\s+(?:scope|deliverables)\b[.!]*\s*$")
_LIST_SEPARATOR = re.compile(r",|\band\b|\bplus\b")
_LIST_LEAD = ci(r"^(?:(?:so|and|then|okay|ok)[,]?\s+)?(?:[\w-]+\s+){0,3}?(?:is|are|will be|covers|includes)\s+")


# "Yes. <the list of work>. That's it." answering a question about the deliverables: the list is the scope.
_LIST_CLOSED = ci(r"^\W*(?:and\s+)?that'?s\s+(?:it|all|everything)\b[.!]*\s*$")
_SCOPE_TOPIC = ci(r"\bdeliverables?\b|\bscope\b")


def scope_confirmed_from(sentence: str, said_before: str, context: TermContext | None = None) -> Fact | None:
    """The scope a confirmation like "That's the scope." points back at, when the sentence before lists the work.
    With a context, a list closed by its own speaker ("That's it.") while the scope is discussed counts too."""
    closes_list = context is not None and _LIST_CLOSED.search(sentence) is not None and context.discussed(_SCOPE_TOPIC)
    if not closes_list and not _SCOPE_CONFIRMS_BEFORE.search(sentence):
        return None
    # "So schedule one is the pipeline, the models, ..." keeps only what the work is.
    listed = _LIST_LEAD.sub("", tidy(said_before))
    if len(_LIST_SEPARATOR.findall(listed)) < 2 or "?" in listed or len(listed.split()) < 5:
        return None
    return Fact(key="deliverable", value=f"Scope: {listed}", qualifier="scope")


def sow_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    services = _SERVICES.search(sentence) if has_any(sentence, ("servic", "scope of work")) else None
    if services and context.contract != "MOU":
        facts.append(Fact(key="services_description", value=tidy(services.group("value"))))
    milestones = _milestone_facts(sentence, context)
    facts.extend(milestones or _scope_facts(sentence, context) or _deliverable_facts(sentence, context))
    for duration in find_durations(sentence):
        if duration.unit not in ("day", "business day", "week"):
            continue
        before, after = sentence[: duration.start], sentence[duration.end:]
        if _ACCEPTANCE_AROUND.search(before) or _ACCEPTANCE_AROUND.search(after):
            facts.append(Fact(key="acceptance", value=duration.normalised))
            break
        # "Ten business days, and if we haven't sent a defect notice by then it's deemed accepted."
        said_with_acceptance = _ACCEPTANCE_CUE.search(sentence) is not None
        if duration.unit == "business day" and (said_with_acceptance or (is_short_answer(sentence, 10) and context.discussed(_ACCEPTANCE_CUE))):
            facts.append(Fact(key="acceptance", value=duration.normalised))
            break
    return facts


# A recap lists deliverables beside payment, dates and law; those phrases are not deliverables.
_OTHER_TERM_WORDS = ci(r"\b(?:invoic\w*|payment|paid|effective|start date|fee|price|law|courts?|notice|term|signature|sign(?:ed|ing)?)\b")


def _deliverable_facts(sentence: str, context: TermContext) -> list[Fact]:
    listing = "deliverable" in context.utterance.lower()
    moving = (
        context.contract in ("SOW", None)
        and has_any(sentence, ("move", "shift", "slip", "push", "stay", "remain"))
        and _DELIVERABLE_MOVE.search(sentence) is not None
    )
    if not (listing or moving):
        return []
    mentions = resolve_date_phrases(sentence, context.reference_date)
    if not mentions:
        return []
    first = sentence.find(mentions[0].text)
    name = sentence[:first]
    if _DELIVERABLE_WORD.search(name):
        name = _DELIVERABLE_LEAD.sub("", name)
    name = _ORDINAL_LEAD.sub("", name.strip(" ,:;-"))
    previous = None
    while previous != name:
        previous = name
        name = _DELIVERABLE_TAIL.sub("", name).strip(" ,:;-")
    name = _ARTICLE.sub("", name)
    words = name.split()
    if not words or len(words) > 8 or not words[-1][0].isalpha() or _OTHER_TERM_WORDS.search(name):
        return []
    due = mentions[-1]
    # The head noun ("report", "model") names the deliverable when it is moved later on.
    return [Fact(key="deliverable", value=name, qualifier=words[-1].lower(), due=due)]
