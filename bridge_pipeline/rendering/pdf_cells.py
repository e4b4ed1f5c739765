"""PDF table cells as pre-wrapped plain text, which reportlab lays out several times faster than Paragraph cells.

A long draft's provenance appendix has over a thousand cells; as Paragraphs they cost most of the
PDF's render time. Plain-text cells are measured and wrapped once here, then drawn by the table
itself line by line (and still split across pages line by line). Text that needs a second font
(Chinese, Japanese, Korean) falls back to a Paragraph, which can switch fonts mid-line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from bridge_pipeline.rendering.fonts import font_runs

PADDING_X = 4.0
TALL_ROW = 180.0
"""Points (about a quarter of an A4 page): a taller row continues on the next page, a shorter one moves there whole."""


@dataclass(frozen=True)
class CellStyle:
    font: str
    size: float
    leading: float
    ink: colors.Color


@functools.lru_cache(maxsize=65536)
def _unit_width(word: str, font: str) -> float:
    return stringWidth(word, font, 1.0)


def _break_long_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces, current = [], ""
    for ch in word:
        if current and _unit_width(current + ch, font) * size > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    return pieces + [current] if current else pieces


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap of `text` (whitespace collapsed) into lines no wider than `width` points."""
    space = _unit_width(" ", font) * size
    lines: list[str] = []
    current: list[str] = []
    current_width = 0.0
    for word in text.split():
        word_width = _unit_width(word, font) * size
        if word_width > width:
            pieces = _break_long_word(word, font, size, width)
            if current:
                lines.append(" ".join(current))
            lines.extend(pieces[:-1])
            current, current_width = [pieces[-1]], _unit_width(pieces[-1], font) * size
            continue
        if current and current_width + space + word_width > width:
            lines.append(" ".join(current))
            current, current_width = [word], word_width
        else:
            current_width += (space if current else 0.0) + word_width
            current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


@functools.lru_cache(maxsize=64)
def _paragraph_style(style: CellStyle) -> ParagraphStyle:
    return ParagraphStyle(
        f"cell-{style.font}-{style.size}-{style.ink.hexval()}",
        fontName=style.font,
        fontSize=style.size,
        leading=style.leading,
        textColor=style.ink,
    )


def paragraph_markup(text: str) -> str:
    """Paragraph markup for plain text: escaped, with Chinese/Japanese/Korean runs switched to a font that has them."""
    return "".join(
        escape(piece) if font is None else f'<font name="{font}">{escape(piece)}</font>' for font, piece in font_runs(text)
    )


class SplitTable(Table):
    """A table whose rest, after a page break between rows, never starts with a sliver of a row on the same page.

    reportlab's splitInRow splits between rows, then squeezes the rest into the space left on the page by
    splitting its first row there: a second fragment, header and all, under the first, given centred
    alignment so it also shifts sideways. Here the rest moves to the next page unless its first row is tall
    (a long quote). A table's first piece still splits its first row at the page end rather than leave its
    heading alone there.
    """

    continued = False  # set on the rest of a split table

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        self._calc(availWidth, availHeight)
        parts = self._splitRows(availHeight, doInRowSplit=1) if self._tall_row_at_page_end(availHeight) else []
        parts = parts or self._splitRows(availHeight)
        if not parts and not self.continued:
            parts = self._splitRows(availHeight, doInRowSplit=1)
        for part in parts:
            part.hAlign = self.hAlign
        if len(parts) == 2:
            parts[1].continued = True
        return parts

    def _tall_row_at_page_end(self, available: float) -> bool:
        used = 0.0
        for height in self._rowHeights:
            used += height
            if used > available:
                return height > TALL_ROW
        return False


def _cell(text: str, style: CellStyle, width: float) -> str | Paragraph:
    if not text.isascii() and any(font is not None for font, _ in font_runs(text)):
        return Paragraph(paragraph_markup(text), _paragraph_style(style))
    return "\n".join(wrap_lines(text, style.font, style.size, width - 2 * PADDING_X))


def _style_commands(first: tuple[int, int], last: tuple[int, int], style: CellStyle) -> list[tuple]:
    return [
        ("FONTNAME", first, last, style.font),
        ("FONTSIZE", first, last, style.size),
        ("LEADING", first, last, style.leading),
        ("TEXTCOLOR", first, last, style.ink),
    ]


def text_table(
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    column_styles: Sequence[CellStyle],
    *,
    header_style: CellStyle | None = None,
    overrides: dict[tuple[int, int], CellStyle] | None = None,
    commands: Sequence[tuple] = (),
) -> Table:
    """A table of plain-text cells; row 0 is a header (repeated on every page) when header_style is given.

    `overrides` maps (column, row) to a style for single cells, e.g. a TBD value in bold.
    """
    overrides = overrides or {}
    data = []
    for row_index, row in enumerate(rows):
        cells = []
        for column, text in enumerate(row):
            style = overrides.get((column, row_index)) or (
                header_style if header_style is not None and row_index == 0 else column_styles[column]
            )
            cells.append(_cell(text, style, widths[column]))
        data.append(cells)
    style_commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING_X),
    ]
    for column, style in enumerate(column_styles):
        style_commands += _style_commands((column, 0), (column, -1), style)
    if header_style is not None:
        style_commands += _style_commands((0, 0), (-1, 0), header_style)
    for (column, row_index), style in sorted(overrides.items()):
        style_commands += _style_commands((column, row_index), (column, row_index), style)
    style_commands += list(commands)
    # splitInRow lets one very tall row (a long quote) continue on the next page instead of failing layout.
    table = SplitTable(
        data,
        colWidths=list(widths),
        repeatRows=1 if header_style is not None else 0,
        splitInRow=1,
        hAlign="LEFT",
    )
    table.setStyle(TableStyle(style_commands))
    return table
