"""PDF export of a RenderDocument with reportlab: embedded DejaVu Sans, watermark on every page, "Page X of Y".

Output is byte-identical for the same document: reportlab runs in invariant mode and the PDF dates
are the document's issue date, never the clock. (reportlab also reads SOURCE_DATE_EPOCH into the
file id, so a run with that variable set produces different, but again stable, bytes.)
"""

from __future__ import annotations

import functools
import io
from typing import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from bridge_pipeline.rendering.document import AUTHOR, ChangePiece, RenderDocument
from bridge_pipeline.rendering.fonts import register_fonts
from bridge_pipeline.rendering.pdf_cells import CellStyle, SplitTable, paragraph_markup, text_table

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.HexColor("#1f2328")
MUTED = colors.HexColor("#57606a")
RULE = colors.HexColor("#b6bcc4")
HEADER_FILL = colors.HexColor("#e8ebef")
TBD_FILL = colors.HexColor("#fff3cd")
TBD_INK = colors.HexColor("#9a3412")
SEVERITY_INK = {"blocking": colors.HexColor("#b42318"), "warning": colors.HexColor("#9a6700"), "info": MUTED}
REMOVED_INK = "#b42318"
ADDED_INK = "#1a7f37"
COUNSEL_INK = colors.HexColor("#0b4f8a")
# Ink and fill of the review line under the title, by review status.
REVIEW_LOOK = {
    "approved": (colors.HexColor(ADDED_INK), colors.HexColor("#dafbe1")),
    "changes_requested": (TBD_INK, TBD_FILL),
}


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13, textColor=INK, spaceAfter=5)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=bold, fontSize=19, leading=24, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=body, textColor=MUTED, fontSize=10.5, spaceAfter=10),
        "h1": ParagraphStyle(
            "h1", parent=body, fontName=bold, fontSize=13, leading=17, spaceBefore=12, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=bold, fontSize=10.5, leading=14, spaceBefore=7, spaceAfter=3, keepWithNext=1
        ),
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontSize=8.5, leading=11, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=bold, fontSize=8.5, leading=11, spaceAfter=0),
        "cell_small": ParagraphStyle("cell_small", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED, spaceAfter=0),
    }


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(paragraph_markup(text), _styles()[style])


def _h1(text: str) -> list[Flowable]:
    # A page break when little room is left, so a heading never ends a page; keepWithNext would instead
    # push a whole long table (and the heading) to the next page, leaving a half-empty one behind.
    return [CondPageBreak(35 * mm), _p(text, "h1")]


@functools.cache
def _cell_styles() -> dict[str, CellStyle]:
    regular, bold = register_fonts()
    return {
        "text": CellStyle(regular, 8.5, 11, INK),
        "bold": CellStyle(bold, 8.5, 11, INK),
        "small": CellStyle(regular, 7.5, 9.5, INK),
        "small_bold": CellStyle(bold, 7.5, 9.5, INK),
        "tbd": CellStyle(bold, 8.5, 11, TBD_INK),
        "open_point": CellStyle(bold, 9, 12, TBD_INK),
        "counsel": CellStyle(bold, 7.5, 9.5, COUNSEL_INK),
        "counsel_value": CellStyle(regular, 7.5, 9.5, COUNSEL_INK),
        **{f"review_{status}": CellStyle(bold, 10, 13, ink) for status, (ink, _) in REVIEW_LOOK.items()},
        **{f"severity_{name}": CellStyle(bold, 8.5, 11, ink) for name, ink in SEVERITY_INK.items()},
    }


_GRID_LINES = [
    ("GRID", (0, 0), (-1, -1), 0.4, RULE),
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]


def _widths(*fractions: float) -> list[float]:
    return [f * CONTENT_WIDTH for f in fractions]


def _meta_table(doc: RenderDocument) -> Table:
    styles = _cell_styles()
    return text_table(
        [(r.label, r.value) for r in doc.meta_rows],
        _widths(0.24, 0.76),
        [styles["bold"], styles["text"]],
        commands=[
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
        ],
    )


def _review_box(doc: RenderDocument) -> list[Flowable]:
    """The review line under the title, boxed in the colour of its status; nothing before review."""
    line = doc.review_line
    if line is None:
        return []
    ink, fill = REVIEW_LOOK[line.status]
    box = text_table(
        [(line.text,)],
        [CONTENT_WIDTH],
        [_cell_styles()[f"review_{line.status}"]],
        commands=[
            ("BACKGROUND", (0, 0), (-1, -1), fill),
            ("BOX", (0, 0), (-1, -1), 0.8, ink),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ],
    )
    return [box, Spacer(1, 8)]


def _open_points_box(doc: RenderDocument) -> Table:
    return text_table(
        [(f"• {point}",) for point in doc.open_points],
        [CONTENT_WIDTH],
        [_cell_styles()["open_point"]],
        commands=[
            ("BACKGROUND", (0, 0), (-1, -1), TBD_FILL),
            ("BOX", (0, 0), (-1, -1), 0.8, TBD_INK),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ],
    )


def _cover_table(doc: RenderDocument) -> Table:
    styles = _cell_styles()
    rows = [("Field", "Value", "Source")]
    overrides, shading = {}, []
    for index, row in enumerate(doc.cover_rows, start=1):
        rows.append((row.label + (" *" if row.required else ""), row.value, row.source))
        if row.set_by_counsel:
            overrides[(2, index)] = styles["counsel"]
        if row.is_tbd:
            overrides[(1, index)] = styles["tbd"]
            shading.append(("BACKGROUND", (0, index), (-1, index), TBD_FILL))
    return text_table(
        rows,
        _widths(0.26, 0.36, 0.38),
        [styles["bold"], styles["text"], styles["small"]],
        header_style=styles["bold"],
        overrides=overrides,
        commands=_GRID_LINES + shading,
    )


def _qa_table(doc: RenderDocument) -> Table:
    styles = _cell_styles()
    rows = [("Severity", "Rule", "Message")]
    overrides = {}
    for index, row in enumerate(doc.qa_rows or (), start=1):
        rows.append((row.severity, row.rule_id, row.message))
        overrides[(0, index)] = styles.get(f"severity_{row.severity}", styles["bold"])
    return text_table(
        rows,
        _widths(0.14, 0.12, 0.74),
        [styles["bold"], styles["text"], styles["text"]],
        header_style=styles["bold"],
        overrides=overrides,
        commands=_GRID_LINES,
    )


def _pieces_markup(pieces: Sequence[ChangePiece], *, added: bool) -> str:
    """Changed pieces struck through in red (earlier version) or underlined in green (this version)."""
    parts = []
    for piece in pieces:
        text = paragraph_markup(piece.text)
        if piece.changed and added:
            text = f'<u><font color="{ADDED_INK}">{text}</font></u>'
        elif piece.changed:
            text = f'<strike><font color="{REMOVED_INK}">{text}</font></strike>'
        parts.append(text)
    return "; ".join(parts)


def _redline_table(doc: RenderDocument) -> Table:
    # Paragraph cells (not pre-wrapped text) because strike-through and underline are inline markup;
    # a redline has a handful of rows, so their layout cost does not matter.
    redline = doc.redline
    styles = _styles()
    header = [
        Paragraph(paragraph_markup(text), styles["cell_bold"])
        for text in ("Field", redline.before_label, redline.after_label, "Cited before", "Cited now")
    ]
    rows = [header]
    for row in redline.rows:
        rows.append(
            [
                Paragraph(paragraph_markup(row.label), styles["cell_bold"]),
                Paragraph(_pieces_markup(row.before, added=False), styles["cell"]),
                Paragraph(_pieces_markup(row.after, added=True), styles["cell"]),
                Paragraph(paragraph_markup(row.before_source), styles["cell_small"]),
                Paragraph(paragraph_markup(row.after_source), styles["cell_small"]),
            ]
        )
    table = SplitTable(rows, colWidths=_widths(0.15, 0.235, 0.235, 0.19, 0.19), repeatRows=1, hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_GRID_LINES]))
    return table


def _redline_story(doc: RenderDocument) -> list[Flowable]:
    redline = doc.redline
    if redline is None:
        return []
    story: list[Flowable] = [*_h1(redline.heading), _p(redline.note, "body")]
    if redline.rows:
        legend = (
            f'<strike><font color="{REMOVED_INK}">Struck through</font></strike>: only in the earlier version. '
            f'<u><font color="{ADDED_INK}">Underlined</font></u>: new in this version.'
        )
        story += [_redline_table(doc), Spacer(1, 3), Paragraph(legend, _styles()["note"])]
    return story


def _provenance_table(doc: RenderDocument) -> Table:
    styles = _cell_styles()
    if doc.provenance_names_meetings:
        rows = [("Item", "Value", "Meeting", "Decision", "Speaker", "Time", "Quote")]
        rows += [
            (r.item, r.value, r.meeting, r.decision_id, r.speaker, r.time, f"“{r.quote}”") for r in doc.provenance_rows
        ]
        return text_table(
            rows,
            _widths(0.14, 0.16, 0.16, 0.09, 0.12, 0.09, 0.24),  # Decision and Time as wide as without a Meeting column
            [styles["small"]] * 7,
            header_style=styles["small_bold"],
            commands=_GRID_LINES,
        )
    rows = [("Item", "Value", "Decision", "Speaker", "Time", "Quote")]
    rows += [(r.item, r.value, r.decision_id, r.speaker, r.time, f"“{r.quote}”") for r in doc.provenance_rows]
    return text_table(
        rows,
        _widths(0.17, 0.19, 0.09, 0.14, 0.09, 0.32),
        [styles["small"]] * 6,
        header_style=styles["small_bold"],
        commands=_GRID_LINES,
    )


def _counsel_story(doc: RenderDocument) -> list[Flowable]:
    """The values counsel set, as the first part of the provenance appendix; nothing before review."""
    if not doc.counsel_rows:
        return []
    styles = _cell_styles()
    rows = [("Field", "Value", "Set by counsel", "On", "Note", "Drafted value")]
    rows += [(r.label, r.value, r.reviewer, r.reviewed_on, r.note, r.drafted_value) for r in doc.counsel_rows]
    table = text_table(
        rows,
        _widths(0.15, 0.17, 0.15, 0.12, 0.25, 0.16),
        [styles["small"], styles["counsel_value"], styles["small"], styles["small"], styles["small"], styles["small"]],
        header_style=styles["small_bold"],
        commands=_GRID_LINES,
    )
    heading, then = _p("Set by counsel at review", "h2"), _p("Cited from the transcripts", "h2")
    return [heading, _p(doc.counsel_note, "note"), table, then]


def _story(doc: RenderDocument) -> list[Flowable]:
    story: list[Flowable] = [_p(doc.title, "title"), _p(doc.subtitle, "subtitle"), *_review_box(doc), _meta_table(doc)]
    story += _redline_story(doc)
    if doc.open_points:
        story += [*_h1("Open points (TBD)"), _open_points_box(doc)]
    if doc.cover_rows:
        story += [*_h1("Cover page"), _cover_table(doc), Spacer(1, 3), _p("* required field", "note")]
    story += _h1(doc.body_heading)
    for section in doc.sections:
        story.append(_p(section.title, "h2"))
        story += [_p(paragraph, "body") for paragraph in section.paragraphs]
    if doc.qa_rows is not None:
        story += _h1("Review findings (QA)")
        story.append(_qa_table(doc) if doc.qa_rows else _p("No findings.", "body"))
    story += _h1("Appendix A: Provenance")
    story += _counsel_story(doc)
    if doc.provenance_note:
        story.append(_p(doc.provenance_note, "note"))
    story.append(_provenance_table(doc) if doc.provenance_rows else _p("No transcript citations.", "body"))
    return story


def _draw_header(doc: RenderDocument, canvas: Canvas, _template: BaseDocTemplate) -> None:
    _, bold = register_fonts()
    canvas.saveState()
    canvas.setFont(bold, 8.5)
    canvas.setFillColor(TBD_INK)
    top = PAGE_HEIGHT - 13 * mm
    canvas.drawCentredString(PAGE_WIDTH / 2, top, doc.watermark)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, top - 3 * mm, PAGE_WIDTH - MARGIN_X, top - 3 * mm)
    canvas.restoreState()


def _draw_diagonal_watermark(doc: RenderDocument, canvas: Canvas, _template: BaseDocTemplate) -> None:
    # Drawn after the page content, translucent, so table shading cannot hide it.
    _, bold = register_fonts()
    diagonal = (PAGE_WIDTH**2 + PAGE_HEIGHT**2) ** 0.5
    size = min(30.0, 0.8 * diagonal / max(canvas.stringWidth(doc.watermark, bold, 1), 1))
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.55, 0.55, 0.55))
    canvas.setFillAlpha(0.16)
    canvas.setFont(bold, size)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(54.7)  # the A4 diagonal
    canvas.drawCentredString(0, -size / 3, doc.watermark)
    canvas.restoreState()


def _numbered_canvas(doc: RenderDocument) -> type[Canvas]:
    """A canvas that holds every page until the end, so each footer can say 'Page X of Y'."""
    pdf_date = f"D:{doc.issued_on:%Y%m%d}000000+00'00'"
    footer_left = f"{AUTHOR} · {doc.document_id}"

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.setDateFormatter(lambda *_: pdf_date)
            self._held_pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            regular, _ = register_fonts()
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                self.saveState()
                self.setFont(regular, 8)
                self.setFillColor(MUTED)
                self.drawString(MARGIN_X, 10 * mm, footer_left)
                self.drawRightString(PAGE_WIDTH - MARGIN_X, 10 * mm, f"Page {number} of {total}")
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pdf(doc: RenderDocument) -> bytes:
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=doc.title,
        author=AUTHOR,
        subject=doc.watermark,
        creator=AUTHOR,
        producer=AUTHOR,
        keywords=doc.document_id,
        invariant=1,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, id="body")
    template.addPageTemplates(
        [
            PageTemplate(
                id="page",
                frames=[frame],
                onPage=functools.partial(_draw_header, doc),
                onPageEnd=functools.partial(_draw_diagonal_watermark, doc),
            )
        ]
    )
    template.build(_story(doc), canvasmaker=_numbered_canvas(doc))
    return buffer.getvalue()
