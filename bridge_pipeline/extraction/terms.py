"""Reads contract facts (vocabulary.TERM_KEYS) out of one sentence, given what the meeting is discussing.

Each rule looks for one kind of fact and returns it normalised as vocabulary.TERM_KEYS documents.
Whether a fact was agreed is not decided here: the extractor weighs the sentence's signals and the
replies around it. Rules stay narrow on purpose: a missed term becomes TBD in the draft, a wrong one
misleads counsel.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bridge_pipeline.extraction.amounts import AmountMatch, find_amount_matches, format_amount
from bridge_pipeline.extraction.dates import resolve_date_phrases
from bridge_pipeline.extraction.durations import Duration, find_durations
from bridge_pipeline.extraction.parties import PartyRoster
from bridge_pipeline.models import Amount, ContractType, DateMention

PARTY_KEY = "party"
"""Not a TERM_KEY: marks an organisation named as a contracting party; it goes to Decision.parties."""

# Keys whose meaning depends on which agreement is being discussed (an NDA's term is not the SOW's).
SCOPED_KEYS = frozenset({"term", "renewal", "termination_notice", "effective_date", "end_date"})


@dataclass(frozen=True)
class Fact:
    """One contract fact read from a sentence."""

    key: str
    value: str
    qualifier: str = ""
    """Tells apart several facts of one key in a meeting: the priority of a response time, a deliverable."""
    scope: ContractType | None = None
    amount: Amount | None = None
    due: DateMention | None = None
    owner: str | None = None
    parties: tuple[str, ...] = ()

    @property
    def identity(self) -> tuple[str | None, str, str]:
        """Facts with the same identity compete: the later agreed value replaces the earlier one."""
        return (self.scope, self.key, self.qualifier)


@dataclass(frozen=True)
class TermContext:
    """What the meeting is discussing when a sentence is said."""

    contract: ContractType | None
    nearby: str = ""
    """The previous few utterances and the earlier sentences of this one: topic cues for short answers."""
    utterance: str = ""
    reference_date: dt.date = dt.date(2000, 1, 1)
    roster: PartyRoster = field(default_factory=PartyRoster)
    currency: str | None = None


def _re(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# --- contract names ---------------------------------------------------------------------------------

_CONTRACT_MENTIONS: tuple[tuple[ContractType, re.Pattern[str]], ...] = (
    ("NDA", _re(r"\bm?NDAs?\b|\b(?i:non[- ]disclosure agreement|confidentiality agreement)\b", 0)),
    ("SOW", _re(r"\bSOWs?\b|\b(?i:statements? of work)\b", 0)),
    ("SLA", _re(r"\bSLAs?\b|\b(?i:service[- ]level agreement|service levels)\b", 0)),
    ("MOU", _re(r"\bMo[Uu]s?\b|\b(?i:memorandum of understanding)\b", 0)),
)
_CONTRACT_INTENT_BEFORE = _re(
    r"\b(?:sign|signing|agree on|agree to|put in place|go with|set up|need|want to settle|settle|prepare|"
    r"mutual|one-way|unilateral|new)\s+(?:\w+\s+){0,4}?$"
)
_CONTRACT_INTENT_AFTER = _re(r"^\s*(?:is|would be|will be|makes (?:more )?sense|it is|is the right)\b")


def contracts_mentioned(sentence: str) -> list[ContractType]:
    """Contract types named in the sentence, in order of appearance."""
    hits = sorted((m.start(), kind) for kind, pattern in _CONTRACT_MENTIONS for m in pattern.finditer(sentence))
    ordered: list[ContractType] = []
    for _, kind in hits:
        if kind not in ordered:
            ordered.append(kind)
    return ordered


def _contract_intent(sentence: str) -> list[ContractType]:
    wanted: list[ContractType] = []
    for kind, pattern in _CONTRACT_MENTIONS:
        for match in pattern.finditer(sentence):
            before, after = sentence[: match.start()], sentence[match.end():]
            if _CONTRACT_INTENT_BEFORE.search(before) or _CONTRACT_INTENT_AFTER.search(after):
                wanted.append(kind)
                break
    return wanted


# --- NDA --------------------------------------------------------------------------------------------

_MUTUAL = _re(r"\bmutual\b")
_ONE_WAY = _re(r"\b(?:one[- ]way|unilateral)\b")
_DISCLOSER = _re(r"\b(?:disclosing|as (?:the )?disclos\w+|is (?:the )?disclos\w+)")
_CONFIDENTIAL = _re(r"\bconfidential")
_PURPOSE = _re(
    r"\bpurpose\b(?:\s+of\s+(?:the|this)\s+\w+)?\s*(?:is|would be|will be|should be|being|:)\s+(?P<value>[^.!?;]+)"
    r"|\bfor the purpose of\s+(?P<value2>[^.!?;]+)"
)
_TRAILING_FILLER = _re(r",\s*(?:nothing|that'?s it|no more|and that'?s (?:all|it)|nothing else)\b.*$")


def _nda_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    nda_here = "NDA" in contracts_mentioned(sentence) or context.contract == "NDA"
    if nda_here and _MUTUAL.search(sentence):
        facts.append(Fact(key="nda_direction", value="mutual"))
    elif nda_here and _ONE_WAY.search(sentence):
        facts.append(Fact(key="nda_direction", value="one_way"))
    disclose = _DISCLOSER.search(sentence)
    if disclose and nda_here:
        named = context.roster.mentioned_in(sentence[: disclose.start()])
        if named:
            facts.append(Fact(key="discloser", value=named[-1], parties=(named[-1],)))
    confidential = _CONFIDENTIAL.search(sentence)
    if confidential:
        periods = [d for d in find_durations(sentence) if d.unit in ("year", "month")]
        if periods:
            # "two-year term, three years of confidentiality": the period closest to the word is the one.
            period = min(periods, key=lambda d: min(abs(d.start - confidential.end()), abs(d.end - confidential.start())))
            facts.append(Fact(key="confidentiality_period", value=period.normalised))
    purpose = _PURPOSE.search(sentence)
    if purpose:
        text = _tidy(purpose.group("value") or purpose.group("value2"))
        if text:
            facts.append(Fact(key="purpose", value=text))
    return facts


# --- term, renewal, notice -------------------------------------------------------------------------

_TERM_WORD = _re(r"(?<![-\w])term\b(?![-\w])")
_TERM_AFTER_DURATION = _re(r"^\s*(?:initial\s+)?term\b")
_RUN_FOR = _re(r"\b(?:run|last|valid)\s+for\s+$|\bfor a period of\s+$")
_TERM_TOPIC = _re(r"(?<![-\w])term\b(?![-\w])|\bhow long\b|\bduration\b|\bshould it run\b|\brun for\b")
_NOT_AGREEMENT_TERM = _re(r"confidential|notice|payment|invoice|exclusiv|pilot|trial|accept|renew")
_RENEWAL = _re(
    r"\b(?:renew\w*\s+automatically|automatic(?:ally)?\s+renew\w*|auto-?renew\w*)\s+(?:for\s+)?(?:another\s+|a further\s+)?$"
)
_NO_RENEWAL = _re(r"\bno (?:auto(?:matic)?[- ]?)?renewal\b|\b(?:does|will) not (?:auto-?)?renew\b")
_NOTICE_AFTER = _re(r"^\s*(?:of\s+)?(?:prior\s+|written\s+)?notice\b")


def _term_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    durations = [d for d in find_durations(sentence) if d.unit in ("month", "year", "week", "day", "business day")]
    if not durations:
        return [Fact(key="renewal", value="no renewal")] if _NO_RENEWAL.search(sentence) else []
    term: Duration | None = None
    term_word = _TERM_WORD.search(sentence)
    for duration in durations:
        before, after = sentence[: duration.start], sentence[duration.end:]
        if _NOTICE_AFTER.search(after) and duration.unit in ("day", "business day", "week", "month"):
            facts.append(Fact(key="termination_notice", value=duration.normalised))
        elif _RENEWAL.search(before):
            facts.append(Fact(key="renewal", value=f"auto-renews for {duration.normalised}"))
        elif term is None and duration.unit in ("month", "year"):
            if _TERM_AFTER_DURATION.search(after) or _RUN_FOR.search(before):
                term = duration
            elif term_word and term_word.end() <= duration.start and duration.start - term_word.end() < 45:
                term = duration
    if term is None and _short_answer(sentence, 12) and _TERM_TOPIC.search(context.nearby):
        if not _NOT_AGREEMENT_TERM.search(sentence):
            term = next((d for d in durations if d.unit in ("month", "year")), None)
    if term is not None and not _CONFIDENTIAL.search(sentence[max(0, term.start - 30): term.end + 20]):
        facts.insert(0, Fact(key="term", value=term.normalised))
    if _NO_RENEWAL.search(sentence):
        facts.append(Fact(key="renewal", value="no renewal"))
    return facts


# --- governing law and venue -----------------------------------------------------------------------

_LAW_ADJECTIVES = {
    "german": "Germany", "english": "England and Wales", "finnish": "Finland", "polish": "Poland",
    "japanese": "Japan", "peruvian": "Peru", "swiss": "Switzerland", "french": "France",
    "dutch": "the Netherlands", "swedish": "Sweden", "danish": "Denmark", "norwegian": "Norway",
    "spanish": "Spain", "irish": "Ireland", "scottish": "Scotland", "austrian": "Austria", "italian": "Italy",
    "belgian": "Belgium", "estonian": "Estonia", "portuguese": "Portugal", "brazilian": "Brazil",
    "mexican": "Mexico", "canadian": "Canada", "australian": "Australia", "indian": "India",
    "singapore": "Singapore", "delaware": "Delaware", "new york": "New York", "californian": "California",
    "california": "California", "texas": "Texas", "ontario": "Ontario",
}
_JURISDICTIONS = (
    "England and Wales", "Germany", "Finland", "Poland", "Japan", "Peru", "Switzerland", "France",
    "the Netherlands", "Sweden", "Denmark", "Norway", "Spain", "Ireland", "Scotland", "Austria", "Italy",
    "Belgium", "Estonia", "Portugal", "Brazil", "Mexico", "Canada", "Australia", "India", "Singapore",
    "Delaware", "New York", "California", "Texas", "Ontario",
)
_ADJECTIVE_ALTERNATION = "|".join(sorted(_LAW_ADJECTIVES, key=len, reverse=True))
_JURISDICTION_ALTERNATION = "|".join(re.escape(j) for j in sorted(_JURISDICTIONS, key=len, reverse=True))
_ADJECTIVE_LAW = _re(rf"\b(?P<adjective>{_ADJECTIVE_ALTERNATION})\s+law\b")
_LAWS_OF = _re(
    rf"\b(?:laws?\s+of|governed\s+by|governing\s+law\s+(?:is|would be|will be|:)?)\s*(?:the\s+)?(?:laws?\s+of\s+)?"
    rf"(?:the\s+)?(?:state\s+of\s+)?(?P<place>{_JURISDICTION_ALTERNATION})\b"
)
_BARE_JURISDICTION = re.compile(rf"\b(?P<place>{_JURISDICTION_ALTERNATION})\b")
_LAW_TOPIC = _re(r"\blaw\b|\bjurisdiction\b")
_COURTS_OF = re.compile(r"\b[Cc]ourts?\s+(?:of|in)\s+(?:the\s+)?(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")
_PLACE_COURTS = re.compile(r"\b(?P<place>[A-Z][\w'’-]+)\s+courts\b")
_ARBITRATION = re.compile(r"\barbitration\s+(?:in|seated in)\s+(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")


def _law_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    lowered = sentence.lower()
    if not any(word in lowered for word in ("law", "court", "arbitration", "govern")) and not (
        _short_answer(sentence, 10) and _BARE_JURISDICTION.search(sentence)
    ):
        return facts
    laws: list[tuple[int, str]] = []
    laws += [(m.start(), _LAW_ADJECTIVES[m.group("adjective").lower()]) for m in _ADJECTIVE_LAW.finditer(sentence)]
    laws += [(m.start(), _canonical_place(m.group("place"))) for m in _LAWS_OF.finditer(sentence)]
    if not laws and _short_answer(sentence, 10) and _LAW_TOPIC.search(context.nearby + " " + sentence):
        laws += [(m.start(), _canonical_place(m.group("place"))) for m in _BARE_JURISDICTION.finditer(sentence)]
    if laws:
        # When one sentence names two laws ("they wanted X, but Y is acceptable") the last one stands.
        facts.append(Fact(key="governing_law", value=max(laws)[1]))
    venues: list[tuple[int, str]] = []
    venues += [(m.start(), f"courts of {m.group('place')}") for m in _COURTS_OF.finditer(sentence)]
    for match in _PLACE_COURTS.finditer(sentence):
        place = _LAW_ADJECTIVES.get(match.group("place").lower(), match.group("place"))
        if place.lower() not in ("the", "our", "their", "local", "state", "federal"):
            venues.append((match.start(), f"courts of {place}"))
    venues += [(m.start(), f"arbitration in {m.group('place')}") for m in _ARBITRATION.finditer(sentence)]
    if venues:
        facts.append(Fact(key="venue", value=max(venues)[1]))
    return facts


def _canonical_place(place: str) -> str:
    for jurisdiction in _JURISDICTIONS:
        if jurisdiction.lower() == place.lower():
            return jurisdiction
    return place


# --- fees ------------------------------------------------------------------------------------------

_AMOUNT_REFERENCE_BEFORE = _re(
    r"\b(?:instead of|from|existing|original(?:ly)?|previous(?:ly)?|old|up from|down from|than|first number|"
    r"was|were|had)\s+(?:the\s+|our\s+)?(?:about\s+|around\s+|roughly\s+)?$"
)
_AMOUNT_INCREMENT_BEFORE = _re(r"\b(?:by|up by|plus|another|extra|additional|increase of|discount of)\s+(?:about\s+|around\s+|roughly\s+)?$")
_AMOUNT_INCREMENT_AFTER = _re(r"^\s*(?:on top|extra|more|additional|in addition)\b")
_RECURRING_AFTER = _re(r"^\s*(?:(?:per|a|an|each|every|/)\s*(?P<period>month|year|annum|quarter|week)\b|(?P<adverb>monthly|annually|yearly|quarterly|weekly)\b)")
_MILESTONE_CONDITION = _re(
    r"^\s*(?P<condition>(?:when|on|upon|at|after|once)\s+[^,;.]*?)(?=\s*(?:,|;|\.|$|\band\s+(?:€|\$|£|put|the rest)))"
)
_MILESTONE_WORD = _re(r"\bmilestones?\b|\binstal(?:l)?ments?\b|\btranches?\b")
_FEE_CUE_BEFORE = _re(r"\b(?:fee|fees|price|total|sum|budget|cost|quote)\s+(?:of|is|at|to|goes to|would be|will be|comes to)?\s*(?:about\s+)?$")
_FEE_TOPIC = _re(r"\bfees?\b|\bpric(?:e|es|ing)\b|\bquote\b|\bbudget\w*\b|\bfixed\b|\blump sum\b|\ball-in\b|\bfor the whole\b")
_PAYMENT_AFTER_DAYS = _re(r"^\s*(?:from|of|after|following|upon|on)\s+(?:the\s+)?(?:date\s+of\s+(?:the\s+)?)?(?:invoice|invoicing|receipt)")
_PAYMENT_BEFORE_DAYS = _re(r"\bpayment(?:\s+terms?)?\s+(?:of\s+|is\s+|are\s+|within\s+|in\s+)?$")
_NET_DAYS = _re(r"\bnet[\s-]?(?P<days>\d{2,3})\b(?=\s*(?:days?\b|payment|from|after|$|[,.;]))")
_PAYMENT_WORD = _re(r"\bpay|\binvoic|\bterms\b")
# Without one of these words a number with "million" is not money, even in a meeting that named a currency.
_MONEY_WORD = _re(r"\bfees?\b|\bpric|\bcost|\bbudget|\bpay|\binvoic|\bquote|\beuros?\b|\bdollars?\b|\bpounds?\b|\bfixed\b")
_INVOICE_CADENCE = _re(
    r"\binvoic\w*\s+(?P<after>monthly|quarterly|annually|yearly|weekly|per milestone|on milestones?|"
    r"on acceptance|upon acceptance|upfront|in advance|in arrears)\b|\b(?P<before>monthly|quarterly|annual|yearly|weekly)\s+invoic"
)


def _fee_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    amounts = find_amount_matches(sentence, context.currency if _MONEY_WORD.search(sentence) else None)
    if amounts:
        milestone_sentence = bool(_MILESTONE_WORD.search(sentence))
        fee_topic = bool(_FEE_TOPIC.search(sentence) or _FEE_TOPIC.search(context.nearby))
        for found in amounts:
            fact = _fact_for_amount(sentence, found, milestone_sentence, fee_topic)
            if fact is not None:
                facts.append(fact)
    for duration in find_durations(sentence):
        if duration.unit not in ("day", "business day"):
            continue
        if _PAYMENT_AFTER_DAYS.search(sentence[duration.end:]) or _PAYMENT_BEFORE_DAYS.search(sentence[: duration.start]):
            facts.append(Fact(key="payment_terms", value=duration.normalised))
            break
    else:
        net = _NET_DAYS.search(sentence)
        if net and _PAYMENT_WORD.search(sentence):
            facts.append(Fact(key="payment_terms", value=f"{int(net.group('days'))} days"))
    cadence = _INVOICE_CADENCE.search(sentence)
    if cadence:
        facts.append(Fact(key="invoice_cadence", value=(cadence.group("after") or cadence.group("before")).lower()))
    return facts


def _fact_for_amount(sentence: str, found: AmountMatch, milestone_sentence: bool, fee_topic: bool) -> Fact | None:
    before, after = sentence[: found.start], sentence[found.end:]
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
        text = f"{written} {_tidy(condition.group('condition'))}" if condition else written
        return Fact(key="milestone", value=text, qualifier=text, amount=found.amount)
    if fee_topic:
        return Fact(key="fee_total", value=written, amount=found.amount)
    return None


# --- statement of work -----------------------------------------------------------------------------

_SERVICES = _re(r"\b(?:services?|scope of work)\s+(?:are|is|will be|would be|include|includes|covers?|consists? of|:)\s+(?P<value>[^.!?;]+)")
_DELIVERABLE_WORD = _re(r"\bdeliverables?\b")
_DELIVERABLE_MOVE = _re(r"\b(?:moves?|moved|shifts?|slips?|pushed|can stay|stays?|remains?)\b")
_ORDINAL_LEAD = _re(
    r"^(?:(?:so|and|then|also|finally|plus|first|second|third|fourth|fifth|one|two|three|four|five|"
    r"number (?:one|two|three|four|five))[,:]?\s+)+"
)
_DELIVERABLE_LEAD = _re(r"^.*?\bdeliverables?\b\s*(?:is|will be|would be|:)?\s*")
_DELIVERABLE_TAIL = _re(
    r"\s+(?:itself|moves?|moved|shifts?|slips?|pushed(?:\s+back)?|can stay|stays?|remains?|is due|are due|due|"
    r"will be (?:ready|delivered|done)|delivered|ready|is|are|comes?)\s*$"
)
_ARTICLE = _re(r"^(?:the|a|an|our|your|their)\s+")
_ACCEPTANCE_CUE = _re(r"\baccept")
_ACCEPTANCE_AROUND = _re(
    r"(?:\bacceptance\s+(?:period|window)?\s*(?:of|is|:)?\s*$)|(?:^\s*(?:for|of)\s+acceptance\b)|(?:^\s*to\s+(?:review|accept|test|approve))"
)


def _sow_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    services = _SERVICES.search(sentence)
    if services and context.contract != "MOU":
        facts.append(Fact(key="services_description", value=_tidy(services.group("value"))))
    facts.extend(_deliverable_facts(sentence, context))
    for duration in find_durations(sentence):
        if duration.unit not in ("day", "business day", "week"):
            continue
        before, after = sentence[: duration.start], sentence[duration.end:]
        if _ACCEPTANCE_AROUND.search(before) or _ACCEPTANCE_AROUND.search(after):
            facts.append(Fact(key="acceptance", value=duration.normalised))
            break
        if _short_answer(sentence, 10) and _ACCEPTANCE_CUE.search(context.nearby) and duration.unit == "business day":
            facts.append(Fact(key="acceptance", value=duration.normalised))
            break
    return facts


def _deliverable_facts(sentence: str, context: TermContext) -> list[Fact]:
    listing = _DELIVERABLE_WORD.search(context.utterance) is not None
    moving = _DELIVERABLE_MOVE.search(sentence) is not None and context.contract in ("SOW", None)
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
    if not words or len(words) > 8 or not words[-1][0].isalpha():
        return []
    due = mentions[-1]
    # The head noun ("report", "model") names the deliverable when it is moved later on.
    return [Fact(key="deliverable", value=name, qualifier=words[-1].lower(), due=due)]


# --- service levels --------------------------------------------------------------------------------

_PERCENT = re.compile(r"(?P<value>\d{1,3}(?:\.\d+)?)\s?%")
_UPTIME_WORD = _re(r"\buptime\b|\bavailability\b")
_UPTIME_REPORT = _re(
    r"\b(?:came in|was|were|back at|dropped|fell|reached|last (?:month|quarter|year)|downtime)\b"
    r"|\bin (?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
_PRIORITY = _re(
    r"\b(?:P(?P<digit>[0-4])|priority[- ](?P<word>one|two|three|four|[1-4])|sev(?:erity)?[- ]?(?P<sev>one|two|three|four|[1-4]))\b"
)
_PRIORITY_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4"}
_RESPONSE_TOPIC = _re(r"\brespon")
_CREDIT = _re(r"\bcredit")
_CREDIT_PERCENT = _re(r"(?P<value>\d{1,2}(?:\.\d+)?)\s?%\s+of\s+(?:the\s+)?(?P<monthly>monthly\s+)?(?:fee|fees|charges?|invoice)")
_SUPPORT_ALL_HOURS = _re(r"\b24\s?[x/×]\s?7\b|\btwenty[- ]four[- ](?:seven|by[- ]seven)\b|\b(?:a)?round the clock\b")
_BUSINESS_HOURS = _re(r"\bbusiness hours\b|\boffice hours\b")
_SUPPORT_WORD = _re(r"\bsupport\b")


def _sla_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    percent = "%" in sentence
    if percent and (_UPTIME_WORD.search(sentence) or _UPTIME_WORD.search(context.nearby)) and not _UPTIME_REPORT.search(sentence):
        for match in _PERCENT.finditer(sentence):
            value = float(match.group("value"))
            if 90 <= value < 100 and not _CREDIT.search(sentence):
                facts.append(Fact(key="uptime_target", value=match.group("value")))
    if _PRIORITY.search(sentence) and (
        context.contract == "SLA" or _RESPONSE_TOPIC.search(sentence) or _RESPONSE_TOPIC.search(context.nearby)
    ):
        facts.extend(_response_times(sentence))
    if percent and _CREDIT.search(sentence):
        credit = _CREDIT_PERCENT.search(sentence)
        if credit:
            base = "the monthly fee" if credit.group("monthly") else "the fee"
            facts.append(Fact(key="service_credit", value=f"{credit.group('value')}% of {base}"))
    if _SUPPORT_WORD.search(sentence) or context.contract == "SLA":
        if _SUPPORT_ALL_HOURS.search(sentence):
            facts.append(Fact(key="support_hours", value="24x7"))
        elif _BUSINESS_HOURS.search(sentence) and _SUPPORT_WORD.search(sentence):
            facts.append(Fact(key="support_hours", value="business hours"))
    return facts


def _response_times(sentence: str) -> list[Fact]:
    priorities = list(_PRIORITY.finditer(sentence))
    durations = [d for d in find_durations(sentence) if d.unit in ("minute", "hour", "day", "business day")]
    if not priorities or not durations:
        return []
    pairs: list[tuple[re.Match[str], Duration]] = []
    if len(priorities) == 1 and len(durations) == 1:
        pairs.append((priorities[0], durations[0]))
    else:
        for priority in priorities:
            # "one hour for P1" (duration just before) or "P1 one hour" / "P1 within an hour" (just after).
            before = [d for d in durations if 0 <= priority.start() - d.end <= 12 and
                      re.fullmatch(r"\s*(?:response\s+)?(?:for|on)\s+(?:a\s+)?", sentence[d.end: priority.start()], re.I)]
            after = [d for d in durations if 0 <= d.start - priority.end() <= 30 and
                     not _PRIORITY.search(sentence[priority.end(): d.start])]
            chosen = before[0] if before else (after[0] if after else None)
            if chosen is not None:
                pairs.append((priority, chosen))
    facts = []
    for priority, duration in pairs:
        level = priority.group("digit") or priority.group("word") or priority.group("sev")
        label = f"P{_PRIORITY_WORDS.get(level.lower(), level)}"
        facts.append(Fact(key="response_time", value=f"{label}: {duration.normalised}", qualifier=label))
    return facts


# --- memorandum of understanding -------------------------------------------------------------------

_SCOPE = _re(
    r"\bscope\b(?:\s+of\s+(?:the\s+)?(?:collaboration|partnership|cooperation|MoU|project))?\s+"
    r"(?:is|will be|would be|covers|includes|:)\s+(?P<value>[^.!?;]+)"
)
_COLLABORATE_ON = _re(r"\bcollaborat\w*\s+on\s+(?P<value>[^.!?;]+)")
_RESPONSIBILITY_VERB = r"(?:will|would|is going to|shall|takes? care of|is responsible for|handles|provides|covers)"
_BINDING_EXCEPT = _re(
    r"\bnon-?binding,?\s+(?:except|apart from|other than|save)\s+(?:for\s+)?(?:the\s+)?"
    r"(?P<value>[\w\s,]+?)(?:\s+(?:provisions?|clauses?|sections?|obligations?))?(?=\s*(?:[,.;]|$|\bwhich\b))"
)
_ONLY_BINDING = _re(r"\bonly\s+(?:the\s+)?(?P<value>[\w\s,]+?)\s+(?:provisions?|clauses?)?\s*(?:are|is|will be|shall be)\s+binding")
_NO_EXCLUSIVITY = _re(r"\bno exclusivity\b|\bnon-?exclusive\b|\bwithout exclusivity\b|\bnot exclusive\b")
_EXCLUSIVITY = _re(r"\bexclusiv")


def _mou_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    if context.contract == "MOU":
        scope = _SCOPE.search(sentence) or _COLLABORATE_ON.search(sentence)
        if scope:
            facts.append(Fact(key="scope", value=_tidy(scope.group("value"))))
        facts.extend(_responsibilities(sentence, context))
    binding = _BINDING_EXCEPT.search(sentence) or _ONLY_BINDING.search(sentence)
    if binding:
        facts.append(Fact(key="binding_provisions", value=_tidy(binding.group("value")).lower()))
    if _NO_EXCLUSIVITY.search(sentence):
        facts.append(Fact(key="exclusivity", value="none"))
    elif _EXCLUSIVITY.search(sentence):
        period = next((d for d in find_durations(sentence) if d.unit in ("week", "month", "year")), None)
        if period is not None:
            facts.append(Fact(key="exclusivity", value=f"exclusive for {period.normalised}"))
    return facts


def _responsibilities(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    for name in context.roster.names:
        for alias in _party_aliases(name, context.roster):
            pattern = rf"(?:^|[,:;]\s*|\band\s+|\bso\s+|\bthen\s+|\bresponsibilities,\s+)(?:{re.escape(alias)})\s+{_RESPONSIBILITY_VERB}\s+(?P<value>[^.!?;]+)"
            match = re.search(pattern, sentence, re.IGNORECASE)
            if match:
                value = _tidy(match.group("value"))
                facts.append(Fact(key="responsibility", value=value, qualifier=f"{name}: {value}", owner=name, parties=(name,)))
                break
    return facts


def _party_aliases(name: str, roster: PartyRoster) -> list[str]:
    words = name.split()
    candidates = [name] + [" ".join(words[:n]) for n in range(len(words) - 1, 0, -1)] + words
    seen: list[str] = []
    for candidate in candidates:
        if candidate not in seen and roster.resolve(candidate) == name:
            seen.append(candidate)
    return seen


# --- dates -----------------------------------------------------------------------------------------

_START_WORDS = _re(r"\b(?:start(?:s|ing)?|effective|commenc\w*|begin(?:s|ning)?|kicks? off)\s+(?:date\s+)?(?:is\s+|will be\s+|would be\s+)?(?:on\s+|from\s+|as of\s+)?$")
_END_WORDS = _re(r"\b(?:end(?:s|ing)?|expir\w+|terminat\w+)\s+(?:date\s+)?(?:is\s+|will be\s+)?(?:on\s+)?$")
_START_TOPIC = _re(
    r"\bstart(?:s|ing)? (?:on|from|date)\b|\bstart date\b|\beffective\b|\bcommenc\w*|\bbegin(?:s|ning)? on\b|\bkick-?off date\b"
)


_DATE_FACT_HINT = _re(r"\b(?:start|effective|commenc|begin|kick|end|expir|terminat|until|till)")


def _date_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    hinted = bool(_DATE_FACT_HINT.search(sentence))
    short_answer = not hinted and _short_answer(sentence, 6) and bool(_START_TOPIC.search(context.nearby))
    if not hinted and not short_answer:
        return facts
    for mention in resolve_date_phrases(sentence, context.reference_date):
        position = sentence.find(mention.text)
        before = sentence[:position]
        spoken = mention.text.split()[0].lower()
        if _START_WORDS.search(before) or (spoken == "from" and _START_TOPIC.search(before)):
            facts.append(Fact(key="effective_date", value=mention.value.isoformat(), due=mention))
        elif _END_WORDS.search(before) or spoken in ("until", "till"):
            facts.append(Fact(key="end_date", value=mention.value.isoformat(), due=mention))
        elif short_answer:
            facts.append(Fact(key="effective_date", value=mention.value.isoformat(), due=mention))
    return facts[:2]


# --- parties ---------------------------------------------------------------------------------------

_PARTY_CUE = _re(
    r"\b(?:parties|party|contracting entit(?:y|ies)|entit(?:y|ies)|between|signing|signs|sign as|counterparty|"
    r"on (?:our|their) side|on ours)\b"
)
_ROLE_AFTER = _re(
    r"^\s*(?:as|is|will be|acts as|would be|stays|remains)\s+(?:the\s+)?(?:service\s+)?"
    r"(?P<role>provider|vendor|supplier|contractor|customer|client)\b"
)
_PROVIDER_ROLES = ("provider", "vendor", "supplier", "contractor")


def _party_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    named = context.roster.mentioned_in(sentence)
    if not named:
        return facts
    for name in named:
        for alias in _party_aliases(name, context.roster):
            match = re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", sentence)
            role = _ROLE_AFTER.search(sentence[match.end():]) if match else None
            if role:
                key = "provider" if role.group("role").lower() in _PROVIDER_ROLES else "customer"
                facts.append(Fact(key=key, value=name, parties=(name,)))
                break
    if _PARTY_CUE.search(sentence) or facts or _PARTY_CUE.search(context.nearby):
        for name in named:
            facts.append(Fact(key=PARTY_KEY, value=name, qualifier=name, parties=(name,)))
    return facts


# --- assembly --------------------------------------------------------------------------------------

_RULES: tuple[Callable[[str, TermContext], list[Fact]], ...] = (
    _party_facts, _nda_facts, _term_facts, _law_facts, _fee_facts, _sow_facts, _sla_facts, _mou_facts,
    _date_facts,
)


# Every rule needs one of these word beginnings, a digit or symbol, or a known party; most sentences
# have none, and str.startswith over a tuple is far cheaper than one more regular expression.
_FACT_WORD_STARTS = tuple(
    "law court arbitration term renew notice confidential purpose mutual one-way unilateral disclos fee pric "
    "cost budget invoic payment net milestone instal tranche service deliverable accept uptime availab priority "
    "sev respon credit round support scope collaborat binding exclusiv start effective commenc begin end expir "
    "until till terminat part entit between sign provider customer vendor supplier contractor client month year "
    "week day hour minute euro dollar pound zł zloty statement memorandum non-disclosure govern nda sow sla mou "
    "twenty thirty forty fifty sixty seventy eighty ninety".split()
) + tuple(j.split()[-1].lower() for j in _JURISDICTIONS)
_FACT_CHARACTERS = re.compile(r"[\d€$£¥%]")
_WORDS = re.compile(r"[^\W\d_][\w-]*")


def _may_state_facts(sentence: str, context: TermContext) -> bool:
    if _FACT_CHARACTERS.search(sentence):
        return True
    if any(word.startswith(_FACT_WORD_STARTS) for word in _WORDS.findall(sentence.lower())):
        return True
    return bool(context.roster.mentioned_in(sentence))


def find_facts(sentence: str, context: TermContext) -> list[Fact]:
    """Every contract fact the sentence states, scoped to the agreement under discussion."""
    # A meeting that never names an agreement (NDA, SOW, SLA, MoU) states no contract terms.
    if context.contract is None or not _may_state_facts(sentence, context):
        return []
    facts: list[Fact] = []
    for rule in _RULES:
        facts.extend(rule(sentence, context))
    substantive = [f for f in facts if f.key != PARTY_KEY]
    wanted = _contract_intent(sentence)
    if substantive:
        wanted += [kind for kind in contracts_mentioned(sentence) if kind not in wanted]
    facts.extend(Fact(key="contract_type", value=kind, qualifier=kind) for kind in wanted)
    return [_scoped(fact, context.contract) for fact in _unique(facts)]


def _scoped(fact: Fact, contract: ContractType | None) -> Fact:
    if fact.key in SCOPED_KEYS and contract is not None:
        return Fact(**{**fact.__dict__, "scope": contract})
    return fact


def _unique(facts: list[Fact]) -> list[Fact]:
    seen: set[tuple[str | None, str, str, str]] = set()
    unique: list[Fact] = []
    for fact in facts:
        marker = (fact.scope, fact.key, fact.qualifier, fact.value)
        if marker not in seen:
            seen.add(marker)
            unique.append(fact)
    return unique


def _short_answer(sentence: str, max_words: int) -> bool:
    return len(sentence.split()) <= max_words


def _tidy(text: str) -> str:
    cleaned = _TRAILING_FILLER.sub("", text.strip())
    return cleaned.strip(" ,;:-—").rstrip(".")
