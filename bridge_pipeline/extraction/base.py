"""The interface every decision extractor (offline rules, language model) implements."""

from __future__ import annotations

from typing import Protocol

from bridge_pipeline.models import MeetingDecisions, MeetingInfo, Transcript


class Extractor(Protocol):
    name: str
    """Recorded in MeetingDecisions.extractor, e.g. 'offline-rules/1'; change it when output changes."""

    def extract(self, meeting: MeetingInfo, transcript: Transcript, timezone: str) -> MeetingDecisions:
        """Decisions and action items of one meeting; relative dates resolve against its start in timezone."""
        ...
