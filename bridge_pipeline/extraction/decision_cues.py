"""Scores how strongly a sentence announces a decision that is not a contract term ("we agreed to ship X")."""

from __future__ import annotations

import re
from dataclasses import dataclass


def _any(*patterns: str) -> re.Pattern[str]:
    # Lower-case patterns on the lower-cased sentence: much faster than IGNORECASE.
    return re.compile("|".join(f"(?:{p.lower()})" for p in patterns))


_STRONG = _any(
    r"\bwe(?:'ve| have)?\s+(?:all\s+)?agreed\b", r"\b(?:it'?s|that'?s|is)\s+agreed\b", r"\bagreed\s+(?:to|on|that)\b",
    r"\b(?:the\s+)?decision\s+(?:is|was)\s+(?:to|that)\b", r"\bdecision\s+made\b", r"\bwe(?:'ve| have)?\s+decided\b",
    r"\bdecided\s+to\b", r"\blet'?s\s+go\s+(?:with|ahead\s+with)\b", r"\bwe(?:'ll| will| are going to|'re going to)\s+go\s+with\b",
    r"\brough\s+consensus\b", r"\bconsensus\s+(?:is|was|to|on|that)\b(?!\s+(?:spec|layer|client))",
    r"\bwe\s+have\s+(?:rough\s+)?consensus\b", r"\b(?:so\s+)?the\s+plan\s+is\s+to\b",
    r"\bconsider\s+it\s+(?:shipped|done|final|included|agreed|settled)\b",
    r"\bwe(?:'ll| will)\s+(?:include|ship|target|postpone|defer|schedule|make\s+the\s+call|move\s+forward)\b",
    r"\blet'?s\s+(?:include|ship|target|postpone|defer|schedule|move\s+forward\s+with|do\s+that|do\s+it|go\s+for\s+it|keep\s+it)\b",
    r"\bwe(?:'re| are)\s+going\s+(?:with|to\s+(?:include|ship|target|go\s+with))\b",
    r"\b(?:it\s+)?(?:will|'ll)\s+be\s+included\b", r"\bis\s+(?:now\s+)?(?:scheduled|included)\s+(?:for|in)\b",
)
_MEDIUM = _any(
    r"\bwe(?:'ll| will)\s+(?:do|use|keep|have|run|start|move|wait|stick|aim|merge|get|put|leave|make)\b",
    r"\blet'?s\s+(?:use|wait|stick|aim|plan|try|leave|not|make|keep|merge|get|put|have|move\s+it|do\s+this)\b",
    r"\bwe\s+should\s+(?:just\s+)?(?:go|do|include|ship|merge|keep|wait|use|target|move)\b",
    r"\bno\s+objections?\b", r"\bsounds\s+good\b", r"\bthat'?s\s+the\s+plan\b",
)
# Agenda management and procedure, not outcomes.
_PROCEDURAL = _any(
    r"\blet'?s\s+(?:move\s+on|get\s+(?:started|going|into)|start|begin|jump|kick\s+off|go\s+ahead\s+and\s+(?:get|start|begin)|"
    r"give\s+it|wait\s+(?:a|for\s+a)\s+(?:minute|moment|second|couple)|see|talk|discuss|hear|go\s+(?:to|through|over|back))\b",
    r"\bnext\s+(?:topic|item|agenda)\b", r"\blet'?s\s+keep\s+it\s+(?:short|brief|quick)\b", r"\bagenda\b", r"\bshare\s+(?:my\s+)?screen\b", r"\bhear\s+me\b",
    r"\bwe(?:'ll| will)\s+(?:have|do)\s+(?:a\s+)?(?:quick\s+)?(?:round|update|updates|intro)\b",
    r"\bwe(?:'ll| will)\s+(?:start|move)\s+(?:with|on|to)\b", r"\bwelcome\b", r"\brecording\b",
)


@dataclass(frozen=True)
class DecisionCue:
    strength: float
    """0..1: 0.8 for explicit decision language, 0.5 for a plan stated as settled."""


def read_decision_cue(sentence: str) -> DecisionCue | None:
    """How strongly the sentence announces a decision, or None when it does not."""
    text = sentence.lower()
    if _PROCEDURAL.search(text):
        return None
    if _STRONG.search(text):
        return DecisionCue(strength=0.8)
    if _MEDIUM.search(text):
        return DecisionCue(strength=0.5)
    return None
