"""Rules for service levels: uptime target, response times per priority, service credits, support hours."""

from __future__ import annotations

import re

from bridge_pipeline.extraction.durations import Duration, find_durations
from bridge_pipeline.extraction.terms.base import Fact, TermContext, ci, has_any

# --- service levels --------------------------------------------------------------------------------

_PERCENT = re.compile(r"(?P<value>\d{1,3}(?:\.\d+)?)\s?%")
_UPTIME_WORD = ci(r"\buptime\b|\bavailability\b")
_UPTIME_REPORT = ci(
    r"\b(?:came in|was|were|back at|dropped|fell|reached|last (?:month|quarter|year)|downtime)\b"
    r"|\bin (?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
_PRIORITY = ci(
    r"\b(?:P(?P<digit>[0-4])|priority[- ](?P<word>one|two|three|four|[1-4])|sev(?:erity)?[- ]?(?P<sev>one|two|three|four|[1-4]))\b"
)
_PRIORITY_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4"}
_PRIORITY_HINTS = ("p0", "p1", "p2", "p3", "p4", "priority", "sev")
_RESPONSE_TOPIC = ci(r"\brespon")
_CREDIT = ci(r"\bcredit")
# A share of the fee tied to a missed target is a service credit even when nobody says "credit".
_SHORTFALL = ci(r"\bdowntime\b|\bbelow (?:the target|\d)|\bbeyond the (?:uptime )?target\b|\bmiss(?:ed|es)? the target\b")
_CREDIT_PERCENT = ci(r"(?P<value>\d{1,2}(?:\.\d+)?)\s?%\s+of\s+(?:the\s+)?(?P<monthly>monthly\s+)?(?:\w+\s+){0,2}?(?:fee|fees|charges?|invoice)\b(?P<rule>\s*,?\s*(?:for|per|if|when|below|beyond|capped|up to)\b(?:[^.;!?]|\.(?=\d))*)?")
# "10% per 0.1 below 99.95, and the cap at 40%": a rate per step of shortfall, with its cap, said without "of the fee".
_CREDIT_STEP = ci(
    r"(?P<rate>\d{1,2}(?:\.\d+)?)\s?%\s+(?:of the (?:monthly )?fee\s+)?(?:per|for each|for every|each)\s+"
    r"(?P<step>0?\.\d+)(?:\s?%)?(?:\s+(?:below|under|short of)\s+(?:the\s+target|(?P<target>9\d(?:\.\d+)?)(?:\s?%)?))?"
)
_CREDIT_CAP = ci(r"\bcap(?:ped)?\s+(?:(?:it\s+)?at\s+)?(?P<cap>\d{1,3})\s?%?|(?P<cap2>\d{1,3})\s?%\s+cap\b")
# "99.9 is agreed" while uptime is the subject: a target said without the word percent.
_BARE_UPTIME = re.compile(r"(?<![\d.])(?P<value>9\d\.\d{1,3})(?![\d%])")
# "one and a half times the fees paid in the 12 months before the claim"
_LIABILITY_WORD = ci(r"\bliabilit|\bcap\b")
_LIABILITY_CAP = ci(r"(?P<value>\d+(?:\.\d+)?\s+times\s+(?:the\s+)?(?:annual\s+|monthly\s+)?(?:fees?|charges|contract value)[^.;!?]*)")
# "Twelve months of fees as the cap"
_LIABILITY_MONTHS = ci(r"(?P<value>\d{1,2}\s+months?\s+of\s+(?:the\s+)?(?:fees?|charges))")
_SUPPORT_ALL_HOURS = ci(r"\b24\s?[x/×]\s?7\b|\btwenty[- ]four[- ](?:seven|by[- ]seven)\b|\b(?:a)?round the clock\b")
_BUSINESS_HOURS = ci(r"\bbusiness hours\b|\boffice hours\b")
_SUPPORT_WORD = ci(r"\bsupport\b")


def sla_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    percent = "%" in sentence
    if percent and (_UPTIME_WORD.search(sentence) or context.discussed(_UPTIME_WORD)) and not _UPTIME_REPORT.search(sentence):
        for match in _PERCENT.finditer(sentence):
            value = float(match.group("value"))
            if 90 <= value < 100 and not _CREDIT.search(sentence):
                facts.append(Fact(key="uptime_target", value=match.group("value")))
    elif not percent and context.discussed(_UPTIME_WORD) and not _UPTIME_REPORT.search(sentence) and not _CREDIT.search(sentence):
        facts.extend(Fact(key="uptime_target", value=m.group("value")) for m in _BARE_UPTIME.finditer(sentence))
    if has_any(sentence, _PRIORITY_HINTS) and _PRIORITY.search(sentence) and (
        context.contract == "SLA" or _RESPONSE_TOPIC.search(sentence) or context.discussed(_RESPONSE_TOPIC)
    ):
        facts.extend(_response_times(sentence))
    if percent and (_CREDIT.search(sentence) or context.discussed(_CREDIT) or _SHORTFALL.search(sentence)):
        credit = _CREDIT_PERCENT.search(sentence)
        stepped = _stepped_credit(sentence)
        if stepped is not None and (credit is None or not stepped.startswith(f"{credit.group('value')}%")):
            facts.append(Fact(key="service_credit", value=stepped))
        elif credit:
            base = "the monthly fee" if credit.group("monthly") else "the fee"
            # The rule that goes with the rate ("for every 0.1% below 99.9%, capped at 30%") is part of the term.
            rule = " ".join((credit.group("rule") or "").split()).strip(" ,")
            facts.append(Fact(key="service_credit", value=f"{credit.group('value')}% of {base}" + (f" {rule}" if rule else "")))
    if ("times" in sentence or "month" in sentence) and (_LIABILITY_WORD.search(sentence) or context.discussed(_LIABILITY_WORD)):
        cap = _LIABILITY_CAP.search(sentence) or _LIABILITY_MONTHS.search(sentence)
        if cap and not _CREDIT.search(sentence):
            facts.append(Fact(key="liability_cap", value=" ".join(cap.group("value").split())))
    if has_any(sentence, ("24", "clock", "business hours", "office hours")):
        if _SUPPORT_ALL_HOURS.search(sentence):
            facts.append(Fact(key="support_hours", value="24x7"))
        elif _BUSINESS_HOURS.search(sentence) and _SUPPORT_WORD.search(sentence):
            facts.append(Fact(key="support_hours", value="business hours"))
    return facts


def _stepped_credit(sentence: str) -> str | None:
    step = _CREDIT_STEP.search(sentence)
    if step is None:
        return None
    below = f"{step.group('target')}%" if step.group("target") else "the uptime target"
    value = f"{step.group('rate')}% of the monthly fee for each {step.group('step')}% below {below}"
    cap = _CREDIT_CAP.search(sentence)
    if cap:
        value += f", capped at {cap.group('cap') or cap.group('cap2')}% of the monthly fee"
    return value


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
        # The most urgent severity is the SLA's headline response time; the others are listed beside it.
        if label in ("P0", "P1"):
            facts.append(Fact(key="response_time", value=duration.normalised, qualifier=label))
        else:
            facts.append(Fact(key="lower_severity_response", value=f"{label}: {duration.normalised}", qualifier=label))
    return facts
