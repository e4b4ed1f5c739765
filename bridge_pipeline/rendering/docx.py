"""DOCX export of a RenderDocument with python-docx: Word styles, a cover-page table, watermark header, "Page X of Y".

python-docx sets up the package, styles, header, footer and core properties; the body is written
as WordprocessingML text and put into word/document.xml when the package is re-zipped, because adding
a thousand table cells one API call at a time takes about a second, and the XML is the same either way.

The same document always gives the same bytes: core properties carry the document's issue date,
and the package is re-zipped with that date on every entry (python-docx stamps entries with the clock).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from typing import Sequence
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from bridge_pipeline.rendering.document import AUTHOR, ChangePiece, RenderDocument

WATERMARK_INK = "9A3412"
MUTED_INK = "57606A"
TBD_FILL = "FFF3CD"
HEADER_FILL = "E8EBEF"
SEVERITY_INK = {"blocking": "B42318", "warning": "9A6700"}
REMOVED_INK = "B42318"
ADDED_INK = "1A7F37"
COUNSEL_INK = "0B4F8A"
# Ink and shading of the review line under the title, by review status.
REVIEW_LOOK = {"approved": (ADDED_INK, "DAFBE1"), "changes_requested": (WATERMARK_INK, TBD_FILL)}
CONTENT_WIDTH_MM = 174.0
_TWIPS_PER_MM = 1440 / 25.4
_STYLE_NAMES = ("Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet", "Table Grid")


# --- WordprocessingML pieces ---------------------------------------------------------------------


def _run(
    text: str,
    *,
    bold: bool = False,
    size_pt: float | None = None,
    ink: str | None = None,
    strike: bool = False,
    underline: bool = False,
) -> str:
    props = ""
    if bold:
        props += "<w:b/>"
    if strike:
        props += "<w:strike/>"
    if ink:
        props += f'<w:color w:val="{ink}"/>'
    if size_pt:
        props += f'<w:sz w:val="{round(size_pt * 2)}"/><w:szCs w:val="{round(size_pt * 2)}"/>'
    if underline:
        props += '<w:u w:val="single"/>'
    run_props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{run_props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(runs: str, style_id: str | None = None) -> str:
    props = f"<w:pPr><w:pStyle w:val={quoteattr(style_id)}/></w:pPr>" if style_id else ""
    return f"<w:p>{props}{runs}</w:p>"


@functools.cache
def _style_ids() -> dict[str, str]:
    # Ids differ from display names ("Heading 1" -> "Heading1"); read them from the template once.
    styles = Document().styles
    return {name: styles[name].style_id for name in _STYLE_NAMES}


class _TableXml:
    """One table as WordprocessingML: fixed column widths, optional repeated and shaded header row."""

    def __init__(self, widths_mm: Sequence[float], *, size_pt: float | None = None, grid: bool = True):
        self.widths = [round(w * _TWIPS_PER_MM) for w in widths_mm]
        self.size_pt = size_pt
        self.grid = grid
        self.rows: list[str] = []

    def add_row(
        self,
        cells: Sequence[str],
        *,
        header: bool = False,
        bold_columns: Sequence[int] = (),
        fill: str | None = None,
        cell_ink: dict[int, str] | None = None,
    ) -> None:
        cell_ink = cell_ink or {}
        row_props = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
        shade = fill or (HEADER_FILL if header else None)
        tcs = []
        for column, (text, width) in enumerate(zip(cells, self.widths)):
            shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
            run = _run(
                text,
                bold=header or column in bold_columns or column in cell_ink,
                size_pt=self.size_pt,
                ink=cell_ink.get(column),
            )
            tcs.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr><w:p>{run}</w:p></w:tc>')
        self.rows.append(f"<w:tr>{row_props}{''.join(tcs)}</w:tr>")

    def add_run_row(self, cells: Sequence[str]) -> None:
        """A row whose cells are already runs (WordprocessingML), e.g. struck-through and underlined text."""
        tcs = [
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>{runs}</w:p></w:tc>'
            for runs, width in zip(cells, self.widths)
        ]
        self.rows.append(f"<w:tr>{''.join(tcs)}</w:tr>")

    def xml(self) -> str:
        style = f'<w:tblStyle w:val="{_style_ids()["Table Grid"]}"/>' if self.grid else ""
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in self.widths)
        props = f'<w:tblPr>{style}<w:tblW w:w="{sum(self.widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'
        return f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>{''.join(self.rows)}</w:tbl>"


def _piece_runs(pieces: Sequence[ChangePiece], *, added: bool, size_pt: float) -> str:
    runs = []
    for index, piece in enumerate(pieces):
        if index:
            runs.append(_run("; ", size_pt=size_pt))
        if piece.changed and added:
            runs.append(_run(piece.text, size_pt=size_pt, ink=ADDED_INK, underline=True))
        elif piece.changed:
            runs.append(_run(piece.text, size_pt=size_pt, ink=REMOVED_INK, strike=True))
        else:
            runs.append(_run(piece.text, size_pt=size_pt))
    return "".join(runs)


def _redline_xml(doc: RenderDocument) -> list[str]:
    redline = doc.redline
    if redline is None:
        return []
    ids = _style_ids()
    out = [_paragraph(_run(redline.heading), ids["Heading 1"]), _paragraph(_run(redline.note, size_pt=9))]
    if not redline.rows:
        return out
    size = 8.5
    table = _TableXml((28.0, 38.0, 38.0, 35.0, CONTENT_WIDTH_MM - 139.0), size_pt=size)
    table.add_row(("Field", redline.before_label, redline.after_label, "Cited before", "Cited now"), header=True)
    for row in redline.rows:
        table.add_run_row(
            (
                _run(row.label, bold=True, size_pt=size),
                _piece_runs(row.before, added=False, size_pt=size),
                _piece_runs(row.after, added=True, size_pt=size),
                _run(row.before_source, size_pt=7.5, ink=MUTED_INK),
                _run(row.after_source, size_pt=7.5, ink=MUTED_INK),
            )
        )
    out.append(table.xml())
    legend = (
        _run("Struck through", strike=True, ink=REMOVED_INK, size_pt=8)
        + _run(": only in the earlier version. ", size_pt=8)
        + _run("Underlined", underline=True, ink=ADDED_INK, size_pt=8)
        + _run(": new in this version.", size_pt=8)
    )
    out.append(_paragraph(legend))
    return out


def _review_line_xml(doc: RenderDocument) -> list[str]:
    line = doc.review_line
    if line is None:
        return []
    ink, fill = REVIEW_LOOK[line.status]
    props = f'<w:pPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/><w:spacing w:before="0" w:after="160"/></w:pPr>'
    return [f"<w:p>{props}{_run(line.text, bold=True, size_pt=11, ink=ink)}</w:p>"]


def _cover_ink(is_tbd: bool, set_by_counsel: bool) -> dict[int, str] | None:
    ink = {1: WATERMARK_INK} if is_tbd else {}
    if set_by_counsel:
        ink[2] = COUNSEL_INK
    return ink or None


def _counsel_xml(doc: RenderDocument) -> list[str]:
    """The values counsel set, as the first part of the provenance appendix; nothing before review."""
    if not doc.counsel_rows:
        return []
    ids = _style_ids()
    out = [
        _paragraph(_run("Set by counsel at review"), ids["Heading 2"]),
        _paragraph(_run(doc.counsel_note, size_pt=8.5, ink=MUTED_INK)),
    ]
    table = _TableXml((26.0, 30.0, 26.0, 18.0, CONTENT_WIDTH_MM - 126.0, 26.0), size_pt=8)
    table.add_row(("Field", "Value", "Set by counsel", "On", "Note", "Drafted value"), header=True)
    for r in doc.counsel_rows:
        table.add_row((r.label, r.value, r.reviewer, r.reviewed_on, r.note, r.drafted_value), cell_ink={1: COUNSEL_INK})
    out.append(table.xml())
    out.append(_paragraph(_run("Cited from the transcripts"), ids["Heading 2"]))
    return out


def _body_xml(doc: RenderDocument) -> list[str]:
    ids = _style_ids()
    out = [_paragraph(_run(doc.title), ids["Title"]), _paragraph(_run(doc.subtitle), ids["Subtitle"])]
    out += _review_line_xml(doc)

    meta = _TableXml((44.0, CONTENT_WIDTH_MM - 44.0))
    for row in doc.meta_rows:
        meta.add_row((row.label, row.value), bold_columns=(0,))
    out.append(meta.xml())
    out += _redline_xml(doc)

    if doc.open_points:
        out.append(_paragraph(_run("Open points (TBD)"), ids["Heading 1"]))
        out += [_paragraph(_run(p, bold=True, ink=WATERMARK_INK), ids["List Bullet"]) for p in doc.open_points]

    if doc.cover_rows:
        out.append(_paragraph(_run("Cover page"), ids["Heading 1"]))
        cover = _TableXml((46.0, 66.0, CONTENT_WIDTH_MM - 112.0))
        cover.add_row(("Field", "Value", "Source"), header=True)
        for row in doc.cover_rows:
            cover.add_row(
                (row.label + (" *" if row.required else ""), row.value, row.source),
                bold_columns=(0,),
                fill=TBD_FILL if row.is_tbd else None,
                cell_ink=_cover_ink(row.is_tbd, row.set_by_counsel),
            )
        out.append(cover.xml())
        out.append(_paragraph(_run("* required field", size_pt=8)))

    out.append(_paragraph(_run(doc.body_heading), ids["Heading 1"]))
    for section in doc.sections:
        out.append(_paragraph(_run(section.title), ids["Heading 2"]))
        out += [_paragraph(_run(text)) for text in section.paragraphs]

    if doc.qa_rows is not None:
        out.append(_paragraph(_run("Review findings (QA)"), ids["Heading 1"]))
        if doc.qa_rows:
            qa = _TableXml((24.0, 22.0, CONTENT_WIDTH_MM - 46.0))
            qa.add_row(("Severity", "Rule", "Message"), header=True)
            for row in doc.qa_rows:
                ink = SEVERITY_INK.get(row.severity, MUTED_INK)
                qa.add_row((row.severity, row.rule_id, row.message), cell_ink={0: ink})
            out.append(qa.xml())
        else:
            out.append(_paragraph(_run("No findings.")))

    out.append(_paragraph(_run("Appendix A: Provenance"), ids["Heading 1"]))
    out += _counsel_xml(doc)
    if doc.provenance_note:
        out.append(_paragraph(_run(doc.provenance_note, size_pt=8.5, ink=MUTED_INK)))
    if doc.provenance_rows and doc.provenance_names_meetings:
        provenance = _TableXml((24.0, 28.0, 28.0, 13.0, 20.0, 15.0, CONTENT_WIDTH_MM - 128.0), size_pt=8)
        provenance.add_row(("Item", "Value", "Meeting", "Decision", "Speaker", "Time", "Quote"), header=True)
        for r in doc.provenance_rows:
            provenance.add_row((r.item, r.value, r.meeting, r.decision_id, r.speaker, r.time, f"“{r.quote}”"))
        out.append(provenance.xml())
    elif doc.provenance_rows:
        provenance = _TableXml((28.0, 32.0, 16.0, 24.0, 16.0, CONTENT_WIDTH_MM - 116.0), size_pt=8)
        provenance.add_row(("Item", "Value", "Decision", "Speaker", "Time", "Quote"), header=True)
        for r in doc.provenance_rows:
            provenance.add_row((r.item, r.value, r.decision_id, r.speaker, r.time, f"“{r.quote}”"))
        out.append(provenance.xml())
    else:
        out.append(_paragraph(_run("No transcript citations.")))
    return out


# --- package: page setup, header and footer, properties, bytes -----------------------------------


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the viewer fills in when it lays out pages."""

    def fld_char(kind: str):
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run.append(char)
        return run

    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    shown_run = OxmlElement("w:r")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    shown_run.append(shown)
    for element in (fld_char("begin"), instr_run, fld_char("separate"), shown_run, fld_char("end")):
        paragraph._p.append(element)


def _page_setup(document, doc: RenderDocument) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)

        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(doc.watermark)
        run.bold = True
        run.font.color.rgb = RGBColor.from_string(WATERMARK_INK)

        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(f"{doc.watermark} · Page ")
        _add_field(footer, "PAGE", "1")
        footer.add_run(" of ")
        _add_field(footer, "NUMPAGES", "1")
        for footer_run in footer.runs:
            footer_run.font.size = Pt(8)
            footer_run.font.color.rgb = RGBColor.from_string(MUTED_INK)


def _core_properties(document, doc: RenderDocument) -> None:
    issued = dt.datetime.combine(doc.issued_on, dt.time(0, 0), tzinfo=dt.timezone.utc)
    props = document.core_properties
    props.title = doc.title
    props.subject = doc.watermark
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.identifier = doc.document_id
    props.keywords = doc.kind
    props.comments = doc.subtitle
    props.created = issued
    props.modified = issued
    props.last_printed = issued
    props.revision = 1


def _package(doc: RenderDocument) -> bytes:
    """The package python-docx writes: styles, page setup, header, footer, properties, and an empty body."""
    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    _page_setup(document, doc)
    _core_properties(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_body(document_xml: bytes, body_xml: str) -> bytes:
    text = document_xml.decode("utf-8")
    marker = "<w:body>"
    at = text.find(marker)
    if at < 0:
        raise RuntimeError("python-docx wrote word/document.xml without a plain <w:body> element")
    # Content goes first in the body; the section properties (page size, header, footer) stay last.
    at += len(marker)
    return (text[:at] + body_xml + text[at:]).encode("utf-8")


def _rezip(package: bytes, body_xml: str, issued_on: dt.date) -> bytes:
    """The package with the body filled in and every entry dated `issued_on`, so bytes never depend on the clock."""
    stamp = (max(issued_on.year, 1980), issued_on.month, issued_on.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "word/document.xml":
                content = _with_body(content, body_xml)
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def render_docx(doc: RenderDocument) -> bytes:
    return _rezip(_package(doc), "".join(_body_xml(doc)), doc.issued_on)
