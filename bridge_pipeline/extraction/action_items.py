"""Turns action cues into action items with an owner, a due date and the utterances that set them.

A request ("can you send the SOW draft by the end of the month?") belongs to whoever accepts it in
the next turn, unless the request named someone; a refused request is dropped. The same task said
twice (accepted, then repeated in a recap) stays one item citing both places.
"""

from __future__ import annotations

import re

from bridge_pipeline.extraction.decision_draft import DecisionDraft
from bridge_pipeline.extraction.reading import MeetingReading, Statement, cite
from bridge_pipeline.models import DateMention

_SPLIT_TASKS = re.compile(r",\s+and\s+|;\s+")
_TOKEN = re.compile(r"[^\W\d_]{3,}")
_FILLER_WORDS = frozenset("the and will you your our for with this that can yes also then just".split())


DEFAULT_THRESHOLD = 0.4
# In a large call, "I'll have a look" from someone who rarely speaks is mostly a status remark.
_SIDE_VOICE_PENALTY = 0.2


def action_items(reading: MeetingReading, threshold: float = DEFAULT_THRESHOLD) -> list[DecisionDraft]:
    """Action items whose confidence reaches threshold, one per task however often it was said."""
    items: list[DecisionDraft] = []
    for statement in reading.statements:
        if statement.action is None:
            continue
        for draft in _drafts_for(reading, statement):
            same = next((item for item in items if _same_task(item, draft)), None)
            if same is None:
                items.append(draft)
            else:
                _merge(same, draft)
    return [item for item in items if item.confidence >= threshold]


def _drafts_for(reading: MeetingReading, statement: Statement) -> list[DecisionDraft]:
    cue = statement.action
    assert cue is not None
    owner = cue.owner
    confidence = 0.6
    citations = [statement.citation(reading.meeting_id)]
    dates = list(statement.dates)
    if cue.requested:
        reply = reading.reply_after(statement.utterance.index)
        if reply is not None and reply.verdict == "reject":
            return []
        if reply is not None and reply.verdict == "assent":
            owner = owner or reply.utterance.speaker
            confidence = 0.7
            citations.append(cite(reading.meeting_id, reply.utterance, reply.quote))
            if not dates:
                replied = [s for s in reading.statements_of(reply.utterance.index) if s.dates]
                dates = list(replied[0].dates) if replied else []
        else:
            confidence = 0.4
    if cue.hedged:
        confidence -= 0.15
    if cue.vague:
        # "I'll do that": the task was said just before; cite it so the item can be read on its own.
        confidence -= 0.15
        before = reading.statement_before(statement)
        if before is not None and before.utterance.index != statement.utterance.index:
            citations.insert(0, before.citation(reading.meeting_id))
    if statement.speaker == reading.chair or owner == reading.chair:
        confidence += 0.05
    if statement.speaker in reading.side_voices:
        confidence -= _SIDE_VOICE_PENALTY
    if statement.utterance.index < reading.opening_index:
        confidence -= 0.3
    parts = _task_parts(statement.sentence.text, dates)
    drafts = []
    for text, due in parts:
        drafts.append(
            DecisionDraft(
                kind="action_item",
                text=text,
                topic="general",
                confidence=confidence + (0.1 if due is not None else 0.0),
                citations=list(citations),
                order=statement.order,
                owner=owner,
                due_date=due,
                parties=reading.roster.mentioned_in(statement.sentence.text),
            )
        )
    return drafts


def _task_parts(sentence: str, dates: list[DateMention]) -> list[tuple[str, DateMention | None]]:
    """'I'll send the sample today, and the full export by next Friday' is two tasks with two dates."""
    if len(dates) >= 2:
        pieces = [p.strip() for p in _SPLIT_TASKS.split(sentence) if p.strip()]
        dated = [(p, next((d for d in dates if d.text in p), None)) for p in pieces]
        if len(pieces) >= 2 and all(due is not None for _, due in dated):
            return dated
    return [(sentence, dates[0] if dates else None)]


def _same_task(existing: DecisionDraft, new: DecisionDraft) -> bool:
    if existing.owner is None or existing.owner != new.owner:
        return False
    if existing.due_date is not None and new.due_date is not None and existing.due_date.value != new.due_date.value:
        return False
    # The acceptance of a request is already cited by the request; its own "I'll ..." is the same task.
    if new.order != existing.order and new.order[0] in {c.utterance_index for c in existing.citations}:
        return True
    return _overlap(existing.text, new.text) >= 0.3


def _merge(existing: DecisionDraft, new: DecisionDraft) -> None:
    for citation in new.citations:
        existing.add_citation(citation)
    if existing.due_date is None and new.due_date is not None:
        existing.due_date = new.due_date
        existing.confidence += 0.1
    existing.confidence = max(existing.confidence, new.confidence) + 0.05


def _overlap(first: str, second: str) -> float:
    a = set(_TOKEN.findall(first.lower())) - _FILLER_WORDS
    b = set(_TOKEN.findall(second.lower())) - _FILLER_WORDS
    return len(a & b) / len(a | b) if a and b else 0.0
