"""The default extractor: rules and patterns over the transcript, no network, same input gives the same output."""

from __future__ import annotations

from bridge_pipeline.extraction.action_items import DEFAULT_THRESHOLD as DEFAULT_ACTION_THRESHOLD
from bridge_pipeline.extraction.action_items import action_items
from bridge_pipeline.extraction.contract_decisions import contract_decisions
from bridge_pipeline.extraction.general_decisions import DEFAULT_THRESHOLD, general_decisions
from bridge_pipeline.extraction.reading import MeetingReading
from bridge_pipeline.extraction.reference_date import meeting_reference_date
from bridge_pipeline.models import MeetingDecisions, MeetingInfo, Transcript

_KIND_ORDER = {"decision": 0, "action_item": 1}


class OfflineExtractor:
    """Contract terms, action items and strongly worded general decisions, each with citations."""

    name = "offline-rules/2"

    def __init__(
        self, general_threshold: float = DEFAULT_THRESHOLD, action_threshold: float = DEFAULT_ACTION_THRESHOLD
    ) -> None:
        self.general_threshold = general_threshold
        self.action_threshold = action_threshold

    def extract(self, meeting: MeetingInfo, transcript: Transcript, timezone: str) -> MeetingDecisions:
        reading = MeetingReading(meeting, transcript, meeting_reference_date(meeting, timezone))
        contract = contract_decisions(reading)
        # An utterance that already settles a contract term ("Agreed on the three deliverables") adds nothing new.
        cited = {c.utterance_index for draft in contract for c in draft.citations}
        general = [d for d in general_decisions(reading, self.general_threshold)
                   if not {c.utterance_index for c in d.citations} <= cited]
        drafts = contract + action_items(reading, self.action_threshold) + general
        # Numbered by first citation; the anchoring sentence and kind break ties so ids never move between runs.
        drafts.sort(key=lambda d: (d.citations[0].utterance_index, d.order, _KIND_ORDER[d.kind], d.text))
        decisions = tuple(draft.to_decision(meeting.meeting_id, number) for number, draft in enumerate(drafts, start=1))
        return MeetingDecisions(meeting_id=meeting.meeting_id, decisions=decisions, extractor=self.name)
