"""Every chat post and edit is in the audit trail once, with its run, content digest, message and draft version."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bridge_pipeline.notifications import TeamsChatClient, notify_day
from bridge_pipeline.storage.audit import AuditLog
from bridge_pipeline_tests.http.fast_settings import FAST_HTTP

from .conftest import DAY, ORGANIZER_A, ORGANIZER_B, TEAMS_ON, UTC, teams_meeting


def _chat_trail(line) -> list:
    return AuditLog(line.store.engine).entries(DAY, kinds=["chat_summary", "chat_follow_up"])


def test_posts_and_edits_are_recorded_once_each_with_their_run(graph, line, teams_source, teams_poster):
    graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    graph.add_meeting(teams_meeting(ORGANIZER_B, 3))  # not opted in: never posted, never recorded
    line.run(DAY, teams_source)

    notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster}, run_id="run-1")
    notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster}, run_id="run-2")  # unchanged

    [record] = line.deliveries.for_day(DAY)
    [posted] = _chat_trail(line)
    assert (posted.action, posted.artifact_kind, posted.run_id) == ("posted", "chat_summary", "run-1")
    assert posted.meeting_id == record.meeting_id and posted.path == record.target
    assert posted.content_sha256 == record.content_sha256
    assert posted.detail["message_id"] == record.message_id and posted.detail["marker"] == record.marker
    drafts = line.store.load_drafts(DAY)[record.meeting_id].drafts
    assert posted.draft_version == max(d.version for d in drafts)
    assert posted.detail["drafts"] and all(" v" in line_text for line_text in posted.detail["drafts"])

    line.drop_first_decision(record.meeting_id)
    report = notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster}, run_id="run-3")

    assert report.counts()["updated"] == 1
    [_, edited] = _chat_trail(line)
    [after] = line.deliveries.for_day(DAY)
    assert (edited.action, edited.run_id, edited.content_sha256) == ("edited", "run-3", after.content_sha256)
    assert edited.content_sha256 != posted.content_sha256 and edited.detail["message_id"] == record.message_id


def test_a_refused_edit_records_its_follow_up(graph, line, teams_source):
    token = graph.add_service_account("6a7b8c9d-0000-4000-8000-0000000000aa", "poster@brightwater.example",
                                      scopes=("ChatMessage.Send",))
    graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)
    poster = TeamsChatClient(graph.chat_sender_settings(token, http=FAST_HTTP))
    try:
        notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": poster}, run_id="run-1")
        [meeting] = line.meetings()
        line.drop_first_decision(meeting.meeting_id)
        notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": poster}, run_id="run-2")
    finally:
        poster.close()

    assert [(e.artifact_kind, e.action, e.run_id) for e in _chat_trail(line)] == [
        ("chat_summary", "posted", "run-1"),
        ("chat_follow_up", "follow_up", "run-2"),
    ]


class _DiesAfterPosting:
    def __init__(self, poster):
        self._poster = poster
        self.source = poster.source

    def post(self, target, message):
        self._poster.post(target, message)
        raise SystemExit("killed before the answer was stored")

    def __getattr__(self, name):
        return getattr(self._poster, name)


def test_a_post_settled_by_the_next_run_is_recorded_once_by_that_run(graph, line, teams_source, teams_poster):
    graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)
    try:
        notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": _DiesAfterPosting(teams_poster)}, run_id="run-1")
    except SystemExit:
        pass
    assert _chat_trail(line) == []  # the dead run never learned its post arrived

    later = lambda: dt.datetime.now(UTC) + dt.timedelta(minutes=30)  # noqa: E731
    notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster}, now=later, run_id="run-2")
    notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster}, now=later, run_id="run-3")

    [settled] = _chat_trail(line)
    assert (settled.action, settled.run_id, settled.detail["found_by_marker"]) == ("posted", "run-2", True)


def test_a_dry_run_posts_nothing_and_records_nothing(graph, line, teams_source, teams_poster):
    graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)

    notify_day(DAY, line.store, line.blobs, dataclasses.replace(TEAMS_ON, dry_run=True), {"teams": teams_poster})

    assert _chat_trail(line) == []
