"""Rules for a memorandum of understanding: scope, each party's responsibilities, binding provisions, exclusivity."""

from __future__ import annotations

from bridge_pipeline.extraction.durations import find_durations
from bridge_pipeline.extraction.terms.base import Fact, TermContext, ci, has_any, tidy

# --- memorandum of understanding -------------------------------------------------------------------

_SCOPE = ci(
    r"\bscope\b(?:\s+of\s+(?:the\s+)?(?:collaboration|partnership|cooperation|MoU|project))?"
    r"(?:\s+(?:is|will be|would be|covers|includes)|\s*:)\s+(?P<value>[^.!?;]+)"
)
# "The scope is fine." before the scope itself, and answers that are not a scope ("the scope is fine").
SCOPE_CONFIRMED_BEFORE = ci(r"\bscope(?:'s|\s+is)\s+(?:\w+\s+)?(?:fine|ok|okay|good|confirmed|clear|right)\b")
NOT_A_SCOPE = ci(r"^(?:fine|ok|okay|good|great|agreed|confirmed|clear|right|the same|unchanged|done|that|this|it|what)\b")
_COLLABORATE_ON = ci(r"\bcollaborat\w*\s+on\s+(?P<value>[^.!?;]+)")
_RESPONSIBILITY_VERB = r"(?:will|would|is going to|shall|takes? care of|is responsible for|handles|provides|covers)"
_BINDING_EXCEPT = ci(
    r"\bnon-?binding,?\s+(?:except|apart from|other than|save)\s+(?:for\s+)?(?:the\s+)?"
    r"(?P<value>[\w\s,]+?)(?:\s+(?:provisions?|clauses?|sections?|obligations?))?(?=\s*(?:[,.;]|$|\bwhich\b))"
)
_ONLY_BINDING = ci(r"\bonly\s+(?:the\s+)?(?P<value>[\w\s,]+?)\s+(?:provisions?|clauses?)?\s*(?:are|is|will be|shall be)\s+binding")
_NO_EXCLUSIVITY = ci(r"\bno exclusivity\b|\bnon-?exclusive\b|\bwithout exclusivity\b|\bnot exclusive\b")
_EXCLUSIVITY = ci(r"\bexclusiv")


def mou_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    if context.contract == "MOU":
        scope = (_SCOPE.search(sentence) or _COLLABORATE_ON.search(sentence)) if has_any(sentence, ("scope", "collaborat")) else None
        if scope and not NOT_A_SCOPE.search(scope.group("value")):
            facts.append(Fact(key="scope", value=tidy(scope.group("value"))))
        elif SCOPE_CONFIRMED_BEFORE.search(context.said_before[-120:]) and "?" not in sentence and len(sentence.split()) >= 4:
            # "The scope is fine. <the scope itself>"
            facts.append(Fact(key="scope", value=tidy(sentence)))
        facts.extend(_responsibilities(sentence, context))
    binding = (_BINDING_EXCEPT.search(sentence) or _ONLY_BINDING.search(sentence)) if has_any(sentence, ("binding",)) else None
    if binding:
        facts.append(Fact(key="binding_provisions", value=tidy(binding.group("value")).lower()))
    if not has_any(sentence, ("exclusiv",)):
        return facts
    if _NO_EXCLUSIVITY.search(sentence):
        facts.append(Fact(key="exclusivity", value="none"))
    elif _EXCLUSIVITY.search(sentence):
        period = next((d for d in find_durations(sentence) if d.unit in ("week", "month", "year")), None)
        if period is not None:
            facts.append(Fact(key="exclusivity", value=f"exclusive for {period.normalised}"))
    return facts


_CLAUSE_START = ci(r"(?:^|[,:;]\s*|\band\s+|\bso\s+|\bthen\s+|\bresponsibilities,\s+)$")
_RESPONSIBILITY = ci(rf"^\s+{_RESPONSIBILITY_VERB}\s+(?P<value>[^.!?;]+)")


def _responsibilities(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    for mention in context.roster.mentions(sentence):
        if not _CLAUSE_START.search(sentence[: mention.start]):
            continue
        match = _RESPONSIBILITY.search(sentence[mention.end:])
        if match:
            value = tidy(match.group("value"))
            name = mention.name
            facts.append(Fact(key="responsibility", value=value, qualifier=f"{name}: {value}", owner=name, parties=(name,)))
    return facts
