"""Reads how a sentence is meant: agreement, assent, rejection, hedge, question, or habit rather than offer.

These markers drive both whether a statement counts as agreed and how confident a decision is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _any(*patterns: str) -> re.Pattern[str]:
    # Patterns are written in lower case and run on the lower-cased sentence: much faster than IGNORECASE.
    return re.compile("|".join(f"(?:{p.lower()})" for p in patterns))


# The sentence itself settles something.
_AGREEMENT = _any(
    r"\bagreed\b", r"\b(?:I|we) (?:fully |all )?agree\b(?! to disagree)",
    r"\b(?:let'?s|we(?:'ll| will)|we can|I can) go (?:with|ahead with)\b", r"\bgo with (?:that|this|it)\b",
    r"\bit is[.!]*$", r"\bconfirm(?:ed|s)?\b", r"\bdeal\b(?! with)", r"\bsettled\b",
    r"\b(?:is|are|sounds|seems|looks) (?:\w+ )?(?:fine|okay|ok|good|great|acceptable|reasonable|perfect|correct|right)\b",
    r"\b(?:that|this|it) works\b", r"\bworks for (?:us|me|both)\b", r"\bworks[.!]*$", r"\bfair (?:point|enough)\b",
    r"\b(?:that'?s|that is|it'?s) (?:all )?(?:fine|okay|ok|good|great|perfect|correct|right|acceptable|reasonable|fair)\b",
    r"\b(?:we|I) can (?:accept|live with|do that|do this)\b", r"\baccept(?:able|ed)?\b",
    r"\bfine (?:by|with) (?:us|me|that|it)\b", r"\bhappy with\b", r"\bsounds good\b", r"\bmakes sense\b",
    r"\bnoted\b", r"\bthat matches\b", r"\bno (?:problem|objections?|concerns?)\b", r"\bof course\b",
    r"\blet'?s (?:write|keep|lock|put|include|use|target|fix|say|do that|do it)\b",
    r"\bdecision (?:is|was) made\b", r"\bdecision made\b", r"\bwe(?:'ve| have)? decided\b",
    # "First of June, yes, that's what we want.": the value said back, then the yes.
    r"\b(?:both|all three|all of (?:them|those)) (?:are |sound |look |seem )?(?:fine|good|ok|okay|acceptable|work)\b",
    r"^[^,?]{1,40},\s*(?:yes|yeah|yep)\b(?![,\s]+but\b)", r"^[^,?]{1,40},\s*(?:fine|good|ok|okay|deal)[.!]*$", r"\bthat'?s (?:exactly )?what we (?:want|need|asked for)\b",
)
# A short reply opening that assents to what was just said ("Yes, ...", "Fine.", "Correct.").
_ASSENT_OPENING = re.compile(
    r"^(?:(?:then|so|and)\s+)?(?:yes|yeah|yep|yup|sure|okay|ok|right|fine|good|great|perfect|absolutely|"
    r"definitely|agreed|correct|exactly|understood|excellent)\b"
)
_REJECTION = _any(
    r"^no\b(?![\s,]+(?:problem|worries|rush|objections?|concerns?|changes?|doubt|blockers?))",
    r"\b(?:doesn'?t|does not|won'?t|will not|wouldn'?t|can'?t|cannot|couldn'?t)\s+(?:\w+\s+)?"
    r"(?:work|accept|agree|guarantee|afford|do (?:that|this|it|\w+ity))\b",
    r"\bnot (?:acceptable|enough|possible|feasible|workable|an option|okay|ok|going to work)\b",
    r"\btoo (?:high|low|much|expensive|long|short|tight|late|early|little)\b",
    r"\b(?:feels|seems|sounds) (?:too |a bit |rather )?(?:long|short|expensive|steep|high|low)\b",
    r"\bI'?m afraid\b", r"\b(?:hard|difficult|impossible) to (?:guarantee|commit|accept)\b",
    r"\b(?:above|more than|over|beyond) (?:what )?(?:we|our) (?:budget(?:ed)?|can)\b", r"\bout of (?:our )?budget\b",
    r"\breject(?:ed|s)?\b", r"\bthat'?s a no\b", r"\bwe(?:'d| would) rather not\b",
    r"\bnever\s+(?:\w+\s+)?(?:accept|agree|sign|work|go for)\b",
)
_HEDGE = _any(
    r"\bmaybe\b", r"\bperhaps\b", r"\bpossibly\b", r"\bprobably\b", r"\bmight\b", r"\bI think\b",
    r"\bI guess\b", r"\bI suppose\b", r"\bI believe\b", r"\bnot sure\b", r"\bcould\b", r"\bwould\b",
    r"\bwe'?d\b", r"\bI'?d\b", r"\bpropos(?:e|al|ing)\b", r"\bsuggest(?:ed|ion|ing)?\b", r"\bhow about\b",
    r"\bwhat about\b", r"\bideally\b", r"\bif possible\b", r"\bthinking of\b", r"\bwas thinking\b",
)
_HABITUAL = _any(
    r"\busually\b", r"\bnormally\b", r"\btypically\b", r"\bgenerally\b", r"\bour standard\b",
    r"\bstandard (?:template|offer|terms|contract)\b", r"\bin general\b",
    # What a paper on the table says ("the draft had X", "our template is fifteen days") is the starting
    # point under discussion, not an offer made in the meeting.
    r"\b(?:the|our|your|their|current|existing|previous|earlier|old|last|first)\s+(?:\w+\s+)?(?:draft|template|redline|version|paper|term sheet|proposal)"
    r"\s+(?:had|has|have|says|said|shows|showed|is|was|included|includes|lists|listed|named|names)\b",
    # A question about what someone meant ("You mean the fifteen days?") checks, it does not offer.
    r"^(?:\w+,\s+)?(?:so\s+)?(?:you|do you|did you|you're|are you)\s+(?:mean|talking about|referring to)\b[^.!]*\?",
)

# "I'll ask our lawyer about the governing law options": someone goes to find out; nothing is offered.
_DEFERS = _any(
    r"\b(?:i|we)(?:'ll| will| need to| have to| must| should)\s+(?:\w+\s+)?(?:ask|check|consult|verify|look into|"
    r"run (?:it|this|that) (?:by|past)|take (?:it|this|that) to|confirm with|check with)\b",
)


# The meeting takes back everything it discussed ("None of this is agreed", "don't send us any drafts"):
# no term said before such a sentence stands.
_CALL_OFF = _any(
    r"\bnone of (?:this|it|that|these|the terms)\b[^.?!]{0,30}\b(?:is|was|are|were|has been|have been)\s+(?:\w+\s+)?(?:agreed|final|binding)\b",
    r"\bnothing\b[^.?!]{0,40}\b(?:is|was|'s|has been)\s+(?:an?\s+)?(?:agreed|agreement|final|binding)\b(?![^.?!]*\buntil\b)",
    r"\b(?:can'?t|cannot|won'?t|will not)\s+(?:agree|commit|sign)\s+(?:to\s+)?anything\b",
    r"\b(?:don'?t|do not)\s+(?:send|draft|prepare)\s+(?:us\s+)?(?:any\s+)?(?:drafts?|paper|contracts?)\b",
    r"\b(?:there'?s|there is) no deal\b", r"\bdeal is off\b", r"\bcall(?:ing|ed)? (?:it|the whole thing) off\b",
)


def calls_off(sentence: str) -> bool:
    """Does the sentence withdraw everything discussed so far (not a question about it)?"""
    text = sentence.strip().lower()
    return "?" not in text and _CALL_OFF.search(text) is not None


@dataclass(frozen=True)
class Signals:
    agreement: bool
    assent_opening: bool
    rejection: bool
    hedge: bool
    question: bool
    habitual: bool
    defers: bool = False

    @property
    def assents(self) -> bool:
        """As a reply: does this sentence accept what the other side just said?"""
        return (self.agreement or self.assent_opening) and not self.rejection and not self.question

    @property
    def settles(self) -> bool:
        """On its own: does this sentence state something as agreed?"""
        return self.agreement and not self.rejection and not self.question


def read_signals(sentence: str) -> Signals:
    """The markers present in one sentence."""
    text = sentence.strip().lower()
    return Signals(
        agreement=bool(_AGREEMENT.search(text)),
        assent_opening=bool(_ASSENT_OPENING.search(text)),
        rejection=bool(_REJECTION.search(text)),
        hedge=bool(_HEDGE.search(text)),
        question="?" in text,
        habitual=bool(_HABITUAL.search(text)),
        defers=bool(_DEFERS.search(text)),
    )
