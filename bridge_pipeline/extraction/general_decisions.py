"""Decisions that are not contract terms ("we agreed to ship X on devnet"), kept only on strong evidence.

Such sentences are scored by their decision language, the reply they get and their hedges; only
those above a threshold become decisions. Consecutive sentences of one speaker announcing the same
thing become one decision citing each of them.
"""

from __future__ import annotations

import re

from bridge_pipeline.extraction.amounts import find_amounts
from bridge_pipeline.extraction.drafts import DecisionDraft
from bridge_pipeline.extraction.reading import MeetingReading, Statement, cite

DEFAULT_THRESHOLD = 0.5
_STRONG_HEDGE = re.compile(r"\b(?:maybe|perhaps|probably|not sure|I guess|might|hopefully)\b", re.IGNORECASE)
# Zoom cuts one spoken sentence into several cues; a cue this close after, by the same speaker, continues it.
_CONTINUATION_GAP_S = 2.0
# Decision sentences of one speaker this close together describe one decision.
_MERGE_DISTANCE = 2
_ASSENT_ONLY_WORDS = 6


def general_decisions(reading: MeetingReading, threshold: float = DEFAULT_THRESHOLD) -> list[DecisionDraft]:
    drafts: list[DecisionDraft] = []
    for statement in reading.statements:
        if statement.cue is None or _only_assent(statement):
            continue
        confidence = _confidence(reading, statement)
        if confidence < threshold:
            continue
        previous = drafts[-1] if drafts else None
        if previous is not None and _continues(previous, statement):
            previous.add_citation(statement.citation(reading.meeting_id))
            previous.text = f"{previous.text} {statement.sentence.text}"
            previous.confidence = max(previous.confidence, confidence)
            continue
        drafts.append(_draft(reading, statement, confidence))
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
    if reply is not None and reply.verdict == "reject":
        confidence -= 0.2
    if signals.hedge:
        confidence -= 0.05
    if _STRONG_HEDGE.search(statement.sentence.text):
        confidence -= 0.1
    # Whoever runs the meeting announces its outcomes; talk before the opening decides nothing.
    if statement.speaker == reading.chair:
        confidence += 0.1
    if statement.utterance.index < reading.opening_index:
        confidence -= 0.3
    return confidence


def _only_assent(statement: Statement) -> bool:
    """'Sounds good from my side.' answers a proposal; the proposal is the decision, not the answer."""
    return statement.signals.assents and len(statement.sentence.text.split()) <= _ASSENT_ONLY_WORDS


def _continues(draft: DecisionDraft, statement: Statement) -> bool:
    last = draft.citations[-1]
    return last.speaker == statement.speaker and 0 <= statement.utterance.index - last.utterance_index <= _MERGE_DISTANCE


def _draft(reading: MeetingReading, statement: Statement, confidence: float) -> DecisionDraft:
    draft = DecisionDraft(
        kind="decision",
        text=statement.sentence.text,
        topic="general",
        confidence=confidence,
        citations=[statement.citation(reading.meeting_id)],
        order=statement.order,
        amounts=find_amounts(statement.sentence.text, reading.currency),
        parties=reading.roster.mentioned_in(statement.sentence.text),
    )
    _add_continuation(reading, statement, draft)
    if statement.cue is not None and statement.cue.refers_back:
        before = reading.statement_before(statement)
        if before is not None:
            draft.add_citation(before.citation(reading.meeting_id))
    reply = reading.reply_after(statement.utterance.index)
    if reply is not None and reply.verdict == "assent":
        draft.add_citation(cite(reading.meeting_id, reply.utterance, reply.quote))
    return draft


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
