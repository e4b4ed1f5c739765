"""Decisions that are not contract terms ("we agreed to ship X on devnet"), kept only on strong evidence.

Such sentences are scored by their decision language, the reply they get, their hedges and who says
them; only those above a threshold become decisions. Consecutive sentences of one speaker announcing
the same thing become one decision citing each of them. A sentence that settles something without
naming it ("Decision made.", "Then let's do that.", "The default will be canceling.") takes the
sentence it settles as its subject and cites it too.
"""

from __future__ import annotations

import re

from bridge_pipeline.extraction.amounts import find_amounts
from bridge_pipeline.extraction.decision_draft import DecisionDraft
from bridge_pipeline.extraction.reading import MeetingReading, Statement, cite
from bridge_pipeline.models import Citation

DEFAULT_THRESHOLD = 0.5
_STRONG_HEDGE = re.compile(r"\b(?:maybe|perhaps|probably|not sure|I guess|might|hopefully)\b", re.IGNORECASE)
# Zoom cuts one spoken sentence into several cues; a cue this close after, by the same speaker, continues it.
_CONTINUATION_GAP_S = 2.0
# Decision sentences of one speaker this close together describe one decision.
_MERGE_DISTANCE = 2
_ASSENT_ONLY_WORDS = 6
# A plan in a large call's side remark ("we'll start adding clients") is seldom that call's decision;
# explicit decision language ("we agreed to ...") counts whoever says it.
_SIDE_VOICE_PENALTY = 0.15
# A short confirmation settles a proposal only when it uses explicit decision language.
_SETTLING_STRENGTH = 0.8
# How many sentences (and utterances) back a confirmation may reach for the proposal it settles.
_PROPOSAL_LOOKBACK = 4
# A decision sentence with fewer content words than this takes its subject from the sentence before it.
_SUBJECT_WORDS = 3
_WORD = re.compile(r"[^\W\d_]{3,}|\d+")
# Words that make a sentence a decision without saying what was decided.
_DECISION_WORDING = frozenset(
    """the and that this these those then with will would should could can let lets just yeah yes okay think
    guess say said agree agreed agreement decide decided decision consensus plan default going gonna you all now
    for from are was were have has had been being also really sounds good fine great made settled done does did
    one""".split()
)


def general_decisions(reading: MeetingReading, threshold: float = DEFAULT_THRESHOLD) -> list[DecisionDraft]:
    drafts: list[DecisionDraft] = []
    # The latest statement that went into drafts[-1]; the next one may continue it.
    last_said: Statement | None = None
    for statement in reading.statements:
        if statement.cue is None:
            continue
        confirms = _only_assent(statement)
        # "Sounds good." only answers; "Decision made." or "Then let's do that." settles what was proposed.
        if confirms and statement.cue.strength < _SETTLING_STRENGTH:
            continue
        confidence = _confidence(reading, statement)
        if confidence < threshold:
            continue
        if drafts and last_said is not None and _continues(drafts[-1], last_said, statement):
            previous = drafts[-1]
            previous.add_citation(statement.citation(reading.meeting_id))
            previous.text = f"{previous.text} {statement.sentence.text}"
            previous.confidence = max(previous.confidence, confidence)
        else:
            drafts.append(_draft(reading, statement, confidence, confirms))
        last_said = statement
    return drafts


def _confidence(reading: MeetingReading, statement: Statement) -> float:
    assert statement.cue is not None
    signals = statement.signals
    confidence = 0.1 + 0.6 * statement.cue.strength
    reply = reading.reply_after(statement.utterance.index)
    if statement.cue.needs_assent and (reply is None or reply.verdict != "assent"):
        return 0.0
    if reply is not None and reply.verdict == "assent":
        confidence += 0.15
    elif signals.settles:
        # "I agree, it's fine, we can just merge this": the speaker accepts what was proposed in the same breath.
        confidence += 0.1
    if reply is not None and reply.verdict == "reject":
        confidence -= 0.2
    if signals.hedge:
        confidence -= 0.05
    if _STRONG_HEDGE.search(statement.sentence.text):
        confidence -= 0.1
    # Whoever runs the meeting announces its outcomes; talk before the opening decides nothing.
    if statement.speaker == reading.chair:
        confidence += 0.1
    if statement.speaker in reading.side_voices and statement.cue.strength < _SETTLING_STRENGTH:
        confidence -= _SIDE_VOICE_PENALTY
    if statement.utterance.index < reading.opening_index:
        confidence -= 0.3
    return confidence


def _only_assent(statement: Statement) -> bool:
    """'Sounds good from my side.' answers a proposal; the proposal is the decision, not the answer."""
    return statement.signals.assents and len(statement.sentence.text.split()) <= _ASSENT_ONLY_WORDS


def _continues(draft: DecisionDraft, last_said: Statement, statement: Statement) -> bool:
    """One decision said in several sentences: by its proposer ("How about we ship Friday? Would that work?")
    or by whoever the draft last cites, such as the speaker who just agreed and restates it."""
    position = statement.utterance.index
    last = draft.citations[-1]
    by_proposer = last_said.speaker == statement.speaker and 0 <= position - last_said.utterance.index <= _MERGE_DISTANCE
    by_last_cited = last.speaker == statement.speaker and 0 <= position - last.utterance_index <= _MERGE_DISTANCE
    return by_proposer or by_last_cited


def _proposal_before(reading: MeetingReading, statement: Statement) -> Statement | None:
    """What a confirmation settles: the last sentence before it with some content, skipping "Okay." and the like."""
    candidate = reading.statement_before(statement)
    for _ in range(_PROPOSAL_LOOKBACK):
        if candidate is None or statement.utterance.index - candidate.utterance.index > _PROPOSAL_LOOKBACK:
            return None
        if len(candidate.sentence.text.split()) > _ASSENT_ONLY_WORDS and not _only_assent(candidate):
            return candidate
        candidate = reading.statement_before(candidate)
    return None


def _names_no_subject(statement: Statement) -> bool:
    """True for sentences like 'The default will be canceling.': what they settle was said just before."""
    words = {w for w in _WORD.findall(statement.sentence.text.lower()) if w not in _DECISION_WORDING}
    return len(words) < _SUBJECT_WORDS


def _draft(reading: MeetingReading, statement: Statement, confidence: float, confirms: bool = False) -> DecisionDraft:
    borrows = confirms or (statement.cue is not None and statement.cue.refers_back) or _names_no_subject(statement)
    proposal = _proposal_before(reading, statement) if borrows else None
    draft = DecisionDraft(
        kind="decision",
        text=statement.sentence.text if proposal is None else f"{proposal.sentence.text} {statement.sentence.text}",
        topic="general",
        confidence=confidence,
        citations=[_citation(reading, statement, proposal)],
        order=statement.order,
        amounts=find_amounts(statement.sentence.text, reading.currency),
        parties=reading.roster.mentioned_in(statement.sentence.text),
    )
    _add_continuation(reading, statement, draft)
    if proposal is not None:
        draft.add_citation(proposal.citation(reading.meeting_id))
    reply = reading.reply_after(statement.utterance.index)
    if reply is not None and reply.verdict == "assent":
        draft.add_citation(cite(reading.meeting_id, reply.utterance, reply.quote))
    return draft


def _citation(reading: MeetingReading, statement: Statement, proposal: Statement | None) -> Citation:
    """The statement's citation; when its subject was said earlier in the same utterance, the quote covers both."""
    if proposal is None or proposal.utterance.index != statement.utterance.index:
        return statement.citation(reading.meeting_id)
    text = statement.utterance.text[proposal.sentence.start:statement.sentence.end]
    return cite(reading.meeting_id, statement.utterance, text)


def _add_continuation(reading: MeetingReading, statement: Statement, draft: DecisionDraft) -> None:
    """A sentence Zoom cut off mid-way ("let's go ahead and be prepared." / "To make the call...")."""
    utterance = statement.utterance
    is_last_sentence = statement.number == len(reading.statements_of(utterance.index)) - 1
    position = utterance.index + 1
    if not is_last_sentence or position >= len(reading.utterances):
        return
    following = reading.utterances[position]
    close = following.speaker == utterance.speaker and following.start_s - utterance.end_s <= _CONTINUATION_GAP_S
    unfinished = not utterance.text.rstrip().endswith(("?", "!")) and (
        not utterance.text.rstrip().endswith(".") or following.text[:1].islower() or following.text.startswith("To ")
    )
    if close and unfinished:
        first = reading.statements_of(following.index)
        if first:
            draft.add_citation(first[0].citation(reading.meeting_id))
            draft.text = f"{draft.text} {first[0].sentence.text}"
