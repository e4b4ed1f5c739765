"""Placing the parties a meeting names into a template's party fields without guessing roles.

Order of trust: a role term (provider, customer, discloser) first; then, for positional fields (Party A/B),
the parties in the order they were first named; then a single remaining role filled by elimination. Names
nobody gave a role stay listed as "other parties" so counsel sees them, and QA can flag them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from bridge_pipeline.drafting.fields import LIST_SEPARATOR, fill_field, in_time_order, provenance, tbd_field
from bridge_pipeline.drafting.parties import has_legal_suffix, is_short_form, org_key
from bridge_pipeline.drafting.templates import FieldSpec, TemplateSpec
from bridge_pipeline.models import Decision, DraftField

ROLE_TERMS = ("provider", "customer", "discloser")


@dataclass
class NamedParty:
    """One organisation as the meeting named it, with every decision that named it."""

    key: str
    name: str
    decisions: list[Decision] = field(default_factory=list)


def named_parties(decisions: Sequence[Decision]) -> list[NamedParty]:
    """Distinct parties in order of first mention; the name kept is the first spelling with a legal form."""
    by_key: dict[str, NamedParty] = {}
    for decision in decisions:
        # "I'll send the Nubeena pen layout" names a company as the subject of a task, not as a party.
        if decision.kind == "action_item":
            continue
        names = list(decision.parties) + [decision.terms[t] for t in ROLE_TERMS if (decision.terms.get(t) or "").strip()]
        for raw in names:
            name = raw.strip()
            key = org_key(name)
            if not key:
                continue
            party = by_key.setdefault(key, NamedParty(key=key, name=name))
            if not has_legal_suffix(party.name) and has_legal_suffix(name):
                party.name = name
            if all(d.decision_id != decision.decision_id for d in party.decisions):
                party.decisions.append(decision)
    return _merge_short_forms(list(by_key.values()))


def _merge_short_forms(parties: list[NamedParty]) -> list[NamedParty]:
    """Fold a bare short name ('Kowalczyk') into the one legal name it abbreviates; ambiguous ones stay apart."""
    result = list(parties)
    for short in parties:
        if has_legal_suffix(short.name):
            continue
        longer = [p for p in result if p is not short and is_short_form(short.key, p.key)]
        if len(longer) != 1:
            continue
        full = longer[0]
        full.decisions = list(in_time_order({d.decision_id: d for d in full.decisions + short.decisions}.values()))
        position = min(result.index(short), result.index(full))  # the merged party keeps the first mention
        result = [p for p in result if p is not short and p is not full]
        result.insert(position, full)
    return result


def is_named(name: str, keys: set[str]) -> bool:
    """Whether `name` is one of the organisations in `keys`, allowing a short form either way."""
    key = org_key(name)
    return any(key == k or is_short_form(key, k) or is_short_form(k, key) for k in keys)


def _with_legal_name(field: DraftField, named: list[NamedParty], decisions: Sequence[Decision]) -> DraftField:
    """A role given by a short name ('Nordlicht') takes the one legal name the meeting gave for it."""
    if field.value is None or has_legal_suffix(field.value):
        return field
    key = org_key(field.value)
    matches = [p for p in named if has_legal_suffix(p.name) and (p.key == key or is_short_form(key, p.key))]
    if len(matches) != 1:
        return field
    by_id = {d.decision_id: d for d in decisions}
    stating = [by_id[i] for i in field.decision_ids if i in by_id]
    naming = [d for d in matches[0].decisions if d.decision_id not in field.decision_ids]
    # The role statements stay last: the latest of them is the statement the value rests on.
    ids, citations = provenance(naming + stating)
    return field.model_copy(
        update={"value": matches[0].name, "original_text": field.value, "decision_ids": ids, "citations": citations}
    )


def _from_named(spec: FieldSpec, party: NamedParty) -> DraftField:
    ids, citations = provenance(party.decisions)
    return DraftField(
        name=spec.name,
        label=spec.label,
        required=spec.required,
        value=party.name,
        decision_ids=ids,
        citations=citations,
        confidence=party.decisions[0].confidence,
    )


def fill_party_fields(template: TemplateSpec, decisions: Sequence[Decision]) -> dict[str, DraftField]:
    """Party fields and the unassigned-parties list of a template, keyed by field name."""
    party_specs = [f for f in template.fields if f.kind == "party"]
    filled: dict[str, DraftField] = {spec.name: fill_field(spec, decisions) for spec in party_specs}
    named = named_parties(decisions)
    for name, filled_field in filled.items():
        filled[name] = _with_legal_name(filled_field, named, decisions)
    assigned = {org_key(f.value) for f in filled.values() if f.value}
    unassigned = [p for p in named if not is_named(p.name, assigned)]

    for spec in party_specs:
        if spec.positional and filled[spec.name].is_tbd and unassigned:
            filled[spec.name] = _from_named(spec, unassigned.pop(0))

    empty_roles = [s for s in party_specs if filled[s.name].is_tbd]
    if len(empty_roles) == 1 and len(unassigned) == 1:
        # Every other role is known and exactly one named party is left: it can only be this one.
        filled[empty_roles[0].name] = _from_named(empty_roles[0], unassigned.pop(0))

    for spec in template.fields:
        if spec.collects_unassigned_parties:
            filled[spec.name] = unassigned_list(spec, unassigned)
    return filled


def unassigned_list(spec: FieldSpec, unassigned: list[NamedParty]) -> DraftField:
    """The list field naming parties nobody gave a role, with the decisions that named them."""
    if not unassigned:
        return tbd_field(spec)
    ids, citations = provenance(in_time_order({d.decision_id: d for p in unassigned for d in p.decisions}.values()))
    return DraftField(
        name=spec.name,
        label=spec.label,
        required=spec.required,
        value=LIST_SEPARATOR.join(p.name for p in unassigned),
        decision_ids=ids,
        citations=citations,
        confidence=min(d.confidence for p in unassigned for d in p.decisions),
    )
