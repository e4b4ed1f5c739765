"""The content of a meeting's chat summary, independent of how Teams or Zoom format it.

A summary holds the meeting's decisions and action items (owner, due date, and the short quote each
cites, cut to a few words), each draft's type, version and QA status, and where its exports are.
It never holds transcript text beyond those cited quotes, nor any storage credential: exports are
named by their blob keys, or by links under a configured plain https base.
Its digest decides whether a posted message is still current.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bridge_pipeline.models import ContractDraft, Decision, SourceName
from bridge_pipeline.notifications.inputs import MeetingRecords, OtherVersion
from bridge_pipeline.notifications.settings import NotificationSettings
from bridge_pipeline.rendering.filenames import draft_document_id

# Part of every digest: bump it when the summary's content rules change, so posted messages get updated.
SUMMARY_FORMAT = "meeting-summary/1"
MAX_TEXT_CHARS = 220
ELLIPSIS = "…"

DraftStatus = Literal["exported", "withheld", "not exported"]


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SummaryItem(_Part):
    """A decision or action item as the chat shows it."""

    text: str
    owner: str | None = None
    due: dt.date | None = None
    quote: str | None = None
    quote_speaker: str | None = None

    def details(self) -> str:
        """"owner X · due 2026-06-01", or "" when neither is known."""
        facts = [f"owner {self.owner}" if self.owner else "", f"due {self.due.isoformat()}" if self.due else ""]
        return " · ".join(fact for fact in facts if fact)


class DraftLine(_Part):
    contract_type: str
    version: int
    title: str
    status: DraftStatus
    blocking_rules: tuple[str, ...] = ()
    tbd_fields: int = 0
    qa_warnings: int = 0
    continues: str | None = None  # "v1 from “Kick-off” (2026-05-13)"
    superseded_by: str | None = None  # "v3 from “Pricing call” (2026-05-20)"

    def status_text(self) -> str:
        """"withheld by QA (PT-01) · 3 field(s) TBD · 2 QA warning(s)"."""
        status = str(self.status)
        if self.status == "withheld":
            status += f" by QA ({', '.join(self.blocking_rules)})" if self.blocking_rules else " by QA"
        facts = [status, f"{self.tbd_fields} field(s) TBD"]
        if self.qa_warnings:
            facts.append(f"{self.qa_warnings} QA warning(s)")
        return " · ".join(facts)


class ExportLine(_Part):
    name: str
    location: str  # the blob key, or a link under the configured base
    is_link: bool = False


class MeetingSummary(_Part):
    meeting_id: str
    title: str
    day: dt.date
    started_at: dt.datetime | None
    source: SourceName
    decisions: tuple[SummaryItem, ...] = ()
    more_decisions: int = 0
    action_items: tuple[SummaryItem, ...] = ()
    more_action_items: int = 0
    drafts: tuple[DraftLine, ...] = ()
    no_draft_reason: str | None = None
    exports: tuple[ExportLine, ...] = ()
    export_folder: str | None = None

    def digest(self) -> str:
        """sha256 of the content; equal digests mean a posted message needs no update."""
        return hashlib.sha256(f"{SUMMARY_FORMAT}\n{self.model_dump_json()}".encode()).hexdigest()


def build_summary(records: MeetingRecords, settings: NotificationSettings) -> MeetingSummary:
    meeting = records.meeting
    decisions = [d for d in records.decisions if d.kind == "decision"]
    actions = [d for d in records.decisions if d.kind == "action_item"]
    keys = sorted(f.blob_key for f in records.exported)
    return MeetingSummary(
        meeting_id=meeting.meeting_id,
        title=shorten(meeting.title, 160),
        day=meeting.partition_date,
        started_at=meeting.started_at,
        source=meeting.source,
        decisions=tuple(_item(d, settings) for d in decisions[: settings.max_items]),
        more_decisions=max(0, len(decisions) - settings.max_items),
        action_items=tuple(_item(d, settings) for d in actions[: settings.max_items]),
        more_action_items=max(0, len(actions) - settings.max_items),
        drafts=tuple(_draft_line(draft, records) for draft in records.drafts),
        no_draft_reason=shorten(records.no_draft.reason, MAX_TEXT_CHARS) if records.no_draft else None,
        exports=tuple(_export_line(key, settings) for key in keys),
        export_folder=_folder(keys),
    )


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + ELLIPSIS


def _item(decision: Decision, settings: NotificationSettings) -> SummaryItem:
    # Only the first citation, cut short: the chat gets a pointer to what was said, not the transcript.
    citation = decision.citations[0]
    # A decision worded exactly as it was said needs no quote under it.
    quoted = _comparable(citation.quote) not in ("", _comparable(decision.text))
    return SummaryItem(
        text=shorten(decision.text, MAX_TEXT_CHARS),
        owner=decision.owner,
        due=decision.due_date.value if decision.due_date else None,
        quote=shorten(citation.quote, settings.max_quote_chars) if quoted else None,
        quote_speaker=citation.speaker if quoted else None,
    )


def _comparable(text: str) -> str:
    return " ".join(text.split()).strip(" .").casefold()


def _draft_line(draft: ContractDraft, records: MeetingRecords) -> DraftLine:
    findings = [f for f in records.findings if f.draft_id == draft.draft_id]
    withheld = any(w.draft_id == draft.draft_id for w in records.withheld)
    document_id = draft_document_id(draft)
    exported = any(f.document_id == document_id for f in records.exported)
    status: DraftStatus = "withheld" if withheld else "exported" if exported else "not exported"
    return DraftLine(
        contract_type=draft.contract_type,
        version=draft.version,
        title=shorten(draft.title, 120),
        status=status,
        blocking_rules=tuple(sorted({f.rule_id for f in findings if f.severity == "blocking"})),
        tbd_fields=sum(1 for f in draft.fields if f.is_tbd),
        qa_warnings=sum(1 for f in findings if f.severity == "warning"),
        continues=_version_text(records.previous_versions.get(draft.draft_id)),
        superseded_by=_version_text(records.newest_versions.get(draft.draft_id)),
    )


def _version_text(version: OtherVersion | None) -> str | None:
    if version is None:
        return None
    return f"v{version.version} from “{shorten(version.meeting_title, 80)}” ({version.day.isoformat()})"


def _export_line(key: str, settings: NotificationSettings) -> ExportLine:
    name = key.rsplit("/", 1)[-1]
    if settings.export_link_base:
        return ExportLine(name=name, location=settings.export_link_base.rstrip("/") + "/" + key, is_link=True)
    return ExportLine(name=name, location=key)


def _folder(keys: list[str]) -> str | None:
    folders = {key.rsplit("/", 1)[0] for key in keys if "/" in key}
    return folders.pop() + "/" if len(folders) == 1 else None
