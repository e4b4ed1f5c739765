"""DOCX export of a RenderDocument with python-docx: Word styles, a cover-page table, watermark header, "Page X of Y".

The same document always gives the same bytes: core properties carry the document's issue date,
and the package is re-zipped with that date on every entry (python-docx stamps entries with the clock).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from bridge_pipeline.rendering.document import AUTHOR, RenderDocument

WATERMARK_INK = RGBColor(0x9A, 0x34, 0x12)
MUTED_INK = RGBColor(0x57, 0x60, 0x6A)
TBD_FILL = "FFF3CD"
HEADER_FILL = "E8EBEF"
SEVERITY_INK = {"blocking": RGBColor(0xB4, 0x23, 0x18), "warning": RGBColor(0x9A, 0x67, 0x00)}
CONTENT_WIDTH_MM = 174


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


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _mark_header_row(table: Table) -> None:
    # Repeats the column titles on every page a long table runs over.
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    row_properties.append(OxmlElement("w:tblHeader"))
    for cell in table.rows[0].cells:
        _shade(cell, HEADER_FILL)


def _set_text(cell, text: str, *, bold: bool = False, size: float | None = None, ink: RGBColor | None = None) -> None:
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if ink is not None:
        run.font.color.rgb = ink


def _table(document, header: tuple[str, ...], widths_mm: tuple[float, ...], size: float | None = None) -> Table:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, title, width in zip(table.rows[0].cells, header, widths_mm):
        _set_text(cell, title, bold=True, size=size)
        cell.width = Mm(width)
    _mark_header_row(table)
    return table


def _add_row(table: Table, texts: tuple[str, ...], widths_mm: tuple[float, ...], size: float | None = None):
    cells = table.add_row().cells
    for cell, text, width in zip(cells, texts, widths_mm):
        _set_text(cell, text, size=size)
        cell.width = Mm(width)
    return cells


def _page_setup(document, doc: RenderDocument) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)

        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(doc.watermark)
        run.bold = True
        run.font.color.rgb = WATERMARK_INK

        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(f"{doc.watermark} · Page ")
        _add_field(footer, "PAGE", "1")
        footer.add_run(" of ")
        _add_field(footer, "NUMPAGES", "1")
        for footer_run in footer.runs:
            footer_run.font.size = Pt(8)
            footer_run.font.color.rgb = MUTED_INK


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


def _build(doc: RenderDocument):
    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    _page_setup(document, doc)
    _core_properties(document, doc)

    document.add_paragraph(doc.title, style="Title")
    document.add_paragraph(doc.subtitle, style="Subtitle")
    meta_widths = (44.0, CONTENT_WIDTH_MM - 44.0)
    meta = document.add_table(rows=0, cols=2)
    meta.style = "Table Grid"
    for row in doc.meta_rows:
        cells = meta.add_row().cells
        _set_text(cells[0], row.label, bold=True)
        _set_text(cells[1], row.value)
        for cell, width in zip(cells, meta_widths):
            cell.width = Mm(width)

    if doc.open_points:
        document.add_heading("Open points (TBD)", level=1)
        for point in doc.open_points:
            run = document.add_paragraph(style="List Bullet").add_run(point)
            run.bold = True
            run.font.color.rgb = WATERMARK_INK

    if doc.cover_rows:
        document.add_heading("Cover page", level=1)
        widths = (46.0, 72.0, CONTENT_WIDTH_MM - 118.0)
        cover = _table(document, ("Field", "Value", "Source"), widths)
        for row in doc.cover_rows:
            cells = cover.add_row().cells
            _set_text(cells[0], row.label + (" *" if row.required else ""), bold=True)
            if row.is_tbd:
                _set_text(cells[1], row.value, bold=True, ink=WATERMARK_INK)
                for cell in cells:
                    _shade(cell, TBD_FILL)
            else:
                _set_text(cells[1], row.value)
            _set_text(cells[2], row.source, size=8.5)
            for cell, width in zip(cells, widths):
                cell.width = Mm(width)
        note = document.add_paragraph().add_run("* required field")
        note.font.size = Pt(8)

    document.add_heading(doc.body_heading, level=1)
    for section in doc.sections:
        document.add_heading(section.title, level=2)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)

    if doc.qa_rows is not None:
        document.add_heading("Review findings (QA)", level=1)
        if doc.qa_rows:
            widths = (24.0, 22.0, CONTENT_WIDTH_MM - 46.0)
            qa = _table(document, ("Severity", "Rule", "Message"), widths)
            for row in doc.qa_rows:
                cells = qa.add_row().cells
                _set_text(cells[0], row.severity, bold=True, ink=SEVERITY_INK.get(row.severity))
                _set_text(cells[1], row.rule_id)
                _set_text(cells[2], row.message)
                for cell, width in zip(cells, widths):
                    cell.width = Mm(width)
        else:
            document.add_paragraph("No findings.")

    document.add_heading("Appendix A: Provenance", level=1)
    if doc.provenance_note:
        note = document.add_paragraph().add_run(doc.provenance_note)
        note.font.size = Pt(8.5)
        note.font.color.rgb = MUTED_INK
    if doc.provenance_rows:
        widths = (28.0, 32.0, 16.0, 24.0, 16.0, CONTENT_WIDTH_MM - 116.0)
        header = ("Item", "Value", "Decision", "Speaker", "Time", "Quote")
        provenance = _table(document, header, widths, size=8)
        for r in doc.provenance_rows:
            _add_row(provenance, (r.item, r.value, r.decision_id, r.speaker, r.time, f"“{r.quote}”"), widths, size=8)
    else:
        document.add_paragraph("No transcript citations.")
    return document


def _rezip_with_fixed_dates(package: bytes, issued_on: dt.date) -> bytes:
    stamp = (max(issued_on.year, 1980), issued_on.month, issued_on.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()


def render_docx(doc: RenderDocument) -> bytes:
    buffer = io.BytesIO()
    _build(doc).save(buffer)
    return _rezip_with_fixed_dates(buffer.getvalue(), doc.issued_on)
