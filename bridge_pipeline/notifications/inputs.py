"""Reads what a meeting's summary is made of from the project store: its day's records and its deal's versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from bridge_pipeline.models import (
    ContractDraft,
    Decision,
    ExportedFile,
    MeetingDecisions,
    MeetingDrafts,
    MeetingInfo,
    NoDraftRecord,
    QAFinding,
    WithheldExport,
)
from bridge_pipeline.storage.store import PipelineStore


@dataclass(frozen=True)
class DayRecords:
    """One day's stored results, as the exports stage left them."""

    day: dt.date
    meetings: Mapping[str, MeetingInfo]
    decisions: Mapping[str, MeetingDecisions]
    drafts: Mapping[str, MeetingDrafts]
    findings: tuple[QAFinding, ...]
    exported: tuple[ExportedFile, ...]
    withheld: tuple[WithheldExport, ...]

    @classmethod
    def load(cls, store: PipelineStore, day: dt.date) -> DayRecords:
        exported, withheld = store.load_exports(day)
        return cls(
            day=day,
            meetings={m.meeting_id: m for m in store.load_meetings(day)},
            decisions=store.load_decisions(day),
            drafts=store.load_drafts(day),
            findings=tuple(store.load_qa_findings(day)),
            exported=tuple(exported),
            withheld=tuple(withheld),
        )


@dataclass(frozen=True)
class OtherVersion:
    """A version of a draft made in another meeting: the one a draft continues, or a newer one."""

    version: int
    meeting_id: str
    meeting_title: str
    day: dt.date


@dataclass(frozen=True)
class MeetingRecords:
    """Everything one meeting's summary shows."""

    meeting: MeetingInfo
    decisions: tuple[Decision, ...]
    drafts: tuple[ContractDraft, ...]
    no_draft: NoDraftRecord | None
    findings: tuple[QAFinding, ...]
    exported: tuple[ExportedFile, ...]
    withheld: tuple[WithheldExport, ...]
    previous_versions: Mapping[str, OtherVersion] = field(default_factory=dict)  # draft id -> version it continues
    newest_versions: Mapping[str, OtherVersion] = field(default_factory=dict)  # draft id -> newest later version


def meeting_records(store: PipelineStore, day: DayRecords, meeting_id: str) -> MeetingRecords:
    """The records of one meeting of `day`, with the other versions of its drafts from any day."""
    meeting = day.meetings[meeting_id]
    outcome = day.drafts.get(meeting_id)
    drafts = outcome.drafts if outcome else ()
    histories = {draft.draft_id: store.load_draft_history(draft.draft_id) for draft in drafts}
    titles = _titles(store, {v.meeting_id for history in histories.values() for v in history})
    previous: dict[str, OtherVersion] = {}
    newest: dict[str, OtherVersion] = {}
    for draft in drafts:
        history = histories[draft.draft_id]
        earlier = [v for v in history if v.version == draft.version - 1]
        later = [v for v in history if v.version > draft.version]
        if earlier:
            previous[draft.draft_id] = _other(earlier[0], titles)
        if later:
            newest[draft.draft_id] = _other(max(later, key=lambda v: v.version), titles)
    decisions = day.decisions.get(meeting_id)
    return MeetingRecords(
        meeting=meeting,
        decisions=decisions.decisions if decisions else (),
        drafts=drafts,
        no_draft=outcome.no_draft if outcome else None,
        findings=tuple(f for f in day.findings if f.meeting_id == meeting_id),
        exported=tuple(f for f in day.exported if f.meeting_id == meeting_id),
        withheld=tuple(w for w in day.withheld if w.meeting_id == meeting_id),
        previous_versions=previous,
        newest_versions=newest,
    )


def earlier_deal_meetings(store: PipelineStore, day: DayRecords) -> list[tuple[dt.date, str]]:
    """(day, meeting id) of earlier meetings whose drafts got a newer version on `day`, oldest first.

    Their summaries name the newest version, so they change when a later meeting drafts one.
    """
    found: set[tuple[dt.date, str]] = set()
    for outcome in day.drafts.values():
        for draft in outcome.drafts:
            if draft.version == 1:
                continue
            for version in store.load_draft_history(draft.draft_id):
                if version.version < draft.version and version.partition_date != day.day:
                    found.add((version.partition_date, version.meeting_id))
    return sorted(found)


def _titles(store: PipelineStore, meeting_ids: set[str]) -> dict[str, str]:
    return {meeting_id: meeting.title for meeting_id, meeting in store.load_meetings_by_id(meeting_ids).items()}


def _other(draft: ContractDraft, titles: Mapping[str, str]) -> OtherVersion:
    return OtherVersion(
        version=draft.version,
        meeting_id=draft.meeting_id,
        meeting_title=titles.get(draft.meeting_id, draft.meeting_id),
        day=draft.partition_date,
    )
