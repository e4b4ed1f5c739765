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
    "work on", "push", "spec", "benchmark", "put up", "cut", "tag", "discuss", "comment", "chime in",
    "give feedback", "weigh in", "find",
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
    rf"\b(?:can|could|would|will)\s+you\s+(?:guys\s+|all\s+)?{_SOFTENERS}(?P<verb>{_VERB})"
    rf"|\bplease\s+(?:do\s+|someone\s+|everyone\s+)?{_SOFTENERS}(?P<verb2>{_VERB})"
    rf"|\bcan\s+we\s+(?:get|have)\s+(?:\S+\s+){{0,4}}?(?:merged|reviewed|released|done|fixed|updated)\b"
    rf"|\bit\s+would\s+be\s+(?:great|good|nice|helpful)\s+if\s+(?:\S+\s+){{0,3}}?(?:could|can|would)\s+{_SOFTENERS}(?:{_VERB})"
    # "I would love for clients to take a look" asks others; "I would love to talk to her" is the speaker's wish.
    rf"|\bI\s+would\s+love[,\s]+(?:(?:if|for)\s+(?:\S+[,\s]+){{0,3}}?|(?:\S+[,\s]+){{1,3}}?)(?:could\s+|to\s+){_SOFTENERS}(?:{_VERB})"
    rf"|\b(?:clients?|client\s+teams?|teams|everyone|everybody|folks|people|devs)\s+(?:should|can|could|need\s+to|to)\s+{_SOFTENERS}(?:review|take\s+a\s+look|look\s+at|have\s+a\s+look|give\s+feedback|comment|weigh\s+in)\b",
    re.IGNORECASE,
)
# Things said to run the meeting itself, not work to take away.
_CHATTER = re.compile(
    r"\bshare\s+(?:my|the|your)?\s*screen\b|\bstop\s+sharing\b|\bget\s+(?:started|going|into it|to it)\b|"
    r"\bmake\s+it\s+(?:quick|short)\b|\btry\s+(?:again|to\s+(?:be|keep|make\s+the\s+next))\b|\bdo\s+it\s+(?:now|live)\b|"
    r"\bstart\s+(?:the\s+)?(?:call|meeting|stream|streaming|recording|over)\b|\bmake\s+sense\b|"
    r"\b(?:share|post|paste|drop|put)\b[^.]*?\b(?:in|into|on|to)\s+(?:the\s+)?(?:zoom\s+)?chat\b|"
    r"\b(?:share|post|paste|drop)\s+(?:it|this|that|the\s+link|a\s+link|them)\s+(?:here|now|right\s+now|in\s+(?:there|here))\b|"
    r"\bopen\s+(?:the\s+)?(?:chat|floor)\b|\bask\s+(?:a|the|an|you|one|some|my)\s+(?:\w+\s+)?questions?\b|\bask\s+you\b|"
    r"\badd\s+(?:one|a)\s+(?:more\s+)?(?:thing|point|comment)\b|\btalk\s+to\s+you\s+(?:after|later|soon)\b|"
    r"\b(?:right|just)\s+now\b|\bhand\s+(?:it\s+)?over\b|\bpost\s+the\s+recording\b|\bmake\s+a\s+comment\b|"
    r"\badd\s+you\b|\bcontact\s+me\b|\breach\s+out\s+to\s+me\b|"
    # Keeping the call's own paperwork and props: the agenda, the recording, something shown "over here".
    r"\b(?:update|fix|edit)\s+the\s+agenda\b|\b(?:upload|share|post)\s+the\s+recording\b|\bover\s+here\b|\bfor\s+reference\b",
    re.IGNORECASE,
)
# Softened commitments: "I'll try to", "maybe", "I'll be able to share some examples", and offers made
# only for whoever wants them ("if you have any comments, please take a look").
_HEDGE = re.compile(
    r"\b(?:try to|maybe|probably|might|hopefully|perhaps)\b|\bI(?:'ll|’ll| will) be able to\b|"
    r"^(?:\W*\w+\W+){0,2}?if\s+(?:you|anyone|anybody|someone|somebody|people|they)\s+(?:have|has|want|wants|need|needs)\b",
    re.IGNORECASE,
)
# "I'll do that", "I'll take a look": the task itself was said just before.
_VAGUE_OBJECT = re.compile(
    rf"(?P<verb>{_VERB})\s*(?:(?:it\s+out|it|that|this|there|them|him|her|a\s+look|out|into\s+it|around)\b\s*)?"
    r"(?:[.,!?…]|\band\b|\bafter\b|\bafterwards\b|\blater\b|\bsoon\b|\btoday\b|$)",
    re.IGNORECASE,
)
_VOCATIVE = re.compile(r"^(?:(?:great|okay|ok|so|and|yeah|right|good|perfect)[,.!]?\s+)*(?P<name>[^\W\d_][\w'’.-]*(?:\s+[A-Z][\w'’-]*)?),\s")


@dataclass(frozen=True)
class ActionCue:
    """An action item read from one sentence: who the sentence makes responsible, if anyone."""

    owner: str | None
    requested: bool
    """True for a request ("can you ...") whose owner is whoever accepts it."""
    hedged: bool
    vague: bool = False
    """True when the task is only pointed at ("I'll do that"); the utterance before says what it is."""


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
    hedged = bool(_HEDGE.search(sentence))
    request = _REQUEST.search(sentence)
    if request:
        vocative = _VOCATIVE.search(sentence)
        owner = people.resolve(vocative.group("name")) if vocative else None
        return ActionCue(owner=owner, requested=True, hedged=hedged, vague=_is_vague(sentence, request.end()))
    named = people.named_doers(sentence)
    if named:
        return ActionCue(owner=named[0][0], requested=False, hedged=hedged, vague=_is_vague(sentence, named[0][1].start("verb")))
    first_person = _FIRST_PERSON.search(sentence) or _LET_ME.search(sentence)
    if first_person:
        return ActionCue(owner=speaker, requested=False, hedged=hedged, vague=_is_vague(sentence, first_person.start("verb")))
    return None


def _is_vague(sentence: str, verb_at: int) -> bool:
    return _VAGUE_OBJECT.match(sentence, verb_at) is not None


def _fold(text: str) -> str:
    """Lower case without accents, so 'Lukasz' in an ASCII transcript matches 'Łukasz'."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ł", "l").replace("ø", "o").replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
