"""Running every QA rule that applies to a draft and returning the findings in a stable order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from bridge_pipeline.drafting.templates import load_template
from bridge_pipeline.errors import BadInputError
from bridge_pipeline.models import ContractDraft, ContractType, Decision, MeetingDecisions, MeetingInfo, QAFinding, Severity
from bridge_pipeline.qa.context import QAContext
from bridge_pipeline.qa.registry import registered_rules

_SEVERITY_ORDER = {"blocking": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class RuleInfo:
    """A rule as documentation and the UI list it."""

    rule_id: str
    severity: Severity
    title: str
    applies_to: tuple[ContractType, ...]


RULES: tuple[RuleInfo, ...] = tuple(
    RuleInfo(r.rule_id, r.severity, r.title, r.applies_to) for r in registered_rules()
)


def run_qa(
    draft: ContractDraft,
    decisions: MeetingDecisions,
    meeting: MeetingInfo,
    *,
    low_confidence_threshold: float = 0.6,
    earlier_decisions: Sequence[Decision] = (),
) -> list[QAFinding]:
    """Findings of every applicable rule: blocking first, then warnings, then info; stable within each.

    `earlier_decisions` are the decisions of earlier meetings of the deal that a later version of a draft
    carries forward; rules resolve the fields' provenance against them too.
    """
    if decisions.meeting_id != draft.meeting_id:
        raise BadInputError(draft.draft_id, f"QA given decisions of meeting {decisions.meeting_id}")
    ctx = QAContext.build(
        draft,
        decisions.decisions,
        meeting,
        load_template(draft.contract_type),
        low_confidence_threshold,
        earlier_decisions,
    )
    findings = []
    for rule in registered_rules():
        if not rule.applies(draft.contract_type):
            continue
        for issue in rule.check(ctx):
            findings.append(
                QAFinding(
                    rule_id=rule.rule_id,
                    severity=rule.severity,
                    meeting_id=draft.meeting_id,
                    draft_id=draft.draft_id,
                    field=issue.field,
                    message=issue.message,
                    citation=issue.citation,
                )
            )
    return sorted(findings, key=lambda f: (_SEVERITY_ORDER[f.severity], f.rule_id, f.field or "", f.message))


def blocking(findings: list[QAFinding]) -> list[QAFinding]:
    return [f for f in findings if f.severity == "blocking"]


def rules_markdown() -> str:
    """The rule list as a Markdown table, for the docs and the Dagster UI."""
    rows = ["| id | severity | applies to | rule |", "|---|---|---|---|"]
    rows += [f"| {r.rule_id} | {r.severity} | {', '.join(r.applies_to) or 'all'} | {r.title} |" for r in RULES]
    return "\n".join(rows)
