"""Scores how strongly a sentence announces a decision that is not a contract term ("we agreed to ship X")."""

from __future__ import annotations

import re
from dataclasses import dataclass


def _any(*patterns: str) -> re.Pattern[str]:
    # Lower-case patterns on the lower-cased sentence: much faster than IGNORECASE.
    return re.compile("|".join(f"(?:{_lower_literals(p)})" for p in patterns))


def _lower_literals(pattern: str) -> str:
    """Lower-cases a pattern's letters but not its escapes: a lower-cased \\S would mean whitespace."""
    return re.sub(r"\\.|[A-Z]", lambda m: m.group(0) if m.group(0).startswith("\\") else m.group(0).lower(), pattern)


_STRONG = _any(
    r"\bwe(?:'ve| have)?\s+(?:all\s+)?agreed\b", r"\b(?:it'?s|that'?s|is)\s+agreed\b", r"\bagreed\s+(?:to|on|that)\b",
    r"\bagreed\s+with\s+(?:this|that|the)\s+(?:approach|plan|proposal|idea)\b", r"\bwe\s+can\s+(?:all\s+)?agree\b",
    r"\b(?:the\s+)?decision\s+(?:is|was)\s+(?:to|that)\b", r"\bdecision\s+made\b", r"\bwe(?:'ve| have)?\s+decided\b",
    r"\blet'?s\s+(?:just\s+)?go\s+(?:with|ahead\s+with)\b", r"\bwe(?:'ll| will| are going to|'re going to)\s+go\s+with\b",
    r"\brough\s+consensus\b", r"\b(?:came|come|coming)\s+to\s+(?:an?\s+|the\s+)?(?:agreement|consensus)\b",
    r"\breached\s+(?:an?\s+)?(?:agreement|consensus)\b",
    # "786 it is", "option B it is": the choice named, then settled.
    r"^(?:(?:so|okay|ok|then|alright|great)[,.]?\s+)*(?:option\s+\w+|[\w#.-]*\d[\w#.-]*)\s+it\s+is\b",
    r"\bwe\s+have\s+(?:rough\s+)?consensus\b", r"\b(?:so\s+)?the\s+plan\s+is\s+to\b", r"\bwhat\s+we(?:'ll| will)\s+do\s+is\b",
    r"\bconsider\s+it\s+(?:shipped|done|final|included|agreed|settled)\b", r"\bthe\s+default\s+(?:will\s+be|is)\b",
    r"\bwe(?:'ll| will)\s+(?:include|ship|target|postpone|defer|schedule|make\s+the\s+call|move\s+forward)\b",
    r"\blet'?s\s+(?:just\s+)?(?:include|ship|target|postpone|defer|schedule|move\s+forward\s+with|proceed\s+with|do\s+that|do\s+it|go\s+for\s+it|keep\s+it)\b",
    r"\bwe(?:'re| are)\s+(?:going\s+to|gonna)\s+(?:include|ship|target|go\s+with|skip|cancel|launch|merge)\b",
    # "I'd say we ship it" proposes; "I'd say we have fixed most cases" or "... we need more tests" only reports.
    r"\b(?:i'?d|i\s+would|i'?ll)\s+(?:then\s+)?(?:just\s+)?say\s+(?:that\s+)?we\b(?!\s+(?:have|had|need|are|were|would|don'?t)\b)",
    r"\bwe(?:'ll| will)\s+get\s+(?:\S+\s+){0,4}?(?:merged|included|released|shipped)\b",
    r"\b(?:it\s+)?(?:will|'ll)\s+be\s+included\b", r"\bis\s+(?:now\s+)?(?:scheduled|included)\s+(?:for|in)\b",
    # Inclusion stages of protocol governance calls: "marked as PFI", "we'll CFI it", "SFI'd for the fork".
    r"\b(?:mark(?:ed)?|move[ds]?|put|consider(?:ed)?|is|as|it'?s|be|get)\s+(?:it\s+|this\s+|as\s+)?(?:pfi|cfi|sfi|dfi)(?:'?d|ed)?\b",
    r"\b(?:skip(?:ping)?|cancel(?:l?ed|l?ing)?)\s+(?:the\s+|next\s+week'?s?\s+|this\s+)?(?:call|meeting)\b",
    r"\bwe\s+(?:will\s+not|won'?t)\s+(?:have|hold|do)\s+(?:this|the|our|a|next\s+week'?s?)\s+(?:call|meeting)\b",
)
_MEDIUM = _any(
    # Not "we'll have" or "we'll get": "we'll have two presentations" describes what comes, it chooses nothing.
    r"\bwe(?:'ll| will)\s+(?:just\s+)?(?:do|use|keep|stick|merge|leave|wait\s+(?:for|until)|run|start|move|make)\b(?!\s+to\b)",
    r"\blet'?s\s+(?:just\s+)?(?:use|stick|aim|plan|leave|keep|merge|put|close|drop|push|move\s+it|do\s+this|not\s+(?:change|do|merge|include|ship|touch|add))\b",
    r"\b(?:so\s+)?the\s+idea\s+is\s+(?:to|that)\b",
    r"\bwe\s+can\s+(?:just\s+)?(?:leave|merge|close|drop|keep|skip)\s+(?:it|this|that|them|these|those|the)\b",
    r"\b(?:i\s+would|i'?d)\s+(?:then\s+)?(?:just\s+)?(?:suggest|propose)\s+(?:that\s+)?we\b",
    r"\bwe\s+can\s+(?:just\s+)?(?:\w+ly\s+)?go\s+with\b",
    # Putting a question off to a named later point is itself an outcome: "let's revisit it next call".
    r"\b(?:let'?s|we\s+(?:can|will|'ll|should))\s+(?:just\s+)?(?:revisit|defer|postpone|punt)\b",
    r"\bno\s+objections?\b", r"\bthat'?s\s+the\s+plan\b",
    r"\b(?:let'?s|we(?:'ll| will)|we\s+should)\s+(?:\w+\s+)?(?:target|aim\s+for)\b",
    r"\bwe\s+should\s+(?:just\s+)?(?:go|do|include|ship|merge|keep|wait|use|target|move|stick)\b",
)
# Said about a possible decision, not one that was taken: "if we have consensus", "there was no consensus".
_NOT_TAKEN = _any(
    r"\b(?:if|once|when|whether|unless|until|the\s+sooner|as\s+soon\s+as|in\s+case)\b[^,.;]*\b(?:agree|consensus|decid|decision|go\s+with|include|target)",
    r"\b(?:no|not|don'?t|didn'?t|haven'?t|isn'?t|without)\s+(?:\w+\s+){0,2}(?:consensus|agree|agreed|decided|decision)\b",
    # Doubt about a course of action: "I'm still not convinced we should ...", "not a solution we should go for".
    r"\bnot\s+(?:\w+\s+)?(?:convinced|persuaded|sold\s+on)\b",
    r"\bnot\s+(?:a|the|an)\s+(?:\w+\s+)?(?:solution|option|approach|direction|path)\s+(?:that\s+)?we\s+should\b",
    # Not knowing what comes next, or asking for more topics, decides nothing.
    r"\b(?:don'?t|do\s+not)\s+know\b", r"\bnot\s+sure\s+(?:if|whether)\b", r"\banything\s+else\b",
)
# "..., because we will just use the bindings": the plan is given as a reason for something else;
# "because it reads better, so let's keep it" still decides, after the reason.
_REASON = re.compile(r"\bbecause\b(?!.*\bso\b)")
# A proposal put to the room ("how about we ...?", "can we agree not to ...?", "anyone opposed?").
_PROPOSAL_QUESTION = _any(
    r"\b(?:how|what)\s+about\s+we\b", r"\bwhat\s+if\s+we\b", r"\bcan\s+we\s+(?:just\s+)?(?:all\s+)?agree\b",
    r"\bis\s+it\s+(?:okay|ok|fine|alright|all\s+right)\s+(?:if|that)\s+we\b",
    r"\bhow\s+do\s+(?:we|you|people|folks|you\s+guys|you\s+all)\s+feel\s+about\b",
    r"\bshould\s+we\s+(?:just\s+)?(?:go\s+(?:with|ahead)|keep|include|merge|close|target|stick|skip|leave|use|ship|drop|remove|cancel)\b",
    r"\b(?:would|does)\s+(?:that|this|it)\s+work\b", r"\bdo\s+we\s+(?:all\s+)?agree\b",
    r"\b(?:any(?:one|body)?|is\s+any(?:one|body))\s+(?:opposed|against|object)\b", r"\bany\s+objections?\b",
    r"\bdoes\s+(?:that|this)\s+sound\s+(?:good|okay|ok|fine|reasonable|right)\b", r"\b(?:is\s+it|it\s+is|it'?s)\s+better\s+to\b",
)
_SPOKEN_COMMA = re.compile(r"\blet'?s,\s+")
_QUESTION_TAG = re.compile(r"(?:,|\s)(?:right|yeah|yes|okay|ok|correct|no|agreed)\?\s*$")
# "So we'll launch it tomorrow?" proposes an outcome; it is a decision once the others say yes.
_CONFIRMING_QUESTION = _any(
    r"\b(?:so|then|okay|ok)\b.*\b(?:we(?:'ll| will| are going to|'re going to|'re gonna| should)|(?:this|it|that)\s+(?:will|would)\s+be)\b",
    r"\b(?:so|then|okay|ok)\b.*\bwe\s+can\s+(?:just\s+)?(?:revisit|go\s+with|keep|merge|include|target|skip|leave|close|drop|defer|postpone)\b",
    r"\b(?:is\s+it\s+safe\s+to\s+assume|are\s+we\s+(?:good|fine|okay|ok|happy)\s+with|can\s+we\s+agree|everyone\s+(?:okay|ok|fine|happy)\s+with)\b",
)

# Decisions that only point back at what was just proposed ("let's do that"): the proposal holds the content.
_REFERS_BACK = _any(
    r"\b(?:do|go\s+with|stick\s+to|agreed\s+with)\s+(?:that|this|it)\b", r"\bthis\s+approach\b", r"\bthat\s+approach\b",
    r"\b(?:sounds|seems|looks)\s+(?:fine|good|reasonable)\b", r"\bno\s+objections?\b", r"\bconsider\s+it\b",
)
# Agenda management and procedure, not outcomes.
_PROCEDURAL = _any(
    r"\blet'?s\s+(?:move\s+on|get\s+(?:started|going|into|right)|start|begin|jump|kick\s+off|go\s+ahead\s+and\s+(?:get|start|begin)|"
    r"give\s+it|wait|see|talk|discuss|hear|go\s+(?:to|through|over|back)|have\s+a\s+(?:look|discussion))\b",
    r"\bnext\s+(?:topic|item|agenda|point)\b", r"\blet'?s\s+keep\s+it\s+(?:short|brief|quick)\b", r"\bagenda\b",
    r"\b(?:move|moving)\s+on\b", r"\bmove\s+to\s+(?:the\s+)?next\b", r"\bpresentations?\b", r"\bslides?\b",
    r"\bshare\s+(?:my\s+)?screen\b", r"\bhear\s+me\b", r"\bwe(?:'ll| will)\s+wait\b", r"\bminutes?\s+(?:mark|past)\b",
    r"\bwe(?:'ll| will)\s+(?:have|do)\s+(?:a\s+|some\s+)?(?:quick\s+|couple\s+(?:of\s+)?)?(?:round|update|updates|intro|presentations?)\b",
    r"\bwe(?:'ll| will)\s+(?:start|move|begin|kick)\s+(?:off\s+)?(?:with|on|to)\b", r"\bwelcome\b", r"\brecording\b",
    r"\b(?:start|begin)\s+(?:today|off)\s+with\b", r"\bnext\s+(?:call|meeting)\s+(?:is|will be)\b",
    r"\bwe\s+(?:will|'ll)\s+have\s+(?:an?\s+)?(?:interesting|good|great)\s+discussion\b",
    # Moving a topic out of the call ("let's take it async") postpones the decision; it does not make one.
    r"\basync(?:hronously)?\b",
)


def _given_as_reason(text: str, cue_at: int) -> bool:
    return _REASON.search(text[:cue_at]) is not None


@dataclass(frozen=True)
class DecisionCue:
    strength: float
    """0..1: 0.8 for explicit decision language, 0.5 for a plan stated as settled."""
    refers_back: bool = False
    """True when the sentence agrees to something said just before ("let's do that")."""
    needs_assent: bool = False
    """True for a proposal put as a question; it only counts when the next speaker agrees."""


def read_decision_cue(sentence: str) -> DecisionCue | None:
    """How strongly the sentence announces a decision, or None when it does not."""
    # Spoken commas carry no meaning here: "let's, push it" is "let's push it".
    text = _SPOKEN_COMMA.sub("let's ", sentence.lower())
    if _PROCEDURAL.search(text) or _NOT_TAKEN.search(text):
        return None
    # A real question asks whether to decide; "..., consider it shipped, yeah?" only checks for objections.
    if "?" in text and not _QUESTION_TAG.search(text):
        if _CONFIRMING_QUESTION.search(text) or _PROPOSAL_QUESTION.search(text):
            return DecisionCue(strength=0.5, needs_assent=True)
        return None
    refers_back = bool(_REFERS_BACK.search(text))
    for strength, pattern in ((0.8, _STRONG), (0.5, _MEDIUM)):
        match = pattern.search(text)
        if match is not None:
            if _given_as_reason(text, match.start()):
                return None
            return DecisionCue(strength=strength, refers_back=refers_back)
    return None
