"""Choosing which contract types a meeting's decisions call for, with the reason naming the decisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from bridge_pipeline.drafting.templates import load_template
from bridge_pipeline.extraction.vocabulary import CONTRACT_NAMED_AS_VALUE, CONTRACT_NAMED_IN_TEXT, CONTRACT_TYPES
from bridge_pipeline.models import ContractType, Decision


@dataclass(frozen=True)
class TypeChoice:
    contract_type: ContractType
    reason: str
    decision_ids: tuple[str, ...]


def recognised_type(value: str) -> str | None:
    """'nda', 'Statement of Work', 'MoU' -> the contract type code; None for types we do not draft."""
    words = " ".join(value.replace(".", " ").split())
    return next((code for code, pattern in CONTRACT_NAMED_AS_VALUE.items() if pattern.fullmatch(words)), None)


def decision_scope(decision: Decision) -> frozenset[str]:
    """Contract types a decision is explicitly about (topic, contract_type term, or named in its text)."""
    scope = {code for code, pattern in CONTRACT_NAMED_IN_TEXT.items() if pattern.search(decision.text)}
    if decision.topic.upper() in CONTRACT_TYPES:
        scope.add(decision.topic.upper())
    requested = recognised_type(decision.terms.get("contract_type") or "")
    if requested:
        scope.add(requested)
    return frozenset(scope)


def applies_to_type(decision: Decision, contract_type: str) -> bool:
    """False only for a decision that is explicitly about other contract types and not this one."""
    scope = decision_scope(decision)
    return not scope or contract_type in scope


def _explicit_requests(decisions: Sequence[Decision]) -> dict[str, list[str]]:
    requested: dict[str, list[str]] = {}
    for decision in decisions:
        value = decision.terms.get("contract_type")
        code = recognised_type(value) if value else None
        if code is not None:
            requested.setdefault(code, []).append(decision.decision_id)
    return requested


def _evidence_for(contract_type: str, decisions: Sequence[Decision]) -> dict[str, list[str]] | None:
    """Decision id -> evidence terms it states, when every evidence group of the type is met; else None."""
    groups = load_template(contract_type).evidence
    stated: dict[str, list[str]] = {}
    for group in groups:
        # A decision about another contract ("the MoU's confidentiality period") is no evidence for this one.
        hits = [
            (d.decision_id, key)
            for d in decisions
            if applies_to_type(d, contract_type)
            for key in group
            if (d.terms.get(key) or "").strip()
        ]
        if not hits:
            return None
        for decision_id, key in hits:
            keys = stated.setdefault(decision_id, [])
            if key not in keys:
                keys.append(key)
    return stated


def _describe(stated: dict[str, list[str]]) -> str:
    return ", ".join(f"{decision_id} ({', '.join(keys)})" for decision_id, keys in stated.items())


def evidenced_types(decisions: Sequence[Decision]) -> dict[str, dict[str, list[str]]]:
    """Every contract type whose evidence terms the decisions state, in CONTRACT_TYPES order."""
    found = {}
    for contract_type in CONTRACT_TYPES:
        stated = _evidence_for(contract_type, decisions)
        if stated:
            found[contract_type] = stated
    return found


# Beside a contract the meeting names, an unnamed one needs more than one agreed term: a stray uptime figure
# in an NDA call is not an SLA, fees with milestones and deliverables in an SLA call are a SOW.
_BESIDE_A_NAMED_TYPE = 2


def _distinct_keys(stated: dict[str, list[str]]) -> int:
    return len({key for keys in stated.values() for key in keys})


def choose_contract_types(decisions: Sequence[Decision]) -> list[TypeChoice]:
    """Every type the decisions name, and every type whose agreed terms they state without naming it
    (a call that names the SLA and agrees fees, work and milestones also gets its SOW)."""
    requested = _explicit_requests(decisions)
    evidenced = evidenced_types(decisions)
    choices = []
    for code in CONTRACT_TYPES:
        if ids := requested.get(code):
            choices.append(
                TypeChoice(contract_type=code, reason=f"{code} named as the contract type in {', '.join(ids)}.",
                           decision_ids=tuple(ids))
            )
        elif (stated := evidenced.get(code)) and (not requested or _distinct_keys(stated) >= _BESIDE_A_NAMED_TYPE):
            choices.append(
                TypeChoice(
                    contract_type=code,
                    reason=f"{code}: no decision names it as the contract type, and these decisions state {code} "
                    f"terms: {_describe(stated)}.",
                    decision_ids=tuple(stated),
                )
            )
    return choices


def no_agreement_reason(decisions: Sequence[Decision]) -> str:
    """What was looked for and not found, for a meeting that yields no draft."""
    if not decisions:
        return (
            "No draft: the meeting produced no decisions, so there was no contract type, party, term or "
            "amount to draft from."
        )
    looked_for = "; ".join(
        f"{code} needs " + " and ".join("one of " + ", ".join(group) for group in load_template(code).evidence)
        for code in CONTRACT_TYPES
    )
    topics = sorted({d.topic for d in decisions})
    reason = (
        f"No draft: none of the {len(decisions)} decisions names a contract type (contract_type term), and "
        f"none states the terms that point to one ({looked_for}). Topics seen: {', '.join(topics)}."
    )
    unknown = [
        f"{d.decision_id} asked for {d.terms['contract_type']!r}"
        for d in decisions
        if d.terms.get("contract_type") and recognised_type(d.terms["contract_type"]) is None
    ]
    if unknown:
        reason += f" Contract types we do not draft: {'; '.join(unknown)}."
    return reason
