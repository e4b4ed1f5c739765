"""Agenda items named on their own ("Term.", "Service credits.", "Then governing law and venue."): the
subject of what follows until the next item, even when the figure comes many turns later.

The few utterances before a sentence usually give its subject; an item named as a heading keeps giving
it for longer, so "Two years is acceptable for us." ten turns after "Term." is still about the term.
"""

from __future__ import annotations

import re

# How many utterances an agenda item stays the subject when no other item is named.
AGENDA_SPAN = 30
_LEAD = r"(?:(?:and|then|now|next|okay|ok|so|right|on|finally|moving on to|let'?s (?:do|talk about|turn to)|what about)[,\s]+)*"
_ITEM = (
    r"(?:the\s+)?(?:sla\s+|nda\s+|sow\s+|mou\s+)?(?:term|duration|payment(?:\s+terms?)?|service\s+credits?|credits|"
    r"confidentiality(?:\s+period)?|governing\s+law|law|venue|jurisdiction|forum|courts?|uptime(?:\s+target)?|"
    r"availability|response\s+times?|severity\s+levels?|fees?|price|pricing|milestones?|dates|timeline|scope|"
    r"deliverables|acceptance(?:\s+period)?|liability(?:\s+cap)?|(?:the\s+)?cap|effective\s+date|start\s+date|"
    r"parties|exclusivity|currency|support(?:\s+hours)?)"
)
_HEADING = re.compile(rf"^\W*{_LEAD}{_ITEM}(?:\s*(?:,|and|&)\s*{_ITEM})*\W*$", re.IGNORECASE)
_MAX_WORDS = 7


def names_agenda_item(sentence: str) -> bool:
    """Whether the sentence only names the next item to settle ("Payment.", "And the SLA term.")."""
    return len(sentence.split()) <= _MAX_WORDS and _HEADING.search(sentence) is not None
