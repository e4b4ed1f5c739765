"""One pass over a transcript: every sentence with its signals, contract facts, action cue and decision cue.

The later steps (contract terms, action items, general decisions) only look at this reading, so
the regular expressions run once per sentence however many steps use the result.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Literal

from bridge_pipeline.extraction.action_cues import ActionCue, PeopleDirectory, read_action
from bridge_pipeline.extraction.agenda import AGENDA_SPAN, names_agenda_item
from bridge_pipeline.extraction.amounts import find_amounts
from bridge_pipeline.extraction.corrections import as_corrected
from bridge_pipeline.extraction.dates import resolve_date_phrases
from bridge_pipeline.extraction.echoes import ProposedFigures
from bridge_pipeline.extraction.decision_cues import DecisionCue, read_decision_cue
from bridge_pipeline.extraction.parties import PartyRoster
from bridge_pipeline.extraction.sentences import Sentence, split_sentences
from bridge_pipeline.extraction.signals import Signals, read_signals
from bridge_pipeline.extraction.spoken_numbers import spelled_numbers_as_digits, spoken_phrase
from bridge_pipeline.extraction.speaker_roles import side_voices
from bridge_pipeline.extraction.terms import Fact, TermContext, TopicWindow, contracts_mentioned, find_facts
from bridge_pipeline.extraction.terms.commercial import milestone_named_without_date, milestone_number, scope_confirmed_from
from bridge_pipeline.extraction.terms.contract_names import existing_contracts
from bridge_pipeline.errors import BadInputError
from bridge_pipeline.models import Citation, ContractType, DateMention, MeetingInfo, Transcript, Utterance

# A meeting's opening words ("welcome", "let's get started"); what comes before is waiting-room talk.
_OPENING = re.compile(
    r"\b(?:welcome|let'?s\s+(?:get\s+)?start(?:ed)?|let'?s\s+kick\s+(?:it|things)\s+off|let'?s\s+begin|"
    r"let'?s\s+get\s+(?:going|into\s+it|right\s+into\s+it))\b",
    re.IGNORECASE,
)
_OPENING_SEARCH_SHARE = 0.15

# How many earlier utterances give the topic for a short answer ("Eighteen months is reasonable"),
# enough to bridge a short aside ("Let me check with finance") between an offer and its acceptance.
_TOPIC_MEMORY = 5

Verdict = Literal["assent", "reject", "none"]
_BARE_NO = re.compile(r"^\W*(?:no|nope|nothing)\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    """One sentence of one utterance, and what the rules read in it."""

    utterance: Utterance
    sentence: Sentence
    number: int
    signals: Signals
    contract: ContractType | None
    facts: tuple[Fact, ...]
    action: ActionCue | None
    cue: DecisionCue | None
    dates: tuple[DateMention, ...]

    @property
    def order(self) -> tuple[int, int]:
        return (self.utterance.index, self.number)

    @property
    def speaker(self) -> str:
        return self.utterance.speaker

    def citation(self, meeting_id: str) -> Citation:
        return cite(meeting_id, self.utterance, self.sentence.text)


@dataclass(frozen=True)
class Reply:
    """The first utterance after a speaker's turn, read as an answer to that turn."""

    utterance: Utterance
    verdict: Verdict
    quote: str


def cite(meeting_id: str, utterance: Utterance, quote: str) -> Citation:
    return Citation(
        meeting_id=meeting_id,
        utterance_index=utterance.index,
        start_s=utterance.start_s,
        end_s=utterance.end_s,
        speaker=utterance.speaker,
        quote=quote,
    )


def people_and_parties(meeting: MeetingInfo, transcript: Transcript) -> tuple[PeopleDirectory, PartyRoster]:
    """Who may own an action (speakers, participants, organizer) and the organisations known from the title.

    People's names are given to the roster so a surname is not read as a company ("Kowalczyk").
    """
    speakers = tuple(dict.fromkeys(u.speaker for u in transcript.utterances))
    organizer = (meeting.organizer,) if meeting.organizer else ()
    people = PeopleDirectory(speakers + tuple(meeting.participants) + organizer)
    roster = PartyRoster(people=speakers + tuple(meeting.participants))
    roster.learn(meeting.title)
    return people, roster


class MeetingReading:
    """Statements of one meeting in order, with turn boundaries and replies.

    Utterances must be indexed 0..n-1 in order, as the transcript parser produces them.
    """

    def __init__(self, meeting: MeetingInfo, transcript: Transcript, reference_date: dt.date) -> None:
        self.meeting_id = meeting.meeting_id
        self.utterances = transcript.utterances
        self.reference_date = reference_date
        self.people, self.roster = people_and_parties(meeting, transcript)
        self._title = meeting.title
        self.currency = _meeting_currency(self.utterances)
        self.statements: list[Statement] = []
        self._by_utterance: dict[int, list[Statement]] = {}
        self._turn_end: dict[int, int] = {}
        self._positions: dict[tuple[int, int], int] = {}
        self.chair = _chair(self.utterances, self.people.resolve(meeting.organizer) if meeting.organizer else None)
        self.side_voices = side_voices(self.utterances, self.chair)
        self.opening_index = _opening_index(self.utterances)
        self._read()

    def statements_of(self, utterance_index: int) -> list[Statement]:
        return self._by_utterance.get(utterance_index, [])

    def turn_end(self, utterance_index: int) -> int:
        """Position of the last utterance of the uninterrupted turn containing this one."""
        return self._turn_end[utterance_index]

    def statement_before(self, statement: Statement) -> Statement | None:
        """The sentence said just before this one: what "let's do that" or "I'll take a look" points at."""
        position = self._positions[statement.order]
        return self.statements[position - 1] if position > 0 else None

    def reply_after(self, utterance_index: int) -> Reply | None:
        """The answer to the turn containing this utterance: the next speaker's first utterance."""
        position = self.turn_end(utterance_index) + 1
        if position >= len(self.utterances):
            return None
        return self._reply_of(position)

    def _reply_of(self, position: int) -> Reply:
        utterance = self.utterances[position]
        statements = self.statements_of(utterance.index)
        # "Did I miss anything?" / "No. That's all correct.": a bare no that the same turn goes on to confirm.
        bare_no = bool(statements) and _BARE_NO.match(statements[0].sentence.text) is not None
        if bare_no and any(s.signals.settles for s in statements[1:]):
            statements = statements[1:]
        if statements and statements[0].signals.rejection:
            return Reply(utterance=utterance, verdict="reject", quote=statements[0].sentence.text)
        for statement in statements:
            if statement.signals.assents:
                return Reply(utterance=utterance, verdict="assent", quote=statement.sentence.text)
            if statement.signals.rejection:
                return Reply(utterance=utterance, verdict="reject", quote=statement.sentence.text)
        return Reply(utterance=utterance, verdict="none", quote=utterance.text)

    def _read(self) -> None:
        # Until the conversation names an agreement, the first one the meeting names (title first) applies.
        named = [*contracts_mentioned(self._title), *(kind for u in self.utterances for kind in contracts_mentioned(u.text))]
        contract: ContractType | None = named[0] if named else None
        milestones = _MilestoneNames()
        currency = self.currency
        proposed = ProposedFigures()
        agenda_item: tuple[int, str] | None = None
        for position, utterance in enumerate(self.utterances):
            if utterance.index != position:
                raise BadInputError(
                    location=self.meeting_id,
                    problem=f"utterance at position {position} has index {utterance.index}; transcripts are indexed 0..n-1",
                )
            self.roster.learn(utterance.text)
            earlier = " ".join(u.text for u in self.utterances[max(0, position - _TOPIC_MEMORY): position])
            if agenda_item is not None and position - agenda_item[0] <= AGENDA_SPAN:
                earlier = f"{agenda_item[1]} {earlier}"
            recent = TopicWindow(earlier)
            sentences = split_sentences(utterance.text)
            statements: list[Statement] = []
            headings: list[str] = []
            for number, sentence in enumerate(sentences):
                # An NDA already in place does not change which agreement is under discussion.
                mentioned = contracts_mentioned(sentence.text)
                if mentioned:
                    in_place = existing_contracts(sentence.text)
                    mentioned = tuple(k for k in mentioned if k not in in_place)
                context = TermContext(
                    contract=mentioned[0] if mentioned else contract,
                    recent=recent,
                    said_before=" ".join(s.text for s in sentences[:number]),
                    utterance=utterance.text,
                    reference_date=self.reference_date,
                    roster=self.roster,
                    currency=currency,
                    milestones=milestones.in_order(),
                    milestone_numbers=milestones.numbers(),
                )
                # Numbers said in words, in digits, with slips corrected: what the term rules and echoes read.
                meant = as_corrected(spelled_numbers_as_digits(sentence.text))
                statement = self._read_sentence(utterance, sentence, number, context, meant)
                if names_agenda_item(sentence.text):
                    headings.append(sentence.text)
                before = statements[-1] if statements else (self.statements[-1] if self.statements else None)
                if before is not None and not statement.facts:
                    statement = self._scope_confirmation(statement, before, statements, context)
                if not statement.facts and statement.signals.settles:
                    repeated = proposed.repeated_in(meant, position)
                    statement = replace(statement, facts=repeated) if repeated else statement
                # A standard offer ("our standard is 99.9% uptime") is no offer yet, but a figure repeated to
                # accept it ("then 99.9 it is") is that term.
                habitual = statement.signals.habitual and not statement.facts
                proposed.remember(_facts_in(meant, sentence.text, context) if habitual else statement.facts, position)
                statements.append(statement)
                # A figure said without its currency is in the currency of the last price named, not the
                # first one the meeting heard (a rate card in rand, then the deal in dollars).
                currency = next((f.amount.currency for f in reversed(statement.facts) if f.amount is not None), currency)
                milestones.note(statement)
                if mentioned:
                    contract = mentioned[-1]
            # One heading opens that item; several in one breath ("Credits. Liability. Law.") only list the agenda.
            if len(headings) == 1:
                agenda_item = (position, headings[0])
            self._by_utterance[utterance.index] = statements
            self.statements.extend(statements)
        self._positions = {statement.order: position for position, statement in enumerate(self.statements)}
        self._mark_turns()

    def _read_sentence(
        self, utterance: Utterance, sentence: Sentence, number: int, context: TermContext, meant: str
    ) -> Statement:
        """One sentence read three ways, most specific first: contract facts, then an action item, then a decision."""
        signals = read_signals(sentence.text)
        facts: tuple[Fact, ...] = ()
        # A refusal states nothing agreed; "we usually do one year" describes a habit, not an offer.
        if not signals.rejection and not signals.habitual and not signals.defers:
            facts = _facts_in(meant, sentence.text, context)
        action = None if facts else read_action(sentence.text, utterance.speaker, self.people)
        cue = None if facts or action else read_decision_cue(sentence.text)
        dates = tuple(resolve_date_phrases(sentence.text, self.reference_date)) if (facts or action or cue) else ()
        return Statement(
            utterance=utterance, sentence=sentence, number=number, signals=signals, contract=context.contract,
            facts=facts, action=action, cue=cue, dates=dates,
        )

    @staticmethod
    def _scope_confirmation(statement: Statement, before: Statement, turn: list[Statement], context: TermContext) -> Statement:
        """A list of work stated where it was accepted: the other side's list confirmed ("That's the scope."),
        or an answer that opens with assent and closes its own list ("Yes. <list>. That's it.")."""
        other_side = before.speaker != statement.speaker
        own_answer = not other_side and len(turn) >= 2 and turn[0].signals.assents and turn[-1] is before
        confirmed = scope_confirmed_from(statement.sentence.text, before.sentence.text, context if own_answer else None)
        if confirmed is None or not (other_side or own_answer):
            return statement
        return replace(statement, facts=(confirmed,), signals=replace(statement.signals, agreement=True))

    def _mark_turns(self) -> None:
        end = len(self.utterances) - 1
        for position in range(len(self.utterances) - 1, -1, -1):
            if position < len(self.utterances) - 1 and self.utterances[position + 1].speaker != self.utterances[position].speaker:
                end = position
            self._turn_end[self.utterances[position].index] = end


def _facts_in(meant: str, said: str, context: TermContext) -> tuple[Fact, ...]:
    """The contract facts of a sentence, read from its digit form (`meant`), amounts kept as `said`."""
    return tuple(_as_spoken(f, said) for f in find_facts(meant, context))


class _MilestoneNames:
    """The milestones a meeting has named so far, and the number each was introduced with, if any."""

    def __init__(self) -> None:
        self._named: list[str] = []
        self._numbered: dict[int, str] = {}

    def note(self, statement: Statement) -> None:
        text = statement.sentence.text
        named = [f.value for f in statement.facts if f.key == "milestone" and f.due]
        if not named and statement.contract in ("SOW", None):
            named = [n for n in [milestone_named_without_date(text)] if n]
        self._named.extend(n for n in named if n not in self._named)
        number = milestone_number(text) if len(named) == 1 else None
        if number is not None and number not in self._numbered and named[0] not in self._numbered.values():
            self._numbered[number] = named[0]

    def in_order(self) -> tuple[str, ...]:
        """Numbered milestones by their numbers, then the others in the order they were named."""
        by_number = [self._numbered[n] for n in sorted(self._numbered)]
        return tuple(by_number + [name for name in self._named if name not in by_number])

    def numbers(self) -> tuple[tuple[int, str], ...]:
        return tuple(sorted(self._numbered.items()))


def _as_spoken(fact: Fact, sentence: str) -> Fact:
    """Facts are read from the sentence with numbers in digits; an amount keeps the words as they were said."""
    if fact.amount is None or fact.amount.text in sentence:
        return fact
    said = fact.amount.model_copy(update={"text": spoken_phrase(sentence, fact.amount.text)})
    return replace(fact, amount=said)


def _chair(utterances: tuple[Utterance, ...], organizer: str | None) -> str | None:
    """Who runs the meeting: the organizer when they speak, otherwise whoever speaks most (first on a tie)."""
    speakers = Counter(u.speaker for u in utterances)
    if organizer is not None and organizer in speakers:
        return organizer
    if not speakers:
        return None
    return max(speakers, key=lambda name: (speakers[name], -next(u.index for u in utterances if u.speaker == name)))


def _opening_index(utterances: tuple[Utterance, ...]) -> int:
    """Index of the utterance that opens the meeting proper, 0 when no opening words are found early on."""
    limit = max(1, int(len(utterances) * _OPENING_SEARCH_SHARE))
    for utterance in utterances[:limit]:
        if _OPENING.search(utterance.text):
            return utterance.index
    return 0


def _meeting_currency(utterances: tuple[Utterance, ...]) -> str | None:
    """The first currency named in the meeting, used for amounts said without one ("48k")."""
    for utterance in utterances:
        # "four hundred thousand Australian dollars" names the currency as surely as "AUD 400,000".
        amounts = find_amounts(spelled_numbers_as_digits(utterance.text))
        if amounts:
            return amounts[0].currency
    return None
