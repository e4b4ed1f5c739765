"""What changed between two versions of a draft: the clause text, word by word, as deleted and inserted runs."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bridge_pipeline.models import Clause

# Words and the whitespace between them, so a diff never splits a word and keeps the spacing it had.
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    kind: Literal["same", "del", "ins"]
    text: str


@dataclass(frozen=True)
class ClauseChange:
    number: str
    heading: str
    kind: Literal["changed", "added", "removed"]
    segments: tuple[Segment, ...]
    heading_before: str | None = None  # set when the heading itself changed


def text_diff(before: str, after: str) -> tuple[Segment, ...]:
    """`before` turned into `after` as runs of kept, deleted and inserted text."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    segments: list[Segment] = []

    def add(kind: Literal["same", "del", "ins"], tokens: Sequence[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(kind, segments[-1].text + text)
        else:
            segments.append(Segment(kind, text))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            add("same", old[i1:i2])
        else:
            add("del", old[i1:i2])
            add("ins", new[j1:j2])
    return tuple(segments)


def clause_changes(before: Sequence[Clause], after: Sequence[Clause]) -> list[ClauseChange]:
    """Clauses whose heading or text differ, in the later version's order, then clauses it no longer has."""
    earlier = {c.number: c for c in before}
    later_numbers = {c.number for c in after}
    changes = []
    for clause in after:
        old = earlier.get(clause.number)
        if old is None:
            changes.append(ClauseChange(clause.number, clause.heading, "added", (Segment("ins", clause.body),)))
        elif (old.heading, old.body) != (clause.heading, clause.body):
            changes.append(
                ClauseChange(
                    clause.number,
                    clause.heading,
                    "changed",
                    text_diff(old.body, clause.body),
                    heading_before=old.heading if old.heading != clause.heading else None,
                )
            )
    for clause in before:
        if clause.number not in later_numbers:
            changes.append(ClauseChange(clause.number, clause.heading, "removed", (Segment("del", clause.body),)))
    return changes
