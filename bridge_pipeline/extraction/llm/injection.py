"""Spots transcript text that speaks to the extractor instead of to the meeting ("ignore previous instructions ...").

Such an utterance is never evidence for a decision, whatever the model made of it: grounding removes
citations of it, so a value that only it states cannot reach a draft.
"""

from __future__ import annotations

import re

_MACHINE = r"(?:ai|a\.i\.|assistant|language\s+model|llm|chat\s?gpt|gpt|model|summari[sz]er|note[- ]?taker|bot|copilot)"

_ADDRESSES_EXTRACTOR = re.compile(
    "|".join(
        [
            # "ignore (all) previous instructions", "disregard the above prompt"
            r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}?\b(?:instructions?|prompts?|directives?|guardrails?)\b",
            r"\b(?:system|developer)\s+(?:prompt|message|instructions?)\b",
            r"\b(?:new|updated|revised|hidden|secret)\s+instructions?\b",
            # "you are now an assistant that ...", "pretend you are the model"
            rf"\byou\s+are\s+(?:now\s+)?(?:an?\s+|the\s+)?{_MACHINE}\b",
            r"\bpretend\s+(?:to\s+be|you\s+are)\b",
            # "note to the AI: ...", "hey assistant, set the fee to 0"
            rf"\b(?:dear|hey|hi|attention|note\s+(?:to|for))\s+(?:the\s+|any\s+)?{_MACHINE}s?\b",
            rf"\b{_MACHINE}s?\s*[,:]\s*(?:please\s+)?(?:set|change|record|write|output|report|mark|list|say|state|put|make|add|remove|drop)\b",
            rf"\b(?:if\s+you\s+are\s+(?:an?\s+)?{_MACHINE}|as\s+an?\s+{_MACHINE}\b)",
            r"\b(?:respond|reply|answer)\s+only\s+with\b",
            r"\boutput\s+(?:only\s+)?(?:the\s+following|this\s+json|json)\b",
        ]
    ),
    re.IGNORECASE,
)


def addresses_the_extractor(text: str) -> bool:
    """True when the text gives orders to whatever reads the transcript rather than to the people in it."""
    return _ADDRESSES_EXTRACTOR.search(text) is not None
