"""Placing the parties a meeting names into a template's party fields without guessing roles.

Order of trust: a role term (provider, customer, discloser) first; then, for positional fields (Party A/B),
the parties in the order they were first named; then a single remaining role filled by elimination. Names
nobody gave a role stay listed as "other parties" so counsel sees them, and QA can flag them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from bridge_pipeline.drafting.fields import LIST_SEPARATOR, fill_field, in_time_order, provenance, tbd_field
from bridge_pipeline.drafting.parties import has_legal_suffix, org_key
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
    return list(by_key.values())


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
    assigned = {org_key(f.value) for f in filled.values() if f.value}
    unassigned = [p for p in named_parties(decisions) if p.key not in assigned]

    for spec in party_specs:
        if spec.positional and filled[spec.name].is_tbd and unassigned:
            filled[spec.name] = _from_named(spec, unassigned.pop(0))

    empty_roles = [s for s in party_specs if filled[s.name].is_tbd]
    if len(empty_roles) == 1 and len(unassigned) == 1:
        # Every other role is known and exactly one named party is left: it can only be this one.
        filled[empty_roles[0].name] = _from_named(empty_roles[0], unassigned.pop(0))

    for spec in template.fields:
        if spec.collects_unassigned_parties:
            filled[spec.name] = _unassigned_list(spec, unassigned)
    return filled


def _unassigned_list(spec: FieldSpec, unassigned: list[NamedParty]) -> DraftField:
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
