"""Splits a long meeting into overlapping chunks that fit one request, and merges what the chunks found.

Neighbouring chunks share a few utterances so a decision said across a boundary is seen whole at
least once; the price is that it may be reported twice, which `merge_items` undoes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bridge_pipeline.extraction.llm.schema import ExtractedItem, TermValue
from bridge_pipeline.models import Transcript, Utterance

# The rendered line adds an index, a time and the speaker to the text.
_LINE_OVERHEAD_CHARS = 24
_WORD = re.compile(r"[^\W\d_]{3,}|\d+")
_SIMILAR_TEXT = 0.35
# When two parts report one value with different statuses, the more settled one is kept: a part that
# ends before the acceptance sees only the proposal.
_STATUS_RANK = {"proposed": 0, "rejected": 1, "open": 2, "agreed": 3}


@dataclass(frozen=True)
class Chunk:
    number: int
    total: int
    utterances: tuple[Utterance, ...]

    @property
    def first_index(self) -> int:
        return self.utterances[0].index

    @property
    def last_index(self) -> int:
        return self.utterances[-1].index


def _line_chars(utterance: Utterance) -> int:
    return len(utterance.text) + len(utterance.speaker) + _LINE_OVERHEAD_CHARS


def split_into_chunks(transcript: Transcript, max_chars: int, overlap_utterances: int) -> list[Chunk]:
    """Consecutive runs of utterances of at most max_chars each (one longer utterance stands alone),
    each starting `overlap_utterances` before the previous one ended."""
    utterances = transcript.utterances
    if not utterances:
        return []
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(utterances):
        end, size = start, 0
        while end < len(utterances) and (end == start or size + _line_chars(utterances[end]) <= max_chars):
            size += _line_chars(utterances[end])
            end += 1
        spans.append((start, end))
        if end >= len(utterances):
            break
        # Step back for the overlap, but always move forward by at least one utterance.
        start = max(start + 1, end - overlap_utterances)
    return [Chunk(number=n, total=len(spans), utterances=utterances[a:b]) for n, (a, b) in enumerate(spans)]


def merge_items(items: list[ExtractedItem]) -> list[ExtractedItem]:
    """One item per decision or action item: items of the same kind that cite a common utterance and say
    the same thing (similar wording, no conflicting values) become one citing all their utterances."""
    merged: list[ExtractedItem] = []
    for item in items:
        twin = next((index for index, kept in enumerate(merged) if _same_item(kept, item)), None)
        if twin is None:
            merged.append(item)
        else:
            merged[twin] = _combine(merged[twin], item)
    return merged


def _same_item(first: ExtractedItem, second: ExtractedItem) -> bool:
    if first.kind != second.kind or not set(first.utterances) & set(second.utterances):
        return False
    if _values_conflict(first, second):
        return False
    if first.kind == "action_item" and first.owner and second.owner and first.owner != second.owner:
        return False
    return _similarity(first.text, second.text) >= _SIMILAR_TEXT or (bool(first.terms) and _slots(first) == _slots(second))


def _slots(item: ExtractedItem) -> set[tuple[str, str]]:
    return {_slot(term) for term in item.terms}


def _slot(term: TermValue) -> tuple[str, str]:
    return term.key, term.value.strip().lower()


def _values_conflict(first: ExtractedItem, second: ExtractedItem) -> bool:
    # Only settled values conflict; proposals and rejections are the history around them.
    ours = {term.key: _slot(term)[1] for term in first.terms if term.status in ("agreed", "open")}
    for term in second.terms:
        if term.status in ("agreed", "open") and term.key in ours and ours[term.key] != _slot(term)[1]:
            return True
    if first.amounts and second.amounts:
        if {_amount_key(a.value, a.currency) for a in first.amounts}.isdisjoint(
            _amount_key(a.value, a.currency) for a in second.amounts
        ):
            return True
    if first.due_date and second.due_date and first.due_date.value != second.due_date.value:
        return True
    return False


def _amount_key(value: str, currency: str) -> tuple[str, str]:
    try:
        number = str(Decimal(value.replace(",", "")).normalize())
    except InvalidOperation:
        number = value.strip()
    return number, currency.strip().upper()


def _similarity(first: str, second: str) -> float:
    a, b = set(_WORD.findall(first.lower())), set(_WORD.findall(second.lower()))
    return len(a & b) / len(a | b) if a and b else 0.0


def _combine(kept: ExtractedItem, other: ExtractedItem) -> ExtractedItem:
    """The more confident wording, every cited utterance, and values either one found."""
    primary, secondary = (kept, other) if kept.confidence >= other.confidence else (other, kept)
    amount_keys = {_amount_key(a.value, a.currency) for a in primary.amounts}
    return primary.model_copy(
        update={
            "utterances": list(dict.fromkeys([*primary.utterances, *secondary.utterances])),
            "parties": list(dict.fromkeys([*primary.parties, *secondary.parties])),
            "terms": _merged_terms([*primary.terms, *secondary.terms]),
            "amounts": [*primary.amounts, *(a for a in secondary.amounts if _amount_key(a.value, a.currency) not in amount_keys)],
            "owner": primary.owner or secondary.owner,
            "due_date": primary.due_date or secondary.due_date,
        }
    )


def _merged_terms(terms: list[TermValue]) -> list[TermValue]:
    """Each key and value once, with its most settled status and every acceptance either part saw."""
    merged: dict[tuple[str, str], TermValue] = {}
    for term in terms:
        kept = merged.get(_slot(term))
        if kept is None or _STATUS_RANK[term.status] > _STATUS_RANK[kept.status]:
            merged[_slot(term)] = term
        elif term.status == kept.status == "agreed":
            accepted = list(dict.fromkeys([*kept.accepted_in, *term.accepted_in]))
            merged[_slot(term)] = kept.model_copy(update={"accepted_in": accepted})
    return list(merged.values())
