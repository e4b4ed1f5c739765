"""What every term rule shares: the Fact it returns, the context it reads, and small text helpers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

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
    def stated(self) -> tuple[str, object]:
        """What two statements must share to state the same thing: a milestone moved to a new date is a new value."""
        return (self.value, self.due.value if self.due is not None else None)

    @property
    def identity(self) -> tuple[str | None, str, str]:
        """Facts with the same identity compete: the later agreed value replaces the earlier one."""
        return (self.scope, self.key, self.qualifier)


class TopicWindow:
    """The utterances just before the current one, asked "was this subject raised?" at most once per subject."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._answers: dict[re.Pattern[str], bool] = {}

    def raised(self, pattern: re.Pattern[str]) -> bool:
        if pattern not in self._answers:
            self._answers[pattern] = pattern.search(self._text) is not None
        return self._answers[pattern]


@dataclass(frozen=True)
class TermContext:
    """What the meeting is discussing when a sentence is said."""

    contract: ContractType | None
    recent: TopicWindow = field(default_factory=lambda: TopicWindow(""))
    """The previous few utterances: topic cues for short answers ("Eighteen months is reasonable")."""
    said_before: str = ""
    """The earlier sentences of the same utterance."""
    utterance: str = ""
    """The whole utterance the sentence belongs to ("We see three deliverables. First, ...")."""
    reference_date: dt.date = dt.date(2000, 1, 1)
    roster: PartyRoster = field(default_factory=PartyRoster)
    currency: str | None = None
    """The meeting's currency, for amounts said without one ("48k")."""
    milestones: tuple[str, ...] = ()
    """Milestones named so far, by their number where one was said, else in the order first named: a later
    list of bare dates re-dates them in this order."""
    milestone_numbers: tuple[tuple[int, str], ...] = ()
    """(number, name) of milestones introduced by number ("milestone two, the pilot")."""

    def discussed(self, pattern: re.Pattern[str]) -> bool:
        """Was the subject raised just before this sentence?"""
        return self.recent.raised(pattern) or pattern.search(self.said_before) is not None


def ci(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """A compiled pattern, case-insensitive unless flags say otherwise."""
    return re.compile(pattern, flags)


_TRAILING_FILLER = ci(r",\s*(?:nothing|that'?s it|no more|and that'?s (?:all|it)|nothing else)\b.*$")


def has_any(sentence: str, hints: tuple[str, ...]) -> bool:
    """Cheap substring test that lets a rule skip its regular expressions on most sentences."""
    lowered = sentence.lower()
    return any(hint in lowered for hint in hints)


def is_short_answer(sentence: str, max_words: int) -> bool:
    """Short enough to be an answer whose subject was set by the question before it."""
    return len(sentence.split()) <= max_words


def tidy(text: str) -> str:
    """A captured phrase without trailing filler ("..., nothing broader than that") or punctuation."""
    cleaned = _TRAILING_FILLER.sub("", text.strip())
    return cleaned.strip(" ,;:-—").rstrip(".")
