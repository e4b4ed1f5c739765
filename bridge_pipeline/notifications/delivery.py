"""Brings one meeting's chat message up to date with its summary, posting at most once per change.

For a (meeting, target) pair the delivery records say what the chat shows:
- no summary yet (or its post was refused): post it;
- a summary (and possibly a later follow-up) showing the current digest: nothing to do;
- an older digest: edit the latest of those messages; if the API refuses the edit (the message was
  deleted, the permission to edit is missing), post a short follow-up instead.
Every post is claimed in the delivery records before it is sent (status `pending`, with the marker
the message will carry) and settled after; settling a post or an edit also appends it to the audit
trail, in the same transaction. A run that finds a `pending` record whose attempt ended
without an answer, or whose process died and whose grace period passed, looks the marker up in the
chat: found, the record becomes `posted` without a second post; not found, the post is sent again.
What remains possible: a post the API stored but does not list yet when the next run looks (the
look-up is made at least `pending_grace` after a crash), or one pushed out of the recent messages
searched by a very busy chat; either would show up as a second copy of the summary.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from bridge_pipeline.http.errors import (
    AuthFailedError,
    NotFoundError,
    SourceConfigurationError,
    SourceError,
    UnexpectedResponseError,
    UnsafeUrlError,
)
from bridge_pipeline.notifications.chat import ChatPoster, ChatTarget
from bridge_pipeline.notifications.report import Outcome
from bridge_pipeline.notifications.summary import MeetingSummary
from bridge_pipeline.notifications.targets import render
from bridge_pipeline.storage.audit import AuditAction, AuditEntry
from bridge_pipeline.storage.deliveries import DeliveryKind, DeliveryRecord, DeliveryStore

logger = logging.getLogger(__name__)

# An edit refused for one of these reasons gets a follow-up post instead; other errors fail the meeting.
EDIT_REFUSALS = (NotFoundError, UnexpectedResponseError, SourceConfigurationError)


class DeliveryInProgress(Exception):
    """Another run holds this meeting's post; this run leaves it alone."""


@dataclass(frozen=True)
class Delivery:
    day: dt.date  # the meeting's day partition
    meeting_id: str
    target: ChatTarget
    summary: MeetingSummary


def new_marker() -> str:
    return f"bp-{secrets.token_hex(8)}"


class Deliverer:
    """Delivers summaries through one poster; see the module docstring."""

    def __init__(
        self,
        records: DeliveryStore,
        poster: ChatPoster,
        *,
        pending_grace: dt.timedelta,
        now: Callable[[], dt.datetime],
        run_id: str | None = None,
    ):
        self.records = records
        self.poster = poster
        self.pending_grace = pending_grace
        self.now = now
        self.run_id = run_id  # the Dagster run, for the audit trail

    def deliver(self, delivery: Delivery) -> Outcome:
        """The outcome: "posted", "updated", "follow_up" or "unchanged"; raises SourceError or DeliveryInProgress."""
        digest = delivery.summary.digest()
        summary = self._settled(delivery, "summary")
        if summary is None or summary.status != "posted":
            self._post(delivery, "summary", digest, claimed_from=summary)
            return "posted"
        follow_up = self._settled(delivery, "follow_up")
        shown = follow_up if follow_up is not None and follow_up.status == "posted" else summary
        if shown.content_sha256 == digest:
            return "unchanged"
        assert shown.message_id is not None
        message = render(delivery.summary, delivery.target, marker=shown.marker, follow_up=shown.kind == "follow_up")
        try:
            self.poster.edit(delivery.target, shown.message_id, message)
        except EDIT_REFUSALS as exc:
            logger.info("%s: summary message %s could not be edited (%s); posting a follow-up",
                        delivery.meeting_id, shown.message_id, exc.detail)
            self._post(delivery, "follow_up", digest, claimed_from=follow_up)
            return "follow_up"
        edited = shown.but(content_sha256=digest, updated_at=self.now(), last_error=None)
        if not self.records.swap(shown, edited, audit=[self._audit(delivery, edited, "edited")]):
            raise DeliveryInProgress(f"{delivery.meeting_id}: its delivery record changed while it was edited")
        return "updated"

    # --- internals -------------------------------------------------------------------------------

    def _settled(self, delivery: Delivery, kind: DeliveryKind) -> DeliveryRecord | None:
        """The record of `kind`, with a `pending` one resolved: `posted` if the chat shows its marker.

        A `pending` record that stays pending means its post never arrived and may be sent again.
        """
        record = self.records.get(delivery.meeting_id, delivery.target.key, kind)
        if record is None or record.status != "pending":
            return record
        if record.last_error is None and self.now() - record.attempted_at < self.pending_grace:
            raise DeliveryInProgress(
                f"{delivery.meeting_id}: a post to {delivery.target.describe()} started at "
                f"{record.attempted_at.isoformat()} may still be running"
            )
        message_id = self.poster.find_marker(delivery.target, record.marker, record.attempted_at)
        if message_id is None:
            logger.info("%s: the earlier post %s never arrived; sending it again", delivery.meeting_id, record.marker)
            return record
        found = record.but(status="posted", message_id=message_id, posted_at=self.now(), last_error=None)
        audit = self._audit(delivery, found, _posted(kind), found_by_marker=True)
        if not self.records.swap(record, found, audit=[audit]):
            raise DeliveryInProgress(f"{delivery.meeting_id}: another run settled the post {record.marker}")
        logger.info("%s: the earlier post %s arrived as message %s", delivery.meeting_id, record.marker, message_id)
        return found

    def _post(
        self, delivery: Delivery, kind: DeliveryKind, digest: str, *, claimed_from: DeliveryRecord | None
    ) -> None:
        marker = new_marker()
        pending = DeliveryRecord(
            day=delivery.day,
            meeting_id=delivery.meeting_id,
            target=delivery.target.key,
            kind=kind,
            status="pending",
            marker=marker,
            content_sha256=digest,
            attempted_at=self.now(),
        )
        claimed = self.records.insert(pending) if claimed_from is None else self.records.swap(claimed_from, pending)
        if not claimed:
            raise DeliveryInProgress(f"{delivery.meeting_id}: another run claimed the {kind} post first")
        message = render(delivery.summary, delivery.target, marker=marker, follow_up=kind == "follow_up")
        try:
            message_id = self.poster.post(delivery.target, message)
        except SourceError as exc:
            # Refused outright: nothing was posted. Otherwise it may have been; the next run looks.
            status = "failed" if _refused_outright(exc) else "pending"
            self.records.swap(pending, pending.but(status=status, last_error=str(exc)))
            raise
        posted = pending.but(status="posted", message_id=message_id, posted_at=self.now())
        self.records.swap(pending, posted, audit=[self._audit(delivery, posted, _posted(kind))])

    def _audit(self, delivery: Delivery, record: DeliveryRecord, action: AuditAction, **detail: object) -> AuditEntry:
        """The audit entry of a post or edit: the summary's digest and the newest draft version it names."""
        drafts = delivery.summary.drafts
        return AuditEntry(
            day=delivery.day,
            artifact_kind=f"chat_{record.kind}",
            action=action,
            path=delivery.target.key,
            run_id=self.run_id,
            meeting_id=delivery.meeting_id,
            content_sha256=record.content_sha256,
            draft_version=max((d.version for d in drafts), default=None),
            detail={
                "message_id": record.message_id,
                "marker": record.marker,
                "drafts": [f"{d.contract_type} v{d.version} ({d.status})" for d in drafts],
                **detail,
            },
        )


def _posted(kind: DeliveryKind) -> AuditAction:
    return "posted" if kind == "summary" else "follow_up"


def _refused_outright(exc: SourceError) -> bool:
    if isinstance(exc, (SourceConfigurationError, NotFoundError, AuthFailedError, UnsafeUrlError)):
        return True
    # A 4xx answer stored nothing; an answer without a message id came after the post was stored.
    return isinstance(exc, UnexpectedResponseError) and exc.status is not None and 400 <= exc.status < 500
