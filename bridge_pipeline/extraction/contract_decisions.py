"""Turns the contract facts of a meeting into decisions: the agreed value of each term, cited where it was said.

For every term (an NDA's term, the fixed fee, P1 response time...) the value that was last agreed
wins; proposals that were rejected or replaced are not emitted. A fact counts as agreed when its own
sentence says so ("agreed", "we can accept that"), when the next speaker assents, or when another
speaker repeats the value. The decision cites the first statement of the winning value and the
utterances that accepted it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bridge_pipeline.extraction.decision_draft import DecisionDraft
from bridge_pipeline.extraction.reading import MeetingReading, Reply, Statement, cite
from bridge_pipeline.extraction.signals import calls_off
from bridge_pipeline.extraction.terms import PARTY_KEY, SCOPED_KEYS, Fact
from bridge_pipeline.extraction.open_points import terms_left_open
from bridge_pipeline.extraction.vocabulary import OPEN_VALUE, TERM_KEYS
from bridge_pipeline.models import Citation, ContractType

# Keys of which a meeting can agree several (three deliverables, P1 and P2): one decision each.
SEPARATE_KEYS = frozenset({"deliverable", "milestone", "response_time", "lower_severity_response", "responsibility"})
# A repeat by another speaker counts as assent only if it comes soon after.
_REPEAT_WINDOW = 6
_MAX_CITATIONS = 5

_KEY_TOPICS = {
    "nda_direction": "nda", "discloser": "nda", "confidentiality_period": "nda", "purpose": "nda",
    "provider": "parties", "customer": "parties", PARTY_KEY: "parties",
    "effective_date": "dates", "end_date": "dates",
    "term": "term", "renewal": "term", "termination_notice": "term",
    "governing_law": "law", "venue": "law",
    "fee_total": "fees", "fee_recurring": "fees", "payment_terms": "fees", "payment_schedule": "fees", "invoice_cadence": "fees",
    "milestone": "fees",
    "services_description": "sow", "deliverable": "sow", "acceptance": "sow",
    "uptime_target": "sla", "response_time": "sla", "lower_severity_response": "sla", "service_credit": "sla", "support_hours": "sla",
    "liability_cap": "sla",
    "scope": "mou", "responsibility": "mou", "binding_provisions": "mou", "exclusivity": "mou",
}


@dataclass
class _Occurrence:
    statement: Statement
    fact: Fact
    settles: bool
    rejected: bool
    assents: list[Reply]

    @property
    def agreed(self) -> bool:
        return self.settles or bool(self.assents)


@dataclass(frozen=True)
class _Winner:
    anchor: _Occurrence
    support: tuple[_Occurrence, ...]
    confidence: float


def contract_decisions(reading: MeetingReading) -> list[DecisionDraft]:
    """One decision per statement that first stated agreed terms (separate ones for deliverables etc.)."""
    by_identity: dict[tuple[str | None, str, str], list[_Occurrence]] = {}
    withdrawn = _withdrawn_until(reading)
    excluded = excluded_parties(reading)
    for occurrence in _occurrences(reading):
        if withdrawn is not None and occurrence.statement.order <= withdrawn:
            continue
        if occurrence.fact.key == PARTY_KEY and occurrence.fact.value in excluded:
            continue
        by_identity.setdefault(occurrence.fact.identity, []).append(occurrence)
    winners = [w for occurrences in by_identity.values() if (w := _resolve(occurrences)) is not None]

    groups: dict[tuple[int, int], list[_Winner]] = {}
    for winner in winners:
        groups.setdefault(winner.anchor.statement.order, []).append(winner)

    drafts: list[DecisionDraft] = []
    for order in sorted(groups):
        shared = [w for w in groups[order] if w.anchor.fact.key not in SEPARATE_KEYS]
        separate = [w for w in groups[order] if w.anchor.fact.key in SEPARATE_KEYS]
        if shared:
            drafts.append(_draft(reading, shared, excluded))
        drafts.extend(_draft(reading, [winner], excluded) for winner in separate)
    return drafts


# "Biolàser is not a party", "they should not be in the MoU": an organisation the meeting keeps out.
_NOT_A_PARTY = re.compile(
    r"^\W*(?:is|are|will|would|should|must|stays?)?\s*(?:not|n't|never)\s+(?:be\s+)?(?:a\s+|the\s+)?"
    r"(?:party|parties|signatory|signing|in (?:the|this) (?:\w+))\b|^\W*(?:stays?|remains?) out\b",
    re.IGNORECASE,
)
_NOT_THE = re.compile(r"\bnot (?:the|with the)\s+(?P<word>[\w-]+)", re.IGNORECASE)


def excluded_parties(reading: MeetingReading) -> frozenset[str]:
    """Organisations the meeting says are not parties ("X is not a party", "Not the holding")."""
    excluded = set()
    for statement in reading.statements:
        text = statement.sentence.text
        for mention in reading.roster.mentions(text):
            if _NOT_A_PARTY.search(text[mention.end:]):
                excluded.add(mention.name)
        for refused in _NOT_THE.finditer(text):
            word = refused.group("word").lower()
            excluded.update(n for n in reading.roster.names if word in n.lower().split())
    return frozenset(excluded)


def _confirmed_in_same_turn(reading: MeetingReading, statement: Statement) -> bool:
    """"<the other side's offer restated>. Agreed.": a bare agreement right after a statement settles it."""
    sentences = reading.statements_of(statement.utterance.index)
    following = sentences[statement.number + 1] if statement.number + 1 < len(sentences) else None
    return following is not None and len(following.sentence.text.split()) <= 3 and following.signals.settles


def _withdrawn_until(reading: MeetingReading) -> tuple[int, int] | None:
    """The last statement that takes back everything discussed before it ("None of this is agreed")."""
    called_off = [s.order for s in reading.statements if calls_off(s.sentence.text)]
    return called_off[-1] if called_off else None


def _occurrences(reading: MeetingReading) -> list[_Occurrence]:
    found: list[_Occurrence] = []
    for statement in reading.statements:
        left_open = terms_left_open(statement.sentence.text)
        if not statement.facts and not left_open:
            continue
        reply = reading.reply_after(statement.utterance.index)
        verdict = reply.verdict if reply else "none"
        assents = [reply] if reply is not None and verdict == "assent" else []
        if verdict == "none" and reply is not None:
            assents = _assent_to_following_turn(reading, statement, reply) or _assent_after_closing(reading, statement, reply)
        settles = statement.signals.settles or _confirmed_in_same_turn(reading, statement)
        # A point left open is settled as open: it replaces what was proposed before and cites this sentence.
        for key in left_open:
            scope = statement.contract if key in SCOPED_KEYS else None
            found.append(_Occurrence(statement=statement, fact=Fact(key=key, value=OPEN_VALUE, scope=scope),
                                     settles=True, rejected=False, assents=list(assents)))
        own_name = _NAMES_OWN_SIDE.search(statement.sentence.text) is not None
        for fact in statement.facts:
            # A side naming its own contracting entity needs nobody's acceptance; the other side may still refuse it.
            fact_settles = settles or (own_name and fact.key == PARTY_KEY and verdict != "reject")
            found.append(
                _Occurrence(
                    statement=statement,
                    fact=fact,
                    settles=fact_settles,
                    rejected=verdict == "reject" and not fact_settles,
                    assents=list(assents),
                )
            )
    return found


_NAMES_OWN_SIDE = re.compile(
    r"\b(?:on (?:our|my) side|we are|we're|our (?:legal |registered |contracting )?(?:entity|name|company)|"
    r"(?:the )?(?:legal |contracting )?entity on our side|I represent|we sign as|signing for us)\b",
    re.IGNORECASE,
)


def _assent_to_following_turn(reading: MeetingReading, statement: Statement, reply: Reply) -> list[Reply]:
    """'That split works for us' after two proposals on the same subject accepts both of them."""
    keys = {fact.key for fact in statement.facts}
    next_turn = [s for s in reading.statements_of(reply.utterance.index) if {f.key for f in s.facts} & keys]
    if not next_turn:
        return []
    later = reading.reply_after(reply.utterance.index)
    if later is not None and later.verdict == "assent" and later.utterance.speaker != statement.speaker:
        return [later]
    return []


_CLOSING_WORDS = 4


def _assent_after_closing(reading: MeetingReading, statement: Statement, reply: Reply) -> list[Reply]:
    """A recap, "That's it." from a colleague, then "Yes, all correct." from the other side: the last one accepts it."""
    if len(reply.utterance.text.split()) > _CLOSING_WORDS:
        return []
    later = reading.reply_after(reply.utterance.index)
    speakers = {statement.speaker, reply.utterance.speaker}
    if later is not None and later.verdict == "assent" and later.utterance.speaker not in speakers:
        return [later]
    return []


def _resolve(occurrences: list[_Occurrence]) -> _Winner | None:
    """The value that stands for one term: the last agreed one, else the last unrefused statement."""
    live = [o for o in occurrences if not o.rejected]
    if not live:
        return None
    _count_repeats_as_assent(live)
    agreed = [o for o in live if o.agreed]
    # Only what both sides agreed enters a draft: a value one side said and nobody took up stays TBD.
    if not agreed:
        return None
    value = _fullest(agreed).fact.stated
    support = tuple(o for o in live if o.fact.stated == value)
    anchor = support[0]
    reopened = any(o.agreed and o.fact.stated != value for o in live)
    return _Winner(anchor=anchor, support=support, confidence=_confidence(anchor, support, reopened))


_FIGURES = re.compile(r"\d+(?:\.\d+)?")


def _fullest(agreed: list[_Occurrence]) -> _Occurrence:
    """The last agreed statement, unless it only repeats an earlier agreed one with a detail left out
    ("10% per 0.1, capped at 40" after "10% per 0.1 below 99.95%, capped at 40%"): then the fuller one."""
    last = agreed[-1]
    figures = set(_FIGURES.findall(last.fact.value))
    if len(figures) < 2:
        return last
    for earlier in reversed(agreed[:-1]):
        more = set(_FIGURES.findall(earlier.fact.value))
        if figures < more:
            return earlier
    return last


def _count_repeats_as_assent(live: list[_Occurrence]) -> None:
    """Another speaker saying the same value soon after ("One hour for P1.") accepts it."""
    for position, occurrence in enumerate(live):
        for later in live[position + 1:]:
            repeated = later.fact.stated == occurrence.fact.stated and later.statement.speaker != occurrence.statement.speaker
            near = later.statement.utterance.index - occurrence.statement.utterance.index <= _REPEAT_WINDOW
            if repeated and near and not later.statement.signals.question:
                occurrence.assents.append(
                    Reply(utterance=later.statement.utterance, verdict="assent", quote=later.statement.sentence.text)
                )
                break


def _confidence(anchor: _Occurrence, support: tuple[_Occurrence, ...], reopened: bool) -> float:
    explicit = any(o.settles for o in support)
    speakers = {o.statement.speaker for o in support} | {r.utterance.speaker for o in support for r in o.assents}
    other_assent = len(speakers) >= 2
    if explicit or other_assent:
        confidence = 0.55 + (0.2 if explicit else 0.0) + (0.2 if other_assent else 0.0)
        confidence += 0.02 * min(3, len(support) - 1)
    else:
        signals = anchor.statement.signals
        confidence = 0.45 - (0.1 if signals.hedge else 0.0) - (0.15 if signals.question else 0.0)
    return confidence - (0.05 if reopened else 0.0)


def _draft(reading: MeetingReading, winners: list[_Winner], excluded: frozenset[str]) -> DecisionDraft:
    anchor = winners[0].anchor.statement
    facts = [w.anchor.fact for w in winners]
    citations: list[Citation] = [anchor.citation(reading.meeting_id)]
    for winner in winners:
        for occurrence in winner.support:
            citations.append(occurrence.statement.citation(reading.meeting_id))
            citations.extend(cite(reading.meeting_id, r.utterance, r.quote) for r in occurrence.assents)
    draft = DecisionDraft(
        kind="decision",
        text=anchor.sentence.text,
        topic=_topic(facts, anchor.contract),
        confidence=min(w.confidence for w in winners),
        citations=[citations[0]],
        order=anchor.order,
        terms={f.key: f.value for f in facts if f.key in TERM_KEYS},
    )
    for citation in citations[1:]:
        if len(draft.citations) >= _MAX_CITATIONS:
            break
        draft.add_citation(citation)
    responsibilities = [f for f in facts if f.key == "responsibility"]
    if len(responsibilities) == 1:
        draft.owner = responsibilities[0].owner
    draft.due_date = next((f.due for f in facts if f.key in ("deliverable", "milestone") and f.due), None)
    draft.amounts = [f.amount for f in facts if f.amount is not None]
    named = [p for f in facts for p in f.parties] + reading.roster.mentioned_in(anchor.sentence.text)
    draft.parties = [p for p in named if p not in excluded]
    return draft


def _topic(facts: list[Fact], contract: ContractType | None) -> str:
    topics = [_fact_topic(f, contract) for f in facts]
    counts = Counter(topics)
    return max(topics, key=lambda t: (counts[t], -topics.index(t)))


def _fact_topic(fact: Fact, contract: ContractType | None) -> str:
    if fact.key == "contract_type":
        return fact.value.lower()
    if fact.key in SCOPED_KEYS and fact.scope is not None:
        return fact.scope.lower()
    if fact.key in ("purpose", "confidentiality_period") and contract == "MOU":
        return "mou"
    return _KEY_TOPICS.get(fact.key, "general")
