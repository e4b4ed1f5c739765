"""Figures said again to accept them: "Then ninety-nine point nine it is." names no term, yet settles one.

A sentence that agrees and repeats a figure proposed a little earlier for a term states that term's
value again; the earlier proposal tells which term it is. Only figures count (a percentage, an amount),
each matched to the one term it was last proposed for.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bridge_pipeline.extraction.terms import Fact

# How many utterances back a proposal can be and still be what a figure repeats.
ECHO_WINDOW = 20
_FIGURE = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.]*\d)")


def _figure(text: str) -> Decimal | None:
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


def _fact_figure(fact: Fact) -> Decimal | None:
    if fact.amount is not None:
        return fact.amount.value.normalize()
    return _figure(fact.value) if _FIGURE.fullmatch(fact.value) else None


class ProposedFigures:
    """The figures recently proposed for terms, by value, with where they were said."""

    def __init__(self) -> None:
        self._by_figure: dict[Decimal, tuple[int, Fact]] = {}

    def remember(self, facts: tuple[Fact, ...], position: int) -> None:
        for fact in facts:
            figure = _fact_figure(fact)
            if figure is not None:
                self._by_figure[figure] = (position, fact)

    def repeated_in(self, sentence: str, position: int) -> tuple[Fact, ...]:
        """The facts whose figures the sentence says again; empty unless each figure it says is one of them."""
        figures = [f for f in (_figure(m.group(0)) for m in _FIGURE.finditer(sentence)) if f is not None]
        found: list[Fact] = []
        for figure in figures:
            said = self._by_figure.get(figure)
            if said is None or position - said[0] > ECHO_WINDOW:
                return ()
            found.append(said[1])
        return tuple(found)
