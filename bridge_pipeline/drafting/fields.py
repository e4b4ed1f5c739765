"""Turning decisions into cover-page field values, each with the decisions and citations it came from.

A value is only ever copied or normalised from what a decision states; a field no decision speaks to stays
TBD. When decisions disagree on a single-valued field the latest statement wins and every statement stays
in the provenance, so QA can show the disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from bridge_pipeline.drafting.templates import FieldSpec
from bridge_pipeline.drafting.values import (
    Money,
    format_percent,
    normalise_text,
    parse_duration,
    parse_iso_date,
    parse_money,
    parse_percent,
)
from bridge_pipeline.drafting.parties import org_key
from bridge_pipeline.extraction.vocabulary import OPEN_VALUE
from bridge_pipeline.models import Amount, Citation, Decision, DraftField

LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class FieldCandidate:
    """One decision's statement of a field's value."""

    decision: Decision
    term_key: str
    value: str
    compare_key: str
    """Equal keys mean the same value once normalised (e.g. 'EUR 48,000' and 'EUR 48000.00')."""
    original_text: str | None = None


def spoken_at(decision: Decision) -> tuple[float, str]:
    """Sort key: when the decision was first voiced, then its id so ties stay stable."""
    return (min(c.start_s for c in decision.citations), decision.decision_id)


def in_time_order(decisions: Iterable[Decision]) -> tuple[Decision, ...]:
    return tuple(sorted(decisions, key=spoken_at))


def milestone_amount(decision: Decision) -> Amount | None:
    """The payment tied to a milestone decision: the first amount it carries."""
    return decision.amounts[0] if decision.amounts else None


def scalar_candidates(spec: FieldSpec, decisions: Sequence[Decision]) -> list[FieldCandidate]:
    """Every statement of a single-valued field, in the order of the given decisions."""
    found = []
    for decision in decisions:
        for key in spec.from_terms:
            raw = (decision.terms.get(key) or "").strip()
            if raw:
                found.append(_candidate(spec, decision, key, raw))
                break
    return found


def _candidate(spec: FieldSpec, decision: Decision, key: str, raw: str) -> FieldCandidate:
    if raw == OPEN_VALUE:
        return FieldCandidate(decision=decision, term_key=key, value=OPEN_VALUE, compare_key=OPEN_VALUE)
    if spec.kind == "money":
        return _money_candidate(decision, key, raw)
    if spec.kind == "date":
        parsed = parse_iso_date(raw)
        if parsed is None:
            return FieldCandidate(decision, key, raw, normalise_text(raw))
        due = decision.due_date
        spoken = due.text if due is not None and due.value == parsed and due.text != parsed.isoformat() else None
        return FieldCandidate(decision, key, parsed.isoformat(), parsed.isoformat(), spoken)
    if spec.kind == "percent":
        pct = parse_percent(raw)
        if pct is None:
            return FieldCandidate(decision, key, raw, normalise_text(raw))
        return FieldCandidate(decision, key, format_percent(pct), str(pct.normalize()))
    if spec.kind == "duration":
        duration = parse_duration(raw)
        compare = f"{duration.count.normalize()} {duration.unit}" if duration else normalise_text(raw)
        return FieldCandidate(decision, key, raw, compare)
    if spec.kind == "party":
        return FieldCandidate(decision, key, raw, org_key(raw))
    choice = spec.choices.get(normalise_text(raw).replace("-", "_").replace(" ", "_"))
    return FieldCandidate(decision, key, choice or raw, normalise_text(raw).replace("-", "_").replace(" ", "_"))


def _money_candidate(decision: Decision, key: str, raw: str) -> FieldCandidate:
    money = parse_money(raw)
    if money is None and len(decision.amounts) == 1:
        # The term text is not in the documented shape, but the decision carries exactly one amount.
        only = decision.amounts[0]
        money = Money(currency=only.currency.upper(), value=only.value)
    if money is None:
        return FieldCandidate(decision, key, raw, normalise_text(raw))
    spoken = next(
        (a.text for a in decision.amounts if a.currency.upper() == money.currency and a.value == money.value),
        None,
    )
    display = money.display()
    compare = f"{money.currency} {money.value:.2f} {normalise_text(money.period or '')}".strip()
    return FieldCandidate(decision, key, display, compare, spoken if spoken and spoken != display else None)


def list_items(spec: FieldSpec, decisions: Sequence[Decision]) -> list[FieldCandidate]:
    """Items of a list field, one per stating decision, duplicates (same text) dropped."""
    items: list[FieldCandidate] = []
    seen: set[str] = set()
    for decision in decisions:
        for key, text in _item_texts(spec, decision):
            item = _with_details(spec, decision, text)
            compare = normalise_text(item)
            if compare not in seen:
                seen.add(compare)
                items.append(FieldCandidate(decision, key, item, compare))
    # A schedule reads in date order, whatever order the meeting settled its dates in.
    if "due_date" in spec.item_details and items and all(i.decision.due_date for i in items):
        items.sort(key=lambda i: i.decision.due_date.value)  # type: ignore[union-attr]
    return items


def _item_texts(spec: FieldSpec, decision: Decision) -> list[tuple[str, str]]:
    texts = [(key, decision.terms[key].strip()) for key in spec.from_terms
             if (decision.terms.get(key) or "").strip() not in ("", OPEN_VALUE)]
    states_no_term = not (set(decision.terms) - {"contract_type"})
    if spec.from_topic and decision.topic == spec.from_topic and decision.kind == "action_item" and states_no_term:
        texts.append(("topic:" + spec.from_topic, decision.text.strip()))
    return texts


def _with_details(spec: FieldSpec, decision: Decision, text: str) -> str:
    details = []
    for detail in spec.item_details:
        if detail == "due_date":
            details.append(f"due {decision.due_date.value.isoformat()}" if decision.due_date else "due date TBD")
        elif detail == "owner":
            details.append(f"owner: {decision.owner}" if decision.owner else "owner TBD")
        elif detail == "amount":
            amount = milestone_amount(decision)
            if amount is not None and not _names_amount(text, amount):
                details.append(Money(currency=amount.currency.upper(), value=amount.value).display())
    return f"{text} ({', '.join(details)})" if details else text


def _names_amount(text: str, amount: Amount) -> bool:
    """Whether an item's own text already states this amount, spoken or normalised."""
    normalised = f"{amount.currency.upper()} {amount.value:.2f}"
    return amount.text in text or normalised in text or Money(amount.currency.upper(), amount.value).display() in text


def provenance(decisions: Sequence[Decision]) -> tuple[tuple[str, ...], tuple[Citation, ...]]:
    """Decision ids and their citations, each once, in the order given."""
    ids: list[str] = []
    citations: list[Citation] = []
    for decision in decisions:
        if decision.decision_id in ids:
            continue
        ids.append(decision.decision_id)
        citations.extend(decision.citations)
    return tuple(ids), tuple(citations)


def tbd_field(spec: FieldSpec) -> DraftField:
    return DraftField(name=spec.name, label=spec.label, required=spec.required)


def fill_field(spec: FieldSpec, decisions: Sequence[Decision]) -> DraftField:
    """A non-party field from time-ordered decisions: latest statement wins; lists collect every item."""
    if spec.kind == "list":
        items = list_items(spec, decisions)
        if not items:
            return tbd_field(spec)
        ids, citations = provenance([item.decision for item in items])
        return DraftField(
            name=spec.name,
            label=spec.label,
            required=spec.required,
            value=LIST_SEPARATOR.join(item.value for item in items),
            decision_ids=ids,
            citations=citations,
            confidence=min(item.decision.confidence for item in items),
        )
    candidates = scalar_candidates(spec, decisions)
    if not candidates:
        return tbd_field(spec)
    winner = candidates[-1]
    if winner.value == OPEN_VALUE:
        # Left open by the meeting: TBD, cited where it was left open.
        ids, citations = provenance([winner.decision])
        return DraftField(name=spec.name, label=spec.label, required=spec.required, decision_ids=ids, citations=citations)
    ids, citations = provenance([c.decision for c in candidates])
    return DraftField(
        name=spec.name,
        label=spec.label,
        required=spec.required,
        value=winner.value,
        original_text=winner.original_text,
        decision_ids=ids,
        citations=citations,
        confidence=winner.decision.confidence,
    )
