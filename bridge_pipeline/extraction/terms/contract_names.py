"""Which agreement (NDA, SOW, SLA, MoU) a sentence names, and whether it says the parties want one."""

from __future__ import annotations

import re
from functools import lru_cache

from bridge_pipeline.extraction.terms.base import ci
from bridge_pipeline.extraction.vocabulary import CONTRACT_ACRONYMS, CONTRACT_LONG_NAMES, CONTRACT_NAMED_IN_TEXT
from bridge_pipeline.models import ContractType

# contract_intent reports the agreements one sentence wants in this order.
_CONTRACT_MENTIONS: tuple[tuple[ContractType, re.Pattern[str]], ...] = tuple(
    (kind, CONTRACT_NAMED_IN_TEXT[kind]) for kind in ("NDA", "SOW", "SLA", "MOU")
)
_CONTRACT_INTENT_BEFORE = ci(
    r"\b(?:sign|signing|agree on|agree to|put in place|go with|set up|need|want to settle|settle|prepare|"
    r"mutual|one-way|unilateral|new)\s+(?:\w+\s+){0,4}?$"
)
_CONTRACT_INTENT_AFTER = ci(r"^\s*(?:is|would be|will be|makes (?:more )?sense|it is|is the right)\b")


# Every contract name contains a word of its spelling (lower-cased); most sentences contain none.
_CONTRACT_HINTS = tuple(
    sorted({
        max(re.split(r"[\s-]+", spelling.lower()), key=len)
        for table in (CONTRACT_ACRONYMS, CONTRACT_LONG_NAMES)
        for spellings in table.values()
        for spelling in spellings
    })
)


@lru_cache(maxsize=4096)
def contracts_mentioned(sentence: str) -> tuple[ContractType, ...]:
    """Contract types named in the sentence, in order of appearance."""
    lowered = sentence.lower()
    if not any(hint in lowered for hint in _CONTRACT_HINTS):
        return ()
    hits = sorted((m.start(), kind) for kind, pattern in _CONTRACT_MENTIONS for m in pattern.finditer(sentence))
    ordered: list[ContractType] = []
    for _, kind in hits:
        if kind not in ordered:
            ordered.append(kind)
    return tuple(ordered)


# "We already have an NDA", "the NDA we signed last year", "under our existing NDA": a contract in place,
# not one the meeting is putting in place.
_EXISTING_BEFORE = ci(
    r"\b(?:already\s+(?:have|has|got|signed|in place)|existing|current|signed|our old|the old|covered by|under)\s+"
    r"(?:(?:the|an?|our|their|your|mutual|one-way)\s+)*$"
)
_EXISTING_AFTER = ci(
    r"^\s*(?:(?:that|which)\s+)?(?:we|they|you|both sides)?\s*(?:already\s+)?(?:signed|have in place|put in place|"
    r"executed)\b|^\s*(?:is|was|are)\s+already\s+(?:signed|in place|done|executed)|^\s*(?:from|signed)\s+(?:last|in)\s+\w+"
)
# "The NDA is signed", "the NDA has been countersigned": in place, unless it is a condition ("once the NDA is signed").
_SIGNED_AFTER = ci(r"^\s*(?:is|was|are|were|has been|have been|got)\s+(?:now\s+|all\s+|finally\s+|fully\s+)?(?:signed|countersigned|executed|in place)\b")
_CONDITION_BEFORE = ci(r"\b(?:once|when|after|until|till|before|if|as soon as|unless)\s+(?:(?:the|an?|our|their|your|mutual|one-way)\s+)*$")


def existing_contracts(sentence: str) -> frozenset[ContractType]:
    """Contract types the sentence names as already in place."""
    found = set()
    for kind, pattern in _CONTRACT_MENTIONS:
        for match in pattern.finditer(sentence):
            before, after = sentence[: match.start()], sentence[match.end():]
            signed = _SIGNED_AFTER.search(after) is not None and _CONDITION_BEFORE.search(before) is None
            if _EXISTING_BEFORE.search(before) or _EXISTING_AFTER.search(after) or signed:
                found.add(kind)
    return frozenset(found)


def contract_intent(sentence: str) -> list[ContractType]:
    """Agreements the sentence says the parties want ("a mutual NDA makes sense", "sign a SOW")."""
    wanted: list[ContractType] = []
    if not contracts_mentioned(sentence):
        return wanted
    for kind, pattern in _CONTRACT_MENTIONS:
        for match in pattern.finditer(sentence):
            before, after = sentence[: match.start()], sentence[match.end():]
            if _CONTRACT_INTENT_BEFORE.search(before) or _CONTRACT_INTENT_AFTER.search(after):
                wanted.append(kind)
                break
    return wanted
