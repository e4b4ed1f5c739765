"""Markdown export of a RenderDocument: plain CommonMark/GFM text with the watermark first and last."""

from __future__ import annotations

import re

from bridge_pipeline.rendering.document import ChangePiece, ChangeRow, RenderDocument

# Characters that would start emphasis, links, HTML, code or a table cell boundary inside a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
# "1. ", "- ", "+ " or "=" at the start of a line would make a list item or a heading underline.
_BLOCK_START = re.compile(r"^(\d*)([.)\-+=])")


def _inline(text: str) -> str:
    """Meeting text as literal Markdown on one line: specials escaped, line breaks folded to spaces."""
    return _INLINE_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _block(text: str) -> str:
    """A paragraph of meeting text that must not turn into a list, heading or rule by how it starts."""
    line = _inline(text)
    return _BLOCK_START.sub(r"\1\\\2", line)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A GFM table; cells are plain text and get escaped here."""
    return _markdown_table(header, [tuple(_inline(cell) for cell in row) for row in rows])


def _markdown_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A GFM table whose cells are already Markdown."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines


def _fence_for(lines: list[str]) -> str:
    """A backtick fence longer than any backtick run in the lines, so meeting text cannot close it."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def _diff_lines(row: ChangeRow) -> list[str]:
    """A unified-diff style hunk for one field: '-' lines from the earlier version, '+' lines new in this one."""
    lines = [f"@@ {' '.join(row.label.split())} @@"]
    before, after = list(row.before), list(row.after)
    # Pieces are aligned: unchanged items appear on both sides in the same order.
    while before or after:
        if before and after and not before[0].changed and not after[0].changed:
            lines.append("  " + " ".join(after[0].text.split()))
            before.pop(0)
            after.pop(0)
            continue
        while before and (before[0].changed or not after):
            lines.append("- " + " ".join(before.pop(0).text.split()))
        while after and (after[0].changed or not before):
            lines.append("+ " + " ".join(after.pop(0).text.split()))
    return lines


def _marked(pieces: tuple[ChangePiece, ...], before: str, after: str) -> str:
    return "; ".join(f"{before}{_inline(p.text)}{after}" if p.changed else _inline(p.text) for p in pieces)


def _redline(doc: RenderDocument) -> list[str]:
    redline = doc.redline
    if redline is None:
        return []
    out = [f"## {_inline(redline.heading)}", "", _block(redline.note), ""]
    if not redline.rows:
        return out
    hunks = [line for row in redline.rows for line in _diff_lines(row)]
    fence = _fence_for(hunks)
    out += [f"{fence}diff", *hunks, fence, ""]
    out += _markdown_table(
        ("Field", _inline(redline.before_label), _inline(redline.after_label), "Cited before", "Cited now"),
        [
            (
                _inline(row.label),
                _marked(row.before, "~~", "~~"),
                _marked(row.after, "<ins>", "</ins>"),
                _inline(row.before_source),
                _inline(row.after_source),
            )
            for row in redline.rows
        ],
    )
    out += ["", "~~Struck through~~: only in the earlier version. <ins>Underlined</ins>: new in this version.", ""]
    return out


def _review_line(doc: RenderDocument) -> list[str]:
    if doc.review_line is None:
        return []
    return [f"**{_inline(doc.review_line.text)}**", ""]


def _counsel_table(doc: RenderDocument) -> list[str]:
    """The values counsel set, as the first part of the provenance appendix; nothing before review."""
    if not doc.counsel_rows:
        return []
    out = ["### Set by counsel at review", "", _block(doc.counsel_note), ""]
    out += _table(
        ("Field", "Value", "Set by counsel", "On", "Note", "Drafted value"),
        [(r.label, r.value, r.reviewer, r.reviewed_on, r.note, r.drafted_value) for r in doc.counsel_rows],
    )
    return out + ["", "### Cited from the transcripts", ""]


def render_markdown(doc: RenderDocument) -> bytes:
    banner = f"> **{_inline(doc.watermark)}**"
    out: list[str] = [banner, "", f"# {_inline(doc.title)}", "", f"_{_inline(doc.subtitle)}_", ""]
    out += _review_line(doc)
    out += _table(("Item", "Detail"), [(r.label, r.value) for r in doc.meta_rows])
    out.append("")
    out += _redline(doc)

    if doc.open_points:
        out += ["## Open points (TBD)", ""]
        out += [f"- **{_inline(point)}**" for point in doc.open_points]
        out.append("")

    if doc.cover_rows:
        out += ["## Cover page", ""]
        out += _markdown_table(
            ("Field", "Value", "Source"),
            [
                (
                    _inline(r.label) + (" \\*" if r.required else ""),
                    f"**{_inline(r.value)}**" if r.is_tbd else _inline(r.value),
                    _inline(r.source),
                )
                for r in doc.cover_rows
            ],
        )
        out += ["", "\\* required field", ""]

    out += [f"## {_inline(doc.body_heading)}", ""]
    for section in doc.sections:
        out += [f"### {_inline(section.title)}", ""]
        for paragraph in section.paragraphs:
            out += [_block(paragraph), ""]

    if doc.qa_rows is not None:
        out += ["## Review findings (QA)", ""]
        if doc.qa_rows:
            out += _table(("Severity", "Rule", "Message"), [(r.severity, r.rule_id, r.message) for r in doc.qa_rows])
        else:
            out.append("No findings.")
        out.append("")

    out += ["## Appendix A: Provenance", ""]
    out += _counsel_table(doc)
    if doc.provenance_note:
        out += [_inline(doc.provenance_note), ""]
    if doc.provenance_rows and doc.provenance_names_meetings:
        out += _table(
            ("Item", "Value", "Meeting", "Decision", "Speaker", "Time", "Quote"),
            [
                (r.item, r.value, r.meeting, r.decision_id, r.speaker, r.time, f"“{r.quote}”")
                for r in doc.provenance_rows
            ],
        )
    elif doc.provenance_rows:
        out += _table(
            ("Item", "Value", "Decision", "Speaker", "Time", "Quote"),
            [(r.item, r.value, r.decision_id, r.speaker, r.time, f"“{r.quote}”") for r in doc.provenance_rows],
        )
    else:
        out.append("No transcript citations.")
    out += ["", "---", "", banner, ""]
    return "\n".join(out).encode("utf-8")
