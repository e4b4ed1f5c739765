"""The notifications stage for one day, free of Dagster: post or update each meeting's chat summary.

For every meeting of the day, in start order:
- inbox meetings are never posted; Teams and Zoom meetings only when their source is enabled and
  their organizer opted in (both off by default);
- the summary is built from the stored decisions, drafts, QA findings and exports;
- in dry-run mode it is written under `exports/<day>/notifications/` and nothing is sent or recorded;
- otherwise the meeting's chat message is brought up to date (see `delivery`).
Earlier meetings whose drafts got a newer version today are revisited too, when their summary was
posted before: their message then names the newer version.
A meeting that fails is reported and the rest carry on. Refused credentials or retries that ran out
stop further calls to that source for the rest of the run (they would fail the same way); the report
then advises a retry when the cause was transient.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping

from bridge_pipeline.http.errors import AuthFailedError, RetriesExhaustedError, SourceError
from bridge_pipeline.models import MeetingInfo
from bridge_pipeline.notifications.chat import ChatPoster, ChatTarget
from bridge_pipeline.notifications.delivery import Deliverer, Delivery, DeliveryInProgress
from bridge_pipeline.notifications.dry_run import DRY_RUN_MARKER, write_dry_run
from bridge_pipeline.notifications.inputs import DayRecords, earlier_deal_meetings, meeting_records
from bridge_pipeline.notifications.report import MeetingOutcome, NotificationReport, Outcome
from bridge_pipeline.notifications.settings import NotificationSettings
from bridge_pipeline.notifications.summary import build_summary
from bridge_pipeline.notifications.targets import chat_target, render
from bridge_pipeline.storage.blobs import BlobStore
from bridge_pipeline.storage.deliveries import DeliveryStore
from bridge_pipeline.storage.store import PipelineStore

logger = logging.getLogger(__name__)


def notify_day(
    day: dt.date,
    store: PipelineStore,
    blobs: BlobStore,
    settings: NotificationSettings,
    posters: Mapping[str, ChatPoster] | None = None,
    *,
    now: Callable[[], dt.datetime] | None = None,
    run_id: str | None = None,
) -> NotificationReport:
    """Post or update the chat summary of every opted-in meeting of `day`; see the module docstring.

    `posters` maps "teams" / "zoom" to a `ChatPoster`; a source whose poster is missing fails its
    opted-in meetings with a configuration problem. Posters are not closed here. Each post and edit
    is recorded in the audit trail with `run_id` (the Dagster run).
    """
    clock = now or (lambda: dt.datetime.now(dt.timezone.utc))
    run = _Run(day, store, blobs, settings, posters or {}, clock, run_id)
    today = run.day_records(day)
    for meeting in sorted(today.meetings.values(), key=lambda m: (str(m.started_at), m.meeting_id)):
        run.notify(today, meeting, revisit=False)
    if not settings.dry_run:
        for earlier_day, meeting_id in earlier_deal_meetings(store, today):
            records = run.day_records(earlier_day)
            if meeting_id in records.meetings:
                run.notify(records, records.meetings[meeting_id], revisit=True)
    counts = run.report.counts()
    logger.info("notifications for %s: %s", day.isoformat(), ", ".join(f"{k}={v}" for k, v in counts.items() if v))
    return run.report


class _Run:
    """State of one `notify_day` call: the report, loaded days, and sources that stopped answering."""

    def __init__(
        self,
        day: dt.date,
        store: PipelineStore,
        blobs: BlobStore,
        settings: NotificationSettings,
        posters: Mapping[str, ChatPoster],
        now: Callable[[], dt.datetime],
        run_id: str | None = None,
    ):
        self.run_id = run_id
        self.store = store
        self.blobs = blobs
        self.settings = settings
        self.posters = posters
        self.now = now
        self.records = DeliveryStore(store.engine)
        self.report = NotificationReport(day)
        self.stopped: dict[str, str] = {}  # source -> why no more calls are made to it
        self._days: dict[dt.date, DayRecords] = {}

    def day_records(self, day: dt.date) -> DayRecords:
        if day not in self._days:
            self._days[day] = DayRecords.load(self.store, day)
        return self._days[day]

    def notify(self, day: DayRecords, meeting: MeetingInfo, *, revisit: bool) -> None:
        """Deliver one meeting's summary; a revisited earlier meeting is only updated, never reported as skipped."""
        meeting_id = meeting.meeting_id
        target = chat_target(meeting, self.settings)
        skipped = self._skip_reason(meeting, target)
        if revisit and (skipped or not any(r.status == "posted" for r in self.records.for_meeting(meeting_id))):
            return
        if skipped:
            self._add(meeting_id, skipped[0], None, skipped[1])
            return
        assert target is not None
        summary = build_summary(meeting_records(self.store, day, meeting_id), self.settings)
        if self.settings.dry_run:
            key = write_dry_run(self.blobs, day.day, meeting_id, target, render(summary, target, marker=DRY_RUN_MARKER))
            self._add(meeting_id, "dry_run", target.key, key)
            return
        self._deliver(Delivery(day.day, meeting_id, target, summary))

    def _deliver(self, delivery: Delivery) -> None:
        meeting_id, target = delivery.meeting_id, delivery.target
        poster = self.posters.get(target.source)
        if poster is None:
            why = f"{target.source} notifications are enabled but no {target.source} chat poster is configured"
            self._add(meeting_id, "failed", target.key, why)
            return
        if target.source in self.stopped:
            self._add(meeting_id, "failed", target.key, f"not attempted: {self.stopped[target.source]}")
            return
        deliverer = Deliverer(
            self.records, poster, pending_grace=self.settings.pending_grace, now=self.now, run_id=self.run_id
        )
        try:
            outcome = deliverer.deliver(delivery)
        except DeliveryInProgress as exc:
            self._add(meeting_id, "in_progress", target.key, str(exc))
            return
        except SourceError as exc:
            if isinstance(exc, (AuthFailedError, RetriesExhaustedError)):
                # Every later call to the source would fail the same way; spare it (and the run's time).
                self.stopped[target.source] = f"{target.source} calls stopped after an earlier failure ({exc.detail})"
                self.report.retry_advised |= isinstance(exc, RetriesExhaustedError)
            logger.warning("%s: summary not delivered to %s: %s", meeting_id, target.describe(), exc)
            self._add(meeting_id, "failed", target.key, str(exc))
            return
        logger.info("%s: summary %s in %s", meeting_id, outcome, target.describe())
        self._add(meeting_id, outcome, target.key)

    def _skip_reason(self, meeting: MeetingInfo, target: ChatTarget | None) -> tuple[Outcome, str] | None:
        """(outcome, why) when the meeting is not to be posted; None when it is."""
        opt_in = self.settings.opt_in(meeting.source)
        if opt_in is None:
            return "skipped_source", f"{meeting.source} meetings are never posted"
        if not opt_in.allows(meeting.organizer):
            return "skipped_opt_out", f"{meeting.source} organizer {meeting.organizer!r} has not opted in"
        if target is None:
            return "skipped_no_target", f"no {meeting.source} chat is known for the meeting"
        return None

    def _add(self, meeting_id: str, outcome: Outcome, target: str | None = None, detail: str = "") -> None:
        self.report.add(MeetingOutcome(meeting_id, outcome, target, detail))
