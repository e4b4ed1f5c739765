"""Which agreement (NDA, SOW, SLA, MoU) a sentence names, and whether it says the parties want one."""

from __future__ import annotations

import re
from functools import lru_cache

from bridge_pipeline.extraction.terms.base import ci
from bridge_pipeline.models import ContractType

# Acronyms only count in capitals ("sow" and "sla" are words); spelled-out names in any case.
_CONTRACT_MENTIONS: tuple[tuple[ContractType, re.Pattern[str]], ...] = (
    ("NDA", re.compile(r"\bm?NDAs?\b|\b(?i:non[- ]disclosure agreement|confidentiality agreement)\b")),
    ("SOW", re.compile(r"\bSOWs?\b|\b(?i:statements? of work)\b")),
    ("SLA", re.compile(r"\bSLAs?\b|\b(?i:service[- ]level agreement|service levels)\b")),
    ("MOU", re.compile(r"\bMo[Uu]s?\b|\b(?i:memorandum of understanding)\b")),
)
_CONTRACT_INTENT_BEFORE = ci(
    r"\b(?:sign|signing|agree on|agree to|put in place|go with|set up|need|want to settle|settle|prepare|"
    r"mutual|one-way|unilateral|new)\s+(?:\w+\s+){0,4}?$"
)
_CONTRACT_INTENT_AFTER = ci(r"^\s*(?:is|would be|will be|makes (?:more )?sense|it is|is the right)\b")


# Every contract name contains one of these (lower-cased); most sentences contain none.
_CONTRACT_HINTS = ("nda", "sow", "sla", "mou", "statement", "memorandum", "disclosure", "confidentiality agreement",
                   "service level", "service-level")


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
