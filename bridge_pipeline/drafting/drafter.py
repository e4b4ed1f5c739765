"""Building a meeting's contract drafts (or the record of why there is none) from its decisions."""

from __future__ import annotations

import datetime as dt
from typing import Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bridge_pipeline.drafting.clauses import render_clauses
from bridge_pipeline.drafting.contract_type import (
    TypeChoice,
    applies_to_type,
    choose_contract_types,
    no_agreement_reason,
)
from bridge_pipeline.drafting.fields import fill_field, in_time_order
from bridge_pipeline.drafting.party_fields import fill_party_fields
from bridge_pipeline.drafting.templates import FieldSpec, load_template
from bridge_pipeline.errors import BadInputError, ConfigurationError
from bridge_pipeline.models import (
    ContractDraft,
    ContractType,
    Decision,
    MeetingDecisions,
    MeetingDrafts,
    MeetingInfo,
    NoDraftRecord,
)


def meeting_local_date(meeting: MeetingInfo, timezone: str) -> dt.date:
    """The calendar day of the meeting in `timezone`; the partition day when the start time is unknown."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigurationError(f"unknown timezone {timezone!r} for meeting {meeting.meeting_id}") from exc
    if meeting.started_at is None:
        return meeting.partition_date
    started = meeting.started_at
    if started.tzinfo is None:
        started = started.replace(tzinfo=dt.timezone.utc)
    return started.astimezone(zone).date()


def draft_meeting(meeting: MeetingInfo, decisions: MeetingDecisions, *, timezone: str = "UTC") -> MeetingDrafts:
    """One draft per contract type the decisions call for, or a NoDraftRecord saying what was missing."""
    if decisions.meeting_id != meeting.meeting_id:
        raise BadInputError(
            meeting.meeting_id, f"decisions belong to meeting {decisions.meeting_id}, not {meeting.meeting_id}"
        )
    strays = [d.decision_id for d in decisions.decisions if d.meeting_id != meeting.meeting_id]
    if strays:
        raise BadInputError(meeting.meeting_id, f"decisions from another meeting: {', '.join(strays)}")

    ordered = in_time_order(decisions.decisions)
    choices = choose_contract_types(ordered)
    if not choices:
        record = NoDraftRecord(
            meeting_id=meeting.meeting_id,
            partition_date=meeting.partition_date,
            reason=no_agreement_reason(ordered),
        )
        return MeetingDrafts(meeting_id=meeting.meeting_id, no_draft=record)

    context = clause_context(meeting, timezone)
    drafts = tuple(_draft(meeting, ordered, choice, context) for choice in choices)
    return MeetingDrafts(meeting_id=meeting.meeting_id, drafts=drafts)


def clause_context(meeting: MeetingInfo, timezone: str) -> dict[str, str]:
    """The values clause text may use besides fields (templates.CONTEXT_NAMES)."""
    return {
        "meeting_title": meeting.title,
        "meeting_date": meeting_local_date(meeting, timezone).isoformat(),
    }


def draft_of_type(
    meeting: MeetingInfo, decisions: MeetingDecisions, contract_type: ContractType, reason: str, *, timezone: str
) -> ContractDraft:
    """The meeting's own draft of a given type, whether or not its decisions call for that type.

    Used when a later meeting of a deal may change a draft its own decisions would not start.
    """
    ordered = in_time_order(decisions.decisions)
    choice = TypeChoice(contract_type=contract_type, reason=reason, decision_ids=())
    return _draft(meeting, ordered, choice, clause_context(meeting, timezone))


def _draft(
    meeting: MeetingInfo, ordered: Sequence[Decision], choice: TypeChoice, context: dict[str, str]
) -> ContractDraft:
    template = load_template(choice.contract_type)
    party_fields = fill_party_fields(template, ordered)
    fields = tuple(
        party_fields.get(spec.name) or fill_field(spec, _sources(spec, ordered, choice.contract_type))
        for spec in template.fields
    )
    return ContractDraft(
        draft_id=f"{meeting.meeting_id}-{choice.contract_type.lower()}",
        meeting_id=meeting.meeting_id,
        partition_date=meeting.partition_date,
        contract_type=choice.contract_type,
        template_version=template.version,
        title=template.title,
        type_reason=choice.reason,
        fields=fields,
        clauses=render_clauses(template, fields, context),
    )


def _sources(spec: FieldSpec, ordered: Sequence[Decision], contract_type: str) -> Sequence[Decision]:
    """The decisions that may fill a field of this contract type."""
    if not spec.own_contract_only:
        return ordered
    return [d for d in ordered if applies_to_type(d, contract_type)]
