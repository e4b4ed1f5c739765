"""Renders a meeting summary as the HTML body of a Teams chat message (every piece of text escaped)."""

from __future__ import annotations

from html import escape

from bridge_pipeline.models import WATERMARK
from bridge_pipeline.notifications.chat import OutgoingMessage
from bridge_pipeline.notifications.summary import DraftLine, MeetingSummary, SummaryItem


def render_teams(summary: MeetingSummary, *, marker: str, follow_up: bool = False) -> OutgoingMessage:
    """The chat message; a follow-up (sent when the earlier one could not be edited) leaves the quotes out."""
    heading = "Updated meeting summary" if follow_up else "Meeting summary"
    parts = [f"<p><b>{_e(heading)}: {_e(summary.title)}</b><br>{_e(_when(summary))} · Microsoft Teams</p>"]
    if follow_up:
        parts.append("<p><i>The earlier summary in this chat could not be edited; this one replaces it.</i></p>")
    parts += _items("Decisions", summary.decisions, summary.more_decisions, quotes=not follow_up)
    parts += _items("Action items", summary.action_items, summary.more_action_items, quotes=not follow_up)
    if summary.drafts:
        parts.append("<p><b>Contract drafts</b></p>")
        parts.append("<ul>" + "".join(f"<li>{_draft(line)}</li>" for line in summary.drafts) + "</ul>")
    elif summary.no_draft_reason:
        parts.append(f"<p><b>No contract draft:</b> {_e(summary.no_draft_reason)}</p>")
    if summary.exports:
        parts.append("<p><b>Exports</b></p>")
        files = "".join(f"<li>{_export(e.name, e.location, e.is_link)}</li>" for e in summary.exports)
        parts.append(f"<ul>{files}</ul>")
    parts.append(f"<p><i>{_e(WATERMARK)}.</i></p>")
    parts.append(f"<p>Ref {_e(marker)}</p>")
    return OutgoingMessage(content="".join(parts), content_type="html", marker=marker)


def _e(text: str) -> str:
    return escape(text, quote=True)


def _when(summary: MeetingSummary) -> str:
    if summary.started_at is None:
        return summary.day.isoformat()
    return summary.started_at.strftime("%Y-%m-%d %H:%M %Z").strip()


def _items(title: str, items: tuple[SummaryItem, ...], more: int, *, quotes: bool) -> list[str]:
    if not items:
        return []
    lines = []
    for item in items:
        text = _e(item.text) + (f" · {_e(item.details())}" if item.details() else "")
        if quotes and item.quote:
            text += f"<br><i>“{_e(item.quote)}”</i> ({_e(item.quote_speaker or 'unknown speaker')})"
        lines.append(f"<li>{text}</li>")
    if more:
        lines.append(f"<li>… and {more} more in the exported documents</li>")
    return [f"<p><b>{_e(title)}</b></p>", "<ul>" + "".join(lines) + "</ul>"]


def _draft(line: DraftLine) -> str:
    text = f"<b>{_e(line.contract_type)} v{line.version}</b> {_e(line.title)}: {_e(line.status_text())}"
    if line.continues:
        text += f"<br>continues {_e(line.continues)}"
    if line.superseded_by:
        text += f"<br>newer version: {_e(line.superseded_by)}"
    return text


def _export(name: str, location: str, is_link: bool) -> str:
    if is_link:
        return f'<a href="{_e(location)}">{_e(name)}</a>'
    return f"<code>{_e(location)}</code>"
