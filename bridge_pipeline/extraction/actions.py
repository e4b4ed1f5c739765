"""Spots action items in a sentence ("I'll send...", "Łukasz will...", "can you ... by Monday?") and who owns them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Work people take away from a meeting; chatter like "I'll share my screen" is excluded below.
_WORK_VERBS = (
    "send", "share", "circulate", "draft", "prepare", "review", "check", "follow up", "set up", "schedule",
    "update", "write", "put together", "look into", "look at", "take a look", "have a look", "get back",
    "confirm", "sign", "book", "reach out", "ping", "open", "merge", "make", "create", "add", "fix", "run",
    "test", "publish", "post", "file", "deploy", "coordinate", "ask", "organize", "organise", "investigate",
    "compile", "forward", "try", "handle", "talk to", "sync", "raise", "implement", "finish", "release",
    "document", "summarize", "summarise", "collect", "submit", "upload", "provide", "arrange", "invite",
    "contact", "chase", "loop in", "bring", "present", "get", "do that", "do it", "take care of", "dig into",
    "work on", "start", "push", "spec", "benchmark", "put up", "open up", "cut", "tag",
)
_VERB = "(?:" + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(_WORK_VERBS, key=len, reverse=True)) + r")\b"
_SOFTENERS = r"(?:(?:also|then|just|quickly|definitely|probably|maybe|try\s+to|make\s+sure\s+to|go\s+ahead\s+and|be\s+able\s+to|please)\s+)*"

_FIRST_PERSON = re.compile(
    rf"\b(?:I(?:'ll|’ll| will| am going to|'m going to|’m going to| shall)|I'm\s+gonna|I\s+can\s+take\s+care)\s+{_SOFTENERS}(?P<verb>{_VERB})",
    re.IGNORECASE,
)
_LET_ME = re.compile(
    r"\blet me\s+(?P<verb>follow\s+up|take\s+a\s+look|look\s+into|get\s+back|reach\s+out|send|ping|write|open|create|file)\b",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    rf"\b(?:can|could|would|will)\s+you\s+(?:guys\s+|all\s+)?{_SOFTENERS}(?P<verb>{_VERB})|^\s*please\s+(?P<verb2>{_VERB})",
    re.IGNORECASE,
)
_CHATTER = re.compile(
    r"\bshare\s+(?:my|the|your)?\s*screen\b|\bstop\s+sharing\b|\bget\s+(?:started|going|into it|to it)\b|"
    r"\bmake\s+it\s+(?:quick|short)\b|\btry\s+(?:again|to\s+(?:be|keep))\b|\bdo\s+it\s+(?:now|live)\b|"
    r"\bstart\s+(?:the\s+)?(?:call|meeting|stream|streaming|recording)\b|\bmake\s+sense\b",
    re.IGNORECASE,
)
_VOCATIVE = re.compile(r"^(?:(?:great|okay|ok|so|and|yeah|right|good|perfect)[,.!]?\s+)*(?P<name>[^\W\d_][\w'’.-]*(?:\s+[A-Z][\w'’-]*)?),\s")


@dataclass(frozen=True)
class ActionCue:
    """An action item read from one sentence; owner_hint is who the sentence names, if anyone."""

    owner: str | None
    requested: bool
    """True for a request ("can you ...") whose owner is whoever accepts it."""
    hedged: bool


class PeopleDirectory:
    """Names of the people in a meeting, so 'Beatriz' or 'lukasz' resolve to 'Beatriz Nakamura' / 'Łukasz Wróbel'."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self._full: list[str] = []
        self._by_token: dict[str, list[str]] = {}
        self._doer = re.compile(
            rf"(?:^|[,:;]\s*|\band\s+|\bso\s+|\bthen\s+)(?P<name>[^\W\d_][\w'’-]*)\s+(?:will|is going to|'ll|’ll|to)\s+{_SOFTENERS}(?P<verb>{_VERB})",
            re.IGNORECASE,
        )
        for name in names:
            cleaned = name.strip()
            if not cleaned or cleaned.lower() == "unknown" or cleaned in self._full:
                continue
            self._full.append(cleaned)
            for token in re.findall(r"[^\W\d_][\w'’-]*", cleaned):
                self._by_token.setdefault(_fold(token), [])
                if cleaned not in self._by_token[_fold(token)]:
                    self._by_token[_fold(token)].append(cleaned)

    def resolve(self, mention: str) -> str | None:
        """The one person a spoken name refers to, or None when unknown or ambiguous."""
        folded = _fold(mention.strip())
        for full in self._full:
            if _fold(full) == folded:
                return full
        tokens = folded.split()
        if not tokens:
            return None
        matches = self._by_token.get(tokens[0], [])
        return matches[0] if len(matches) == 1 else None

    def named_doers(self, sentence: str) -> list[tuple[str, re.Match[str]]]:
        """People named as the subject of a commitment: 'Łukasz will send', 'Marta to review'."""
        found: list[tuple[str, re.Match[str]]] = []
        for match in self._doer.finditer(sentence):
            person = self.resolve(match.group("name"))
            if person is not None and match.group("name")[0].isupper():
                found.append((person, match))
        return found


def read_action(sentence: str, speaker: str, people: PeopleDirectory) -> ActionCue | None:
    """The action item this sentence states, if any."""
    if _CHATTER.search(sentence):
        return None
    hedged = bool(re.search(r"\b(?:try to|maybe|probably|might|hopefully)\b", sentence, re.IGNORECASE))
    request = _REQUEST.search(sentence)
    if request:
        vocative = _VOCATIVE.search(sentence)
        owner = people.resolve(vocative.group("name")) if vocative else None
        return ActionCue(owner=owner, requested=True, hedged=hedged)
    named = people.named_doers(sentence)
    if named:
        return ActionCue(owner=named[0][0], requested=False, hedged=hedged)
    if _FIRST_PERSON.search(sentence) or _LET_ME.search(sentence):
        return ActionCue(owner=speaker, requested=False, hedged=hedged)
    return None


def _fold(text: str) -> str:
    """Lower case without accents, so 'Lukasz' in an ASCII transcript matches 'Łukasz'."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ł", "l").replace("ø", "o").replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
