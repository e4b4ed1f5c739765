"""The QA rule registry: each rule is a small function registered with an id, severity and title."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from bridge_pipeline.models import Citation, ContractType, Severity

if TYPE_CHECKING:
    from bridge_pipeline.qa.context import QAContext


@dataclass(frozen=True)
class Issue:
    """What a rule reports; the runner adds rule id, severity, meeting and draft."""

    message: str
    field: str | None = None
    citation: Citation | None = None


RuleCheck = Callable[["QAContext"], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: Severity
    title: str
    applies_to: tuple[ContractType, ...]
    """Contract types the rule checks; empty means every type."""
    check: RuleCheck

    def applies(self, contract_type: str) -> bool:
        return not self.applies_to or contract_type in self.applies_to


_REGISTRY: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: Severity, title: str, applies_to: tuple[ContractType, ...] = ()
) -> Callable[[RuleCheck], RuleCheck]:
    """Register the decorated check under `rule_id`; ids must be unique."""

    def register(check: RuleCheck) -> RuleCheck:
        if rule_id in _REGISTRY:
            raise ValueError(f"QA rule id {rule_id} registered twice")
        _REGISTRY[rule_id] = Rule(rule_id, severity, title, applies_to, check)
        return check

    return register


def registered_rules() -> tuple[Rule, ...]:
    """Every rule, ordered by id, after the rule families have been imported."""
    import bridge_pipeline.qa.rules  # noqa: F401  (importing the package registers the families)

    return tuple(sorted(_REGISTRY.values(), key=lambda r: r.rule_id))
