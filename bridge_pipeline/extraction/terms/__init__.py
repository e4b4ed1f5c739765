"""Reads contract facts (vocabulary.TERM_KEYS) out of one sentence, given what the meeting is discussing.

Each rule module looks for the facts of one kind of agreement and returns them normalised as
vocabulary.TERM_KEYS documents. Whether a fact was agreed is not decided here: the extractor weighs
the sentence's signals and the replies around it. Rules stay narrow on purpose: a missed term becomes
TBD in the draft, a wrong one misleads counsel.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bridge_pipeline.extraction.terms.agreement import JURISDICTIONS, date_facts, law_facts, nda_facts, party_facts, term_facts
from bridge_pipeline.extraction.terms.base import PARTY_KEY, SCOPED_KEYS, Fact, TermContext, TopicWindow
from bridge_pipeline.extraction.terms.commercial import fee_facts, sow_facts
from bridge_pipeline.extraction.terms.contract_names import contract_intent, contracts_mentioned, existing_contracts
from bridge_pipeline.extraction.terms.partnership import mou_facts
from bridge_pipeline.extraction.terms.service_levels import sla_facts
from bridge_pipeline.models import ContractType

__all__ = ["PARTY_KEY", "SCOPED_KEYS", "Fact", "TermContext", "TopicWindow", "contracts_mentioned", "find_facts"]


_RULES: tuple[Callable[[str, TermContext], list[Fact]], ...] = (
    party_facts, nda_facts, term_facts, law_facts, fee_facts, sow_facts, sla_facts, mou_facts,
    date_facts,
)


# Every rule needs one of these word beginnings, a digit or symbol, or a known party; most sentences
# have none, and str.startswith over a tuple is far cheaper than one more regular expression.
_FACT_WORD_STARTS = tuple(
    "law court arbitration term renew notice confidential purpose mutual one-way unilateral disclos fee pric "
    "cost budget invoic payment net milestone instal tranche service deliverable accept uptime availab priority "
    "sev respon credit round support scope collaborat binding exclusiv start effective commenc begin end expir "
    "until till terminat part entit between sign provider customer vendor supplier contractor client month year "
    "week day hour minute euro dollar pound zł zloty statement memorandum non-disclosure nondisclos mnda govern "
    "nda sow sla mou "
    "twenty thirty forty fifty sixty seventy eighty ninety "
    "january february march april june july august september october november december".split()
) + tuple(j.split()[-1].lower() for j in JURISDICTIONS)
_FACT_CHARACTERS = re.compile(r"[\d€$£¥%]")
_WORDS = re.compile(r"[^\W\d_][\w-]*")


def _may_state_facts(sentence: str, context: TermContext) -> bool:
    if _FACT_CHARACTERS.search(sentence):
        return True
    if any(word.startswith(_FACT_WORD_STARTS) for word in _WORDS.findall(sentence.lower())):
        return True
    # "The scope is fine. <the scope itself>": the sentence after a scope confirmation states the scope.
    if "scope" in context.said_before.lower():
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
    wanted = contract_intent(sentence)
    if substantive:
        wanted += [kind for kind in contracts_mentioned(sentence) if kind not in wanted]
    # A contract already in place is not one to draft.
    existing = existing_contracts(sentence) if wanted else frozenset()
    wanted = [kind for kind in wanted if kind not in existing]
    facts.extend(Fact(key="contract_type", value=kind, qualifier=kind) for kind in wanted)
    return [_scoped(fact, context.contract) for fact in _unique(facts)]


def _scoped(fact: Fact, contract: ContractType | None) -> Fact:
    if fact.key in SCOPED_KEYS and contract is not None:
        return replace(fact, scope=contract)
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


