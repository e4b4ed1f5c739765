"""Builds model answers (the JSON the fake returns) in a few words per item."""

from __future__ import annotations

from typing import Any


def item(
    text: str,
    utterances: list[int],
    *,
    kind: str = "decision",
    topic: str = "general",
    owner: str | None = None,
    due: tuple[str, str] | None = None,
    amounts: list[tuple[str, str, str]] = (),
    parties: list[str] = (),
    terms: dict[str, str] | None = None,
    confidence: float = 0.8,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "text": text,
        "topic": topic,
        "owner": owner,
        "due_date": {"value": due[0], "text": due[1]} if due else None,
        "amounts": [{"value": v, "currency": c, "text": t} for v, c, t in amounts],
        "parties": list(parties),
        "terms": [{"key": k, "value": v} for k, v in (terms or {}).items()],
        "utterances": utterances,
        "confidence": confidence,
    }


def answer(*items: dict[str, Any]) -> dict[str, Any]:
    return {"items": list(items)}
