"""Checks every model answer against the transcript before it becomes a Decision.

The rules, in order, for each extracted item:
- citations must name utterances of the meeting; utterances that speak to the extractor ("ignore
  previous instructions") are never evidence. An item left with no citation is dropped.
- amounts and agreed contract terms must be stated in the cited utterances (same value, however it
  was written); one that is not drops the whole item, because a draft would carry it.
- a term enters the decision only when both sides agreed it: status "agreed" and accepted by a speaker
  other than the one who proposed it (in `accepted_in`, or among the cited utterances). A term the
  meeting left "open" becomes OPEN_VALUE. Proposed, rejected and unaccepted terms are left out and
  reported as "not_agreed"; a decision left with none of its terms is dropped.
- a due date must resolve from a date phrase in the cited utterances; parties must be named there;
  an owner must be a participant or named there. What fails is removed and the item kept with low
  confidence.
- numbers in the item's own wording that the cited utterances never state lower its confidence.
Every removal is reported as a GroundingIssue naming the meeting, the item and the reason.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from bridge_pipeline.extraction.amounts import find_amounts
from bridge_pipeline.extraction.dates import resolve_date_phrases
from bridge_pipeline.extraction.decision_draft import DecisionDraft
from bridge_pipeline.extraction.evaluation import key_terms
from bridge_pipeline.extraction.llm.injection import addresses_the_extractor
from bridge_pipeline.extraction.llm.schema import ExtractedItem, SpokenAmount, TermValue
from bridge_pipeline.extraction.llm.spoken_values import number_mentions, numbers_in
from bridge_pipeline.extraction.reading import cite, people_and_parties
from bridge_pipeline.extraction.terms.contract_names import contracts_mentioned
from bridge_pipeline.extraction.vocabulary import OPEN_VALUE
from bridge_pipeline.models import Amount, DateMention, MeetingInfo, Transcript

LOW_CONFIDENCE = 0.35
"""Ceiling for an item that lost a value in grounding: the drafter and counsel see it as doubtful."""

_MONEY_TERMS = frozenset({"fee_total", "fee_recurring"})
_DATE_TERMS = frozenset({"effective_date", "end_date"})
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONEY_VALUE = re.compile(r"^\s*(?P<currency>[A-Za-z]{3})\s+(?P<value>[\d.,]+)(?P<rest>.*)$")
_PERIOD_WORDS = {"day": r"\bday|daily", "week": r"\bweek", "month": r"\bmonth", "quarter": r"\bquarter",
                 "year": r"\byear|annual|\bannum"}
_DIRECTION_EVIDENCE = {
    "mutual": re.compile(r"\bmutual|\bboth\s+(?:sides|ways|directions|parties)|\btwo[- ]way|\bbilateral|\breciprocal", re.I),
    "one_way": re.compile(r"\bone[- ]way|\bunilateral|\bone[- ]sided|\bonly\s+(?:we|they|you)\s+(?:share|disclose)", re.I),
}

Outcome = Literal["dropped", "lowered", "not_agreed"]
"""dropped: the item is gone; lowered: kept with low confidence; not_agreed: one of its terms was left out."""

_NOT_AGREED = ("proposed", "rejected")


@dataclass(frozen=True)
class GroundingIssue:
    meeting_id: str
    item: str
    problem: str
    outcome: Outcome

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.outcome} '{self.item}': {self.problem}"


@dataclass(frozen=True)
class GroundingResult:
    drafts: list[DecisionDraft]
    issues: list[GroundingIssue]


class _Rejected(Exception):
    """The item cannot be kept; the message says why."""


class TranscriptEvidence:
    """What grounding needs to know about one meeting, computed once for all its items."""

    def __init__(self, meeting: MeetingInfo, transcript: Transcript, reference_date: dt.date) -> None:
        self.meeting_id = meeting.meeting_id
        self.utterances = transcript.utterances
        self.reference_date = reference_date
        self.people, self.roster = people_and_parties(meeting, transcript)
        for utterance in self.utterances:
            self.roster.learn(utterance.text)
        self.currency = next((found[0].currency for u in self.utterances if (found := find_amounts(u.text))), None)
        self.instructing = frozenset(u.index for u in self.utterances if addresses_the_extractor(u.text))


def ground_items(items: list[ExtractedItem], evidence: TranscriptEvidence) -> GroundingResult:
    drafts: list[DecisionDraft] = []
    issues: list[GroundingIssue] = []
    for position, item in enumerate(items):
        label = _short(item.text)
        notes: list[str] = []
        unagreed: list[str] = []
        try:
            drafts.append(_ground(item, position, evidence, notes, unagreed))
        except _Rejected as rejection:
            issues.append(GroundingIssue(evidence.meeting_id, label, str(rejection), "dropped"))
        else:
            issues.extend(GroundingIssue(evidence.meeting_id, label, note, "lowered") for note in notes)
        # Counted whatever became of the item, so a run shows how many values the meeting did not agree.
        issues.extend(GroundingIssue(evidence.meeting_id, label, note, "not_agreed") for note in unagreed)
    return GroundingResult(drafts=drafts, issues=issues)


def _ground(
    item: ExtractedItem, position: int, evidence: TranscriptEvidence, notes: list[str], unagreed: list[str]
) -> DecisionDraft:
    cited = _citations(item, evidence, notes)
    cited_text = " ".join(evidence.utterances[i].text for i in cited)
    amounts = [_grounded_amount(amount, cited_text, evidence) for amount in item.amounts]
    terms, acceptances = _agreed_terms(item, cited, cited_text, evidence, unagreed)
    amounts = _without_unagreed_money(amounts, item, terms)
    due_date = _grounded_due_date(item, cited_text, evidence, notes)
    parties = _grounded_parties(item.parties, cited_text, evidence, notes)
    owner = _grounded_owner(item.owner, cited_text, evidence, notes)
    _check_numbers_in_wording(item.text, cited_text, evidence, notes)
    confidence = min(1.0, max(0.0, item.confidence))
    if notes:
        confidence = min(confidence, LOW_CONFIDENCE)
    return DecisionDraft(
        kind=item.kind,
        text=" ".join(item.text.split()),
        topic=item.topic,
        confidence=confidence,
        # The acceptance is part of the evidence for an agreed value, so the reader sees it cited.
        citations=[
            cite(evidence.meeting_id, evidence.utterances[i], evidence.utterances[i].text)
            for i in sorted({*cited, *acceptances})
        ],
        order=(min(cited), position),
        owner=owner,
        due_date=due_date,
        amounts=amounts,
        parties=parties,
        terms=terms,
    )


def _citations(item: ExtractedItem, evidence: TranscriptEvidence, notes: list[str]) -> list[int]:
    count = len(evidence.utterances)
    named = list(dict.fromkeys(item.utterances))
    missing = [i for i in named if not 0 <= i < count]
    existing = [i for i in named if 0 <= i < count]
    instructing = [i for i in existing if i in evidence.instructing]
    kept = [i for i in existing if i not in evidence.instructing]
    if not kept:
        if instructing:
            raise _Rejected(
                f"rests only on utterance(s) {_listed(instructing)}, which give orders to the extractor, not the meeting"
            )
        if missing:
            raise _Rejected(f"cites utterance(s) {_listed(missing)}, which the meeting does not have ({count} utterances)")
        raise _Rejected("cites no utterance")
    if missing:
        notes.append(f"cited utterance(s) {_listed(missing)} do not exist and were removed")
    if instructing:
        notes.append(f"cited utterance(s) {_listed(instructing)} give orders to the extractor and were removed")
    return kept


def _grounded_amount(amount: SpokenAmount, cited_text: str, evidence: TranscriptEvidence) -> Amount:
    value = _decimal(amount.value)
    currency = amount.currency.strip().upper()
    for found in find_amounts(cited_text, evidence.currency):
        if value is not None and found.value == value and found.currency == currency:
            return found  # carries the words as spoken, not the model's copy of them
    raise _Rejected(f"amount {currency} {amount.value} is not stated in the cited utterances")


def _agreed_terms(
    item: ExtractedItem, cited: list[int], cited_text: str, evidence: TranscriptEvidence, unagreed: list[str]
) -> tuple[dict[str, str], set[int]]:
    """The item's agreed and open terms (per key the one with the latest evidence), and the utterances
    that accepted them. What the meeting did not agree is noted in `unagreed`."""
    for term in item.terms:
        if term.status in _NOT_AGREED:
            unagreed.append(f"term {term.key} = '{' '.join(term.value.split())}' was {term.status}, not agreed")
    # Every agreed value is checked before any acceptance: one the citations lack drops the item, in any order.
    values = {n: _grounded_term(term, cited_text, evidence) for n, term in enumerate(item.terms) if term.status == "agreed"}
    latest: dict[str, tuple[int, str]] = {}
    acceptances: set[int] = set()
    for n, term in enumerate(item.terms):
        if term.status == "open":
            found = (max(cited), OPEN_VALUE)
        elif term.status == "agreed":
            value = values[n]
            stating = [i for i in cited if _term_stated(term.key, value, evidence.utterances[i].text, evidence)]
            proposer = evidence.utterances[min(stating or cited)].speaker
            accepting = _acceptances(term, value, cited, proposer, evidence)
            if not accepting:
                unagreed.append(f"term {term.key} = '{value}' has no acceptance by anyone but {proposer}, who proposed it")
                continue
            acceptances.update(accepting)
            found = (max(stating + accepting), value)
        else:
            continue
        # The last agreed value wins, and an open point left after a proposal stays open.
        if term.key not in latest or found[0] >= latest[term.key][0]:
            latest[term.key] = found
    if item.kind == "decision" and item.terms and not latest:
        raise _Rejected("states only terms the meeting did not agree")
    return {key: value for key, (_, value) in latest.items()}, acceptances


def _acceptances(term: TermValue, value: str, cited: list[int], proposer: str, evidence: TranscriptEvidence) -> list[int]:
    """Utterances by someone other than the proposer that accept the value: those named in accepted_in,
    else the other speakers' cited utterances. An order to the extractor never accepts anything, and
    neither does a turn said before anyone else stated the value: an "agreed" given to an earlier offer
    cannot accept a value put forward later (an injected "the fee is 10 million" after "Agreed, 48,000")."""
    count = len(evidence.utterances)
    named = [i for i in dict.fromkeys(term.accepted_in) if 0 <= i < count and i not in evidence.instructing]
    by_others = [i for i in named if _fold(evidence.utterances[i].speaker) != _fold(proposer)]
    cited_others = [i for i in cited if _fold(evidence.utterances[i].speaker) != _fold(proposer)]
    return _answering(term.key, value, by_others, evidence) or _answering(term.key, value, cited_others, evidence)


def _answering(key: str, value: str, candidates: list[int], evidence: TranscriptEvidence) -> list[int]:
    """The candidates that come after a statement of the value by another speaker (not an order to the extractor)."""
    if not candidates:
        return []
    stated_by: list[tuple[int, str]] = [
        (i, _fold(u.speaker))
        for i, u in enumerate(evidence.utterances[: max(candidates)])
        if i not in evidence.instructing and _term_stated(key, value, u.text, evidence)
    ]
    return [j for j in candidates if any(i < j and speaker != _fold(evidence.utterances[j].speaker) for i, speaker in stated_by)]


def _without_unagreed_money(amounts: list[Amount], item: ExtractedItem, terms: dict[str, str]) -> list[Amount]:
    """Drops amounts that only a fee the meeting did not agree states: a draft could read them as a payment."""
    kept = {_money(value) for key, value in terms.items() if key in _MONEY_TERMS}
    unagreed = {_money(term.value) for term in item.terms if term.key in _MONEY_TERMS} - kept
    return [amount for amount in amounts if (amount.currency, amount.value) not in unagreed]


def _money(value: str) -> tuple[str, Decimal] | None:
    match = _MONEY_VALUE.match(value)
    number = _decimal(match.group("value")) if match else None
    return None if number is None else (match.group("currency").upper(), number)


def _grounded_term(term: TermValue, cited_text: str, evidence: TranscriptEvidence) -> str:
    value = " ".join(term.value.split())
    if not value:
        raise _Rejected(f"term {term.key} is empty")
    if term.key == "contract_type":
        value = value.upper()
    if not _term_stated(term.key, value, cited_text, evidence):
        raise _Rejected(f"term {term.key} = '{value}' is not stated in the cited utterances")
    return value


def _term_stated(key: str, value: str, text: str, evidence: TranscriptEvidence) -> bool:
    if key in _MONEY_TERMS:
        return _money_term_supported(value, text, evidence)
    if key in _DATE_TERMS:
        return _date_derivable(value, text, evidence.reference_date)
    if key == "contract_type":
        return value.upper() in contracts_mentioned(text)
    if key == "nda_direction":
        pattern = _DIRECTION_EVIDENCE.get(value.lower())
        return pattern is not None and pattern.search(text) is not None
    return _numbers_supported(value, text) and _words_supported(value, text)


def _money_term_supported(value: str, cited_text: str, evidence: TranscriptEvidence) -> bool:
    match = _MONEY_VALUE.match(value)
    if match is None:
        return False
    number = _decimal(match.group("value"))
    currency = match.group("currency").upper()
    if not any(number is not None and a.value == number and a.currency == currency
               for a in find_amounts(cited_text, evidence.currency)):
        return False
    # "EUR 4000.00 per month": the period must be said too.
    rest = match.group("rest").lower()
    return all(re.search(pattern, cited_text, re.I) for period, pattern in _PERIOD_WORDS.items() if period in rest)


def _grounded_due_date(item: ExtractedItem, cited_text: str, evidence: TranscriptEvidence, notes: list[str]) -> DateMention | None:
    if item.due_date is None:
        return None
    try:
        wanted = dt.date.fromisoformat(item.due_date.value.strip())
    except ValueError:
        notes.append(f"due date '{item.due_date.value}' is not a calendar date and was removed")
        return None
    for mention in resolve_date_phrases(cited_text, evidence.reference_date):
        if mention.value == wanted:
            return mention
    notes.append(
        f"due date {wanted.isoformat()} ('{item.due_date.text}') does not follow from the cited utterances and was removed"
    )
    return None


def _date_derivable(value: str, cited_text: str, reference_date: dt.date) -> bool:
    try:
        wanted = dt.date.fromisoformat(value)
    except ValueError:
        return False
    return any(m.value == wanted for m in resolve_date_phrases(cited_text, reference_date))


def _grounded_parties(parties: list[str], cited_text: str, evidence: TranscriptEvidence, notes: list[str]) -> list[str]:
    kept: list[str] = []
    folded_text = _fold(cited_text)
    mentioned = evidence.roster.mentioned_in(cited_text)
    for party in parties:
        name = " ".join(party.split())
        if not name:
            continue
        full = evidence.roster.resolve(name)
        if full is not None and full in mentioned:
            kept.append(full)
        elif _fold(name) in folded_text:
            kept.append(name)
        else:
            notes.append(f"party '{name}' is not named in the cited utterances and was removed")
    return list(dict.fromkeys(kept))


def _grounded_owner(owner: str | None, cited_text: str, evidence: TranscriptEvidence, notes: list[str]) -> str | None:
    if owner is None or not owner.strip():
        return None
    person = evidence.people.resolve(owner)
    if person is not None:
        return person
    if _fold(owner.strip()) in _fold(cited_text):
        return " ".join(owner.split())
    notes.append(f"owner '{owner}' is neither a participant nor named in the cited utterances and was removed")
    return None


def _check_numbers_in_wording(text: str, cited_text: str, evidence: TranscriptEvidence, notes: list[str]) -> None:
    # A date the cited words resolve to may be written out as ISO in the wording; its digits are fine.
    derivable = {m.value for m in resolve_date_phrases(cited_text, evidence.reference_date)}
    wording = _ISO_DATE.sub(lambda m: "" if _iso(m) in derivable else m.group(0), text)
    unsupported = _unsupported_numbers(wording, cited_text)
    if unsupported:
        notes.append(f"the wording states {', '.join(unsupported)}, which the cited utterances do not")


def _numbers_supported(value: str, cited_text: str) -> bool:
    return not _unsupported_numbers(value, cited_text)


def _unsupported_numbers(text: str, cited_text: str) -> list[str]:
    available = numbers_in(cited_text)
    return [
        _plain(min(readings)) for readings in number_mentions(text) if readings.isdisjoint(available)
    ]


def _words_supported(value: str, cited_text: str) -> bool:
    """At least half the content words of a free-text value occur in the cited utterances."""
    wanted = key_terms(value)
    if not wanted:
        return True
    return len(wanted & key_terms(cited_text)) * 2 >= len(wanted)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None


def _iso(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", " ".join(text.lower().split()))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _listed(indices: list[int]) -> str:
    return ", ".join(str(i) for i in indices)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
