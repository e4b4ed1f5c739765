"""Deterministic QA of contract drafts: registered rules, each with an id, severity and title."""

from bridge_pipeline.qa.runner import RULES, RuleInfo, blocking, rules_markdown, run_qa

__all__ = ["RULES", "RuleInfo", "blocking", "rules_markdown", "run_qa"]
