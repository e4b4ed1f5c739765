"""What `notify_day` did for a day: one outcome per meeting, counts, and the problems to show an operator."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal[
    "posted",  # a new summary message
    "updated",  # an earlier message edited to the current summary
    "follow_up",  # the earlier message could not be edited; a follow-up was posted
    "unchanged",  # the posted message is current; nothing sent
    "skipped_opt_out",  # the source or the organizer has not opted in
    "skipped_source",  # a source that is never posted to (the inbox)
    "skipped_no_target",  # no chat known for the meeting
    "dry_run",  # written to the export folder instead of posted
    "in_progress",  # another run is posting it right now
    "failed",  # see the problems
]
# Names of the counts, as the asset's metadata shows them.
COUNT_NAMES: dict[str, str] = {
    "posted": "posted",
    "updated": "updated",
    "follow_up": "follow_ups",
    "unchanged": "unchanged",
    "skipped_opt_out": "skipped_opt_out",
    "skipped_source": "skipped_source",
    "skipped_no_target": "skipped_no_target",
    "dry_run": "dry_run",
    "in_progress": "in_progress",
    "failed": "failed",
}


@dataclass(frozen=True)
class MeetingOutcome:
    meeting_id: str
    outcome: Outcome
    target: str | None = None  # ChatTarget.key
    detail: str = ""  # the problem for a failure, the file for a dry run


@dataclass
class NotificationReport:
    day: dt.date
    outcomes: list[MeetingOutcome] = field(default_factory=list)
    # True when a failure was transient (throttling or an outage past the retry budget): run the day again later.
    retry_advised: bool = False

    def add(self, outcome: MeetingOutcome) -> None:
        self.outcomes.append(outcome)

    def counts(self) -> dict[str, int]:
        """Every count by its metadata name, zero included."""
        seen = Counter(outcome.outcome for outcome in self.outcomes)
        return {name: seen.get(outcome, 0) for outcome, name in COUNT_NAMES.items()}

    @property
    def problems(self) -> list[str]:
        return [f"{o.meeting_id}: {o.detail}" for o in self.outcomes if o.outcome == "failed"]

    def outcome_of(self, meeting_id: str) -> MeetingOutcome | None:
        """The last outcome recorded for a meeting (a meeting revisited for a later version may appear twice)."""
        return next((o for o in reversed(self.outcomes) if o.meeting_id == meeting_id), None)
