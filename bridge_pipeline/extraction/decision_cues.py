"""Scores how strongly a sentence announces a decision that is not a contract term ("we agreed to ship X")."""

from __future__ import annotations

import re
from dataclasses import dataclass


def _any(*patterns: str) -> re.Pattern[str]:
    # Lower-case patterns on the lower-cased sentence: much faster than IGNORECASE.
    return re.compile("|".join(f"(?:{p.lower()})" for p in patterns))


_STRONG = _any(
    r"\bwe(?:'ve| have)?\s+(?:all\s+)?agreed\b", r"\b(?:it'?s|that'?s|is)\s+agreed\b", r"\bagreed\s+(?:to|on|that)\b",
    r"\bagreed\s+with\s+(?:this|that|the)\s+(?:approach|plan|proposal|idea)\b", r"\bwe\s+can\s+(?:all\s+)?agree\b",
    r"\b(?:the\s+)?decision\s+(?:is|was)\s+(?:to|that)\b", r"\bdecision\s+made\b", r"\bwe(?:'ve| have)?\s+decided\b",
    r"\blet'?s\s+go\s+(?:with|ahead\s+with)\b", r"\bwe(?:'ll| will| are going to|'re going to)\s+go\s+with\b",
    r"\brough\s+consensus\b",
    r"\bwe\s+have\s+(?:rough\s+)?consensus\b", r"\b(?:so\s+)?the\s+plan\s+is\s+to\b", r"\bwhat\s+we(?:'ll| will)\s+do\s+is\b",
    r"\bconsider\s+it\s+(?:shipped|done|final|included|agreed|settled)\b", r"\bthe\s+default\s+(?:will\s+be|is)\b",
    r"\bwe(?:'ll| will)\s+(?:include|ship|target|postpone|defer|schedule|make\s+the\s+call|move\s+forward)\b",
    r"\blet'?s\s+(?:include|ship|target|postpone|defer|schedule|move\s+forward\s+with|do\s+that|do\s+it|go\s+for\s+it|keep\s+it)\b",
    r"\bwe(?:'re| are)\s+(?:going\s+to|gonna)\s+(?:include|ship|target|go\s+with|skip|cancel|launch|merge)\b",
    r"\bi'?d\s+say\s+we\b",
    r"\bwe(?:'ll| will)\s+get\s+(?:\S+\s+){0,4}?(?:merged|included|released|shipped)\b",
    r"\b(?:it\s+)?(?:will|'ll)\s+be\s+included\b", r"\bis\s+(?:now\s+)?(?:scheduled|included)\s+(?:for|in)\b",
    # Inclusion stages of protocol governance calls: "marked as PFI", "we'll CFI it", "SFI'd for the fork".
    r"\b(?:mark(?:ed)?|move[ds]?|put|consider(?:ed)?|is|as|it'?s|be|get)\s+(?:it\s+|this\s+|as\s+)?(?:pfi|cfi|sfi|dfi)(?:'?d|ed)?\b",
    r"\b(?:skip(?:ping)?|cancel(?:l?ed|l?ing)?)\s+(?:the\s+|next\s+week'?s?\s+|this\s+)?(?:call|meeting)\b",
)
_MEDIUM = _any(
    r"\bwe(?:'ll| will)\s+(?:just\s+)?(?:do|use|keep|stick|merge|leave|wait\s+(?:for|until)|run|start|move|get|make|have)\b(?!\s+to\b)",
    r"\blet'?s\s+(?:use|stick|aim|plan|leave|keep|merge|put|move\s+it|do\s+this|not\s+(?:change|do|merge|include|ship|touch|add))\b",
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
)
_QUESTION_TAG = re.compile(r"(?:,|\s)(?:right|yeah|yes|okay|ok|correct|no|agreed)\?\s*$")
# "So we'll launch it tomorrow?" proposes an outcome; it is a decision once the others say yes.
_CONFIRMING_QUESTION = _any(
    r"\b(?:so|then|okay|ok)\b.*\b(?:we(?:'ll| will| are going to|'re going to|'re gonna| should)|(?:this|it|that)\s+(?:will|would)\s+be)\b",
    r"\b(?:is\s+it\s+safe\s+to\s+assume|are\s+we\s+(?:good|fine|okay|ok|happy)\s+(?:to|with)|can\s+we\s+agree|everyone\s+(?:okay|ok|fine|happy)\s+with)\b",
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
    r"\bnext\s+(?:topic|item|agenda)\b", r"\blet'?s\s+keep\s+it\s+(?:short|brief|quick)\b", r"\bagenda\b",
    r"\bshare\s+(?:my\s+)?screen\b", r"\bhear\s+me\b", r"\bwe(?:'ll| will)\s+wait\b", r"\bminutes?\s+(?:mark|past)\b",
    r"\bwe(?:'ll| will)\s+(?:have|do)\s+(?:a\s+|some\s+)?(?:quick\s+|couple\s+(?:of\s+)?)?(?:round|update|updates|intro|presentations?)\b",
    r"\bwe(?:'ll| will)\s+(?:start|move|begin|kick)\s+(?:off\s+)?(?:with|on|to)\b", r"\bwelcome\b", r"\brecording\b",
    r"\b(?:start|begin)\s+(?:today|off)\s+with\b", r"\bnext\s+(?:call|meeting)\s+(?:is|will be)\b",
    r"\bwe\s+(?:will|'ll)\s+have\s+(?:an?\s+)?(?:interesting|good|great)\s+discussion\b",
    # Moving a topic out of the call ("let's take it async") postpones the decision; it does not make one.
    r"\basync(?:hronously)?\b",
)


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
    text = sentence.lower()
    if _PROCEDURAL.search(text) or _NOT_TAKEN.search(text):
        return None
    # A real question asks whether to decide; "..., consider it shipped, yeah?" only checks for objections.
    if "?" in text and not _QUESTION_TAG.search(text):
        if _CONFIRMING_QUESTION.search(text):
            return DecisionCue(strength=0.5, needs_assent=True)
        return None
    refers_back = bool(_REFERS_BACK.search(text))
    if _STRONG.search(text):
        return DecisionCue(strength=0.8, refers_back=refers_back)
    if _MEDIUM.search(text):
        return DecisionCue(strength=0.5, refers_back=refers_back)
    return None
