"""Renders a meeting summary as a Zoom Team Chat message: plain text within 1024 characters, plus ranges.

Zoom's Team Chat API takes plain text with `rich_text` ranges (bold headings, italic quotes) rather
than markup, and its edit call replaces only the text, so the layout (bullets, indents) is carried
by the text itself. When the full summary does not fit, it is shortened step by step: quotes go
first, then the file list becomes a folder, then fewer and shorter items; the footer (the counsel
notice and the reference marker) is always kept whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from bridge_pipeline.models import WATERMARK
from bridge_pipeline.notifications.chat import OutgoingMessage, RichTextRange
from bridge_pipeline.notifications.summary import MeetingSummary, SummaryItem, shorten

MAX_MESSAGE_CHARS = 1024
BULLET = "• "
INDENT = "   "


@dataclass(frozen=True)
class _Line:
    text: str
    style: str | None = None  # a rich_text format_type for the whole line


@dataclass(frozen=True)
class _Plan:
    """How much of the summary one attempt at fitting it in a message keeps."""

    quotes: bool
    list_files: bool
    max_items: int | None
    item_chars: int


# From the whole summary down to one short item per section; the first plan that fits is used.
# Keeping more items matters more than keeping each one long.
_PLANS = (
    _Plan(quotes=True, list_files=True, max_items=None, item_chars=220),
    _Plan(quotes=False, list_files=True, max_items=None, item_chars=220),
    _Plan(quotes=False, list_files=False, max_items=None, item_chars=160),
    *(
        _Plan(quotes=False, list_files=False, max_items=items, item_chars=chars)
        for items in (10, 8, 6, 5, 4, 3, 2, 1)
        for chars in (120, 80, 60)
    ),
)


def render_zoom(summary: MeetingSummary, *, marker: str, follow_up: bool = False) -> OutgoingMessage:
    """The chat message; a follow-up (sent when the earlier one could not be edited) leaves the quotes out."""
    footer = [_Line(f"{WATERMARK}."), _Line(f"Ref {marker}")]
    for plan in _PLANS:
        if follow_up and plan.quotes:
            continue
        message = _assemble([*_body(summary, plan, follow_up), *footer], marker)
        if len(message.content) <= MAX_MESSAGE_CHARS:
            return message
    # Even one short item did not fit (a huge title, say): say where the full summary is instead.
    fallback = [
        *_header(summary, follow_up)[:1],
        _Line("The summary is too long for a Zoom message; see the exported documents."),
    ]
    return _assemble([*(_Line(shorten(line.text, 300), line.style) for line in fallback), *footer], marker)


def _assemble(lines: list[_Line], marker: str) -> OutgoingMessage:
    text_parts: list[str] = []
    ranges: list[RichTextRange] = []
    position = 0
    for line in lines:
        if line.style and line.text:
            ranges.append(RichTextRange(position, position + len(line.text), line.style))
        text_parts.append(line.text)
        position += len(line.text) + 1  # the newline joining it to the next line
    return OutgoingMessage(content="\n".join(text_parts), content_type="text", marker=marker, rich_text=tuple(ranges))


def _header(summary: MeetingSummary, follow_up: bool) -> list[_Line]:
    heading = "Updated meeting summary" if follow_up else "Meeting summary"
    when = summary.started_at.strftime("%Y-%m-%d %H:%M %Z").strip() if summary.started_at else summary.day.isoformat()
    lines = [_Line(f"{heading}: {shorten(summary.title, 120)}", "Bold"), _Line(f"{when} · Zoom")]
    if follow_up:
        lines.append(_Line("The earlier summary could not be edited; this one replaces it.", "Italic"))
    return lines


def _body(summary: MeetingSummary, plan: _Plan, follow_up: bool) -> list[_Line]:
    lines = _header(summary, follow_up)
    lines += _items("Decisions", summary.decisions, summary.more_decisions, plan)
    lines += _items("Action items", summary.action_items, summary.more_action_items, plan)
    if summary.drafts:
        lines.append(_Line("Contract drafts", "Bold"))
        for draft in summary.drafts:
            text = f"{draft.contract_type} v{draft.version} {draft.title}: {draft.status_text()}"
            lines.append(_Line(BULLET + shorten(text, plan.item_chars + 60)))
            if draft.continues:
                lines.append(_Line(INDENT + "continues " + draft.continues))
            if draft.superseded_by:
                lines.append(_Line(INDENT + "newer version: " + draft.superseded_by))
    elif summary.no_draft_reason:
        lines.append(_Line("No contract draft: " + shorten(summary.no_draft_reason, plan.item_chars)))
    if summary.exports:
        lines.append(_Line("Exports", "Bold"))
        if plan.list_files or summary.export_folder is None:
            lines += [_Line(BULLET + export.location) for export in summary.exports]
        else:
            lines.append(_Line(f"{BULLET}{summary.export_folder} ({len(summary.exports)} files)"))
    return lines


def _items(title: str, items: tuple[SummaryItem, ...], more: int, plan: _Plan) -> list[_Line]:
    if not items:
        return []
    shown = items if plan.max_items is None else items[: plan.max_items]
    lines = [_Line(title, "Bold")]
    for item in shown:
        text = item.text + (f" · {item.details()}" if item.details() else "")
        lines.append(_Line(BULLET + shorten(text, plan.item_chars)))
        if plan.quotes and item.quote:
            lines.append(_Line(f"{INDENT}“{item.quote}” ({item.quote_speaker or 'unknown speaker'})", "Italic"))
    hidden = more + len(items) - len(shown)
    if hidden:
        lines.append(_Line(f"{INDENT}+{hidden} more in the exported documents"))
    return lines
