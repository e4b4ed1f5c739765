"""Builds model answers (the JSON the fake returns) in a few words per item."""

from __future__ import annotations

from typing import Any


def term(key: str, value: str, status: str = "agreed", accepted_in: list[int] = ()) -> dict[str, Any]:
    return {"key": key, "value": value, "status": status, "accepted_in": list(accepted_in)}


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
    terms: dict[str, str] | list[dict[str, Any]] | None = None,
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
        # A plain {key: value} is agreed, its acceptance left to the cited utterances; term() says more.
        "terms": [term(k, v) for k, v in terms.items()] if isinstance(terms, dict) else list(terms or ()),
        "utterances": utterances,
        "confidence": confidence,
    }


def answer(*items: dict[str, Any]) -> dict[str, Any]:
    return {"items": list(items)}
