"""Scores extracted decisions against reference labels (a meeting's tldr.json: decisions and action items with times).

A reference item counts as found when a predicted decision or action item cites a span within the
time window of the reference's timestamp and shares key terms with it. Citation accuracy asks only
the first half: does a prediction cite a moment where the reference says something was decided or
assigned? The looser "any label" variant also accepts the reference's highlights and targets, which
mark the other moments its authors found worth noting. Timestamps in the reference and citation
times are both seconds from the start of the recording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bridge_pipeline.errors import BadInputError
from bridge_pipeline.models import Citation, Decision, MeetingDecisions

DEFAULT_WINDOW_S = 120.0
DEFAULT_MIN_SHARED_TERMS = 1

_TOKEN = re.compile(r"[a-z0-9]+")
# Function words and the small talk of meetings; what is left carries the subject of a decision.
_STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being below between
    both but by can could did do does doing done down during each few for from further had has have having he her
    here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or
    other our ours out over own same she should so some such than that the their them then there these they this
    those through to too under until up very was we were what when where which while who whom why will with would
    you your yours yeah yes okay ok like think know going want get got gonna kind sort really right well maybe
    thing things something anything everyone people guys one two lot let us make sure need just still actually
    basically probably see say said go way much many via per""".split()
)


@dataclass(frozen=True)
class ReferenceItem:
    kind: Literal["decision", "action_item"]
    timestamp_s: float
    text: str
    owner: str | None = None


@dataclass(frozen=True)
class MeetingScore:
    """Counts for one meeting (or, from aggregate(), for many); the rates are derived from them."""

    meeting_id: str
    reference_decisions: int
    reference_actions: int
    found_decisions: int
    found_actions: int
    predictions: int
    correct_predictions: int
    well_cited_predictions: int
    labelled_moment_predictions: int = 0
    """Predictions citing within the window of any timestamp in the reference, highlights and targets included."""

    @property
    def references(self) -> int:
        return self.reference_decisions + self.reference_actions

    @property
    def recall(self) -> float:
        return _rate(self.found_decisions + self.found_actions, self.references)

    @property
    def decision_recall(self) -> float:
        return _rate(self.found_decisions, self.reference_decisions)

    @property
    def action_recall(self) -> float:
        return _rate(self.found_actions, self.reference_actions)

    @property
    def precision(self) -> float:
        return _rate(self.correct_predictions, self.predictions)

    @property
    def citation_accuracy(self) -> float:
        return _rate(self.well_cited_predictions, self.predictions)

    @property
    def citation_accuracy_any_label(self) -> float:
        return _rate(self.labelled_moment_predictions, self.predictions)


def reference_items(reference: Mapping[str, Any]) -> list[ReferenceItem]:
    """The decisions and action items of a tldr.json document, in file order."""
    items: list[ReferenceItem] = []
    for entry in reference.get("decisions", []):
        items.append(ReferenceItem(kind="decision", timestamp_s=parse_timestamp(entry["timestamp"]), text=entry["decision"]))
    for entry in reference.get("action_items", []):
        items.append(
            ReferenceItem(
                kind="action_item", timestamp_s=parse_timestamp(entry["timestamp"]), text=entry["action"],
                owner=entry.get("owner"),
            )
        )
    return items


def labelled_moments(reference: Mapping[str, Any]) -> list[float]:
    """Every timestamp in a tldr.json document: decisions, action items, highlights and targets."""
    moments = [item.timestamp_s for item in reference_items(reference)]
    for group in (reference.get("highlights") or {}).values():
        moments.extend(parse_timestamp(entry["timestamp"]) for entry in group)
    moments.extend(parse_timestamp(entry["timestamp"]) for entry in reference.get("targets") or [])
    return moments


def parse_timestamp(text: str) -> float:
    """'00:51:20' or '51:20' as seconds."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(p.replace(".", "", 1).isdigit() for p in parts):
        raise BadInputError(location="reference timestamp", problem=f"{text!r} is not HH:MM:SS")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def key_terms(text: str) -> frozenset[str]:
    """Lower-case content words of text, lightly stemmed so 'merged' meets 'merge' and 'devnets' 'devnet'."""
    terms = set()
    for token in _TOKEN.findall(text.lower()):
        if token in _STOPWORDS or (len(token) < 3 and not token.isdigit()):
            continue
        terms.add(_stem(token))
    return frozenset(terms)


def _stem(token: str) -> str:
    if token.isdigit() or len(token) <= 4:
        return token
    for suffix in ("ing", "ed", "es", "s"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def score_meeting(
    predictions: MeetingDecisions,
    reference: Mapping[str, Any],
    *,
    window_s: float = DEFAULT_WINDOW_S,
    min_shared_terms: int = DEFAULT_MIN_SHARED_TERMS,
) -> MeetingScore:
    """How well one meeting's predictions find and cite its reference decisions and action items."""
    items = reference_items(reference)
    decisions = predictions.decisions
    prediction_terms = [_decision_terms(d) for d in decisions]

    def matches(decision_index: int, item: ReferenceItem) -> bool:
        decision = decisions[decision_index]
        if not _cites_near(decision.citations, item.timestamp_s, window_s):
            return False
        wanted = key_terms(item.text)
        needed = min(min_shared_terms, len(wanted))
        return len(wanted & prediction_terms[decision_index]) >= needed

    found = [any(matches(i, item) for i in range(len(decisions))) for item in items]
    correct = sum(1 for i in range(len(decisions)) if any(matches(i, item) for item in items))
    well_cited = sum(
        1 for d in decisions if any(_cites_near(d.citations, item.timestamp_s, window_s) for item in items)
    )
    moments = labelled_moments(reference)
    near_label = sum(1 for d in decisions if any(_cites_near(d.citations, moment, window_s) for moment in moments))
    return MeetingScore(
        meeting_id=predictions.meeting_id,
        reference_decisions=sum(1 for item in items if item.kind == "decision"),
        reference_actions=sum(1 for item in items if item.kind == "action_item"),
        found_decisions=sum(1 for item, hit in zip(items, found) if hit and item.kind == "decision"),
        found_actions=sum(1 for item, hit in zip(items, found) if hit and item.kind == "action_item"),
        predictions=len(decisions),
        correct_predictions=correct,
        well_cited_predictions=well_cited,
        labelled_moment_predictions=near_label,
    )


def aggregate(scores: Iterable[MeetingScore], label: str = "all") -> MeetingScore:
    """The counts of several meetings added up, so the rates weigh every reference item equally."""
    scores = list(scores)
    return MeetingScore(
        meeting_id=label,
        reference_decisions=sum(s.reference_decisions for s in scores),
        reference_actions=sum(s.reference_actions for s in scores),
        found_decisions=sum(s.found_decisions for s in scores),
        found_actions=sum(s.found_actions for s in scores),
        predictions=sum(s.predictions for s in scores),
        correct_predictions=sum(s.correct_predictions for s in scores),
        well_cited_predictions=sum(s.well_cited_predictions for s in scores),
        labelled_moment_predictions=sum(s.labelled_moment_predictions for s in scores),
    )


def aggregate_by_series(scores: Iterable[MeetingScore]) -> dict[str, MeetingScore]:
    """Aggregates per meeting series: the meeting id up to its first '_' ('acdt_2026-03-02_072' -> 'acdt')."""
    groups: dict[str, list[MeetingScore]] = {}
    for score in scores:
        groups.setdefault(score.meeting_id.split("_", 1)[0], []).append(score)
    return {series: aggregate(group, label=series) for series, group in sorted(groups.items())}


def _decision_terms(decision: Decision) -> frozenset[str]:
    return key_terms(" ".join([decision.text, *(c.quote for c in decision.citations)]))


def _cites_near(citations: Iterable[Citation], timestamp_s: float, window_s: float) -> bool:
    for citation in citations:
        distance = 0.0 if citation.start_s <= timestamp_s <= citation.end_s else min(
            abs(citation.start_s - timestamp_s), abs(citation.end_s - timestamp_s)
        )
        if distance <= window_s:
            return True
    return False


def _rate(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0
