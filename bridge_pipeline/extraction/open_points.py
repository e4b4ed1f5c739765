"""Points a meeting explicitly leaves open ("we leave the uptime target open", "the effective date stays open").

An open point is a result of the negotiation, not an absence: it stops a value proposed earlier from
filling the field, and the draft shows the field TBD, cited where it was left open.
"""

from __future__ import annotations

import re

# What people call a term when they leave it open, and the term it is.
_SUBJECTS: tuple[tuple[str, str], ...] = (
    (r"uptime(?: target| number| figure)?|availability(?: target)?", "uptime_target"),
    (r"effective date|start date|commencement date", "effective_date"),
    (r"acceptance(?: period| window| criteria)?", "acceptance"),
    (r"liability(?: cap)?|(?:the )?cap on liability", "liability_cap"),
    (r"governing law|choice of law", "governing_law"),
    (r"venue|jurisdiction|(?:the )?forum|(?:the )?courts?", "venue"),
    (r"payment terms?|payment schedule", "payment_terms"),
    (r"confidentiality(?: period| term)?", "confidentiality_period"),
    (r"service credits?|credits", "service_credit"),
    (r"response times?", "response_time"),
    (r"(?:total |fixed )?(?:fee|price)", "fee_total"),
)


def _subject(form: str) -> str:
    return "|".join(f"(?P<{form}{n}>{pattern})" for n, (pattern, _) in enumerate(_SUBJECTS))


def _subjects(form: str) -> str:
    """One subject or several joined ("governing law and the forum"): each becomes its own group."""
    first = _subject(form)
    more = "|".join(f"(?P<{form}x{n}>{pattern})" for n, (pattern, _) in enumerate(_SUBJECTS))
    return rf"(?:the\s+)?(?:{first})(?:\s*(?:,|and|&)\s*(?:the\s+)?(?:{more}))?"


_OPEN = re.compile(
    rf"\b(?:leave|keep|leaving|keeping|park|parking)\s+{_subjects('a')}\s+(?:open|aside|for later|parked|tbd)\b"
    rf"|\b{_subjects('b')}\s+(?:is|are|stays?|remains?|will stay|will remain|to be)\s+(?:an?\s+)?(?:open|tbd|to be (?:confirmed|determined|agreed)|confirmed later)\b"
    rf"|\b{_subjects('d')}\s+(?:(?:is|are|stays?|remains?)\s+)?(?:to be|tbc|tbd)\b"
    rf"|\b(?:don'?t|do not|won'?t|will not)\s+(?:decide|agree|settle|fix)\s+(?:on\s+)?{_subjects('c')}\s+(?:today|now|yet|in this call)\b"
    # "We'll come back on governing law": the point is not settled in this call.
    rf"|\b(?:come|get|circle)\s+back\s+(?:to\s+you\s+)?(?:on|about|regarding)\s+{_subjects('e')}",
    re.IGNORECASE,
)
_HINTS = ("open", "tbd", "tbc", "to be", "park", "decide", "aside", "agree", "settle", "fix", "back")


def terms_left_open(sentence: str) -> list[str]:
    """Term keys (vocabulary.TERM_KEYS) the sentence explicitly leaves open, in order."""
    lowered = sentence.lower()
    if not any(hint in lowered for hint in _HINTS):
        return []
    keys: list[str] = []
    for match in _OPEN.finditer(sentence):
        for name, value in match.groupdict().items():
            if value:
                key = _SUBJECTS[int(name.lstrip("abcdex"))][1]
                if key not in keys:
                    keys.append(key)
    return keys
