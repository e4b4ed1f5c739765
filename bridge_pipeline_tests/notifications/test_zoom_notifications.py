"""Meeting summaries in Zoom Team Chat, against the Zoom fake and a real SQLite store."""

from __future__ import annotations

import dataclasses
import json

from bridge_pipeline.notifications import NotificationSettings, SourceOptIn, TeamsChatClient, notify_day
from bridge_pipeline.notifications.zoom_text import MAX_MESSAGE_CHARS
from bridge_pipeline_tests.http.fast_settings import FAST_HTTP

from .conftest import (
    DAY,
    ORGANIZER_A,
    ORGANIZER_A_UPN,
    ZOOM_CHANNEL,
    ZOOM_HOST_EMAIL,
    ZOOM_ON,
    ZOOM_SENDER,
    chat_requests,
    teams_meeting,
    zoom_meeting,
)

TO_CHANNEL = dataclasses.replace(ZOOM_ON, zoom_channels={ZOOM_HOST_EMAIL: ZOOM_CHANNEL})


def test_summaries_go_to_the_organizers_channel_as_the_sending_user(zoom, line, zoom_source, zoom_poster):
    zoom.add_meeting(zoom_meeting(0))
    zoom.add_meeting(zoom_meeting(1))
    line.run(DAY, zoom_source)

    report = notify_day(DAY, line.store, line.blobs, TO_CHANNEL, {"zoom": zoom_poster})

    assert report.counts()["posted"] == 2 and report.problems == []
    messages = zoom.team_chat.messages_to(channel=ZOOM_CHANNEL)
    assert len(messages) == 2 and {m.sender_id for m in messages} == {ZOOM_SENDER}
    for message in messages:
        assert len(message.message) <= MAX_MESSAGE_CHARS
        assert message.message.startswith("Meeting summary: ")
        assert message.message.splitlines()[-2] == "Not legally binding until reviewed by counsel."
        first_line = message.message.splitlines()[0]
        assert message.rich_text[0] == {"start_position": 0, "end_position": len(first_line), "format_type": "Bold"}
        headings = [message.message[r["start_position"]:r["end_position"]] for r in message.rich_text[1:]]
        assert "Decisions" in headings and "Contract drafts" in headings
    records = line.deliveries.for_day(DAY)
    assert sorted(r.message_id for r in records) == sorted(m.id for m in messages)
    assert {r.target for r in records} == {f"zoom:channel:{ZOOM_CHANNEL}"}


def test_an_organizer_without_a_channel_gets_a_direct_message(zoom, line, zoom_source, zoom_poster):
    zoom.add_meeting(zoom_meeting(2))
    line.run(DAY, zoom_source)

    report = notify_day(DAY, line.store, line.blobs, ZOOM_ON, {"zoom": zoom_poster})

    assert report.counts()["posted"] == 1
    [message] = zoom.team_chat.messages_to(contact=ZOOM_HOST_EMAIL)
    assert "Northwind hosting: service levels" in message.message
    assert zoom.team_chat.messages_to(channel=ZOOM_CHANNEL) == []


def test_a_second_run_with_unchanged_content_sends_nothing(zoom, line, zoom_source, zoom_poster):
    zoom.add_meeting(zoom_meeting(0))
    line.run(DAY, zoom_source)
    notify_day(DAY, line.store, line.blobs, TO_CHANNEL, {"zoom": zoom_poster})
    before = chat_requests(zoom)

    report = notify_day(DAY, line.store, line.blobs, TO_CHANNEL, {"zoom": zoom_poster})

    assert report.counts()["unchanged"] == 1 and chat_requests(zoom) == before
    assert len(zoom.team_chat.messages_to(channel=ZOOM_CHANNEL)) == 1


def test_a_changed_summary_edits_the_posted_message_in_place(zoom, line, zoom_source, zoom_poster):
    zoom.add_meeting(zoom_meeting(1))
    line.run(DAY, zoom_source)
    notify_day(DAY, line.store, line.blobs, TO_CHANNEL, {"zoom": zoom_poster})
    [meeting] = line.meetings()
    dropped = line.drop_first_decision(meeting.meeting_id)

    report = notify_day(DAY, line.store, line.blobs, TO_CHANNEL, {"zoom": zoom_poster})

    assert report.counts()["updated"] == 1
    [message] = zoom.team_chat.messages_to(channel=ZOOM_CHANNEL)
    assert message.edited and dropped.text not in message.message
    assert [r.status for r in zoom.requests_to("chat_edit")] == [204]
    [record] = line.deliveries.for_day(DAY)
    assert record.message_id == message.id and record.updated_at is not None


def test_a_deleted_message_gets_a_follow_up_when_the_summary_changes(zoom, line, zoom_source, zoom_poster):
    zoom.add_meeting(zoom_meeting(1))
    line.run(DAY, zoom_source)
    notify_day(DAY, line.store, line.blobs, TO_CHANNEL, {"zoom": zoom_poster})
    [posted] = zoom.team_chat.messages_to(channel=ZOOM_CHANNEL)
    zoom.team_chat.delete(posted.id)  # someone removed it by hand
    [meeting] = line.meetings()
    line.drop_first_decision(meeting.meeting_id)

    report = notify_day(DAY, line.store, line.blobs, TO_CHANNEL, {"zoom": zoom_poster})

    assert report.counts()["follow_ups"] == 1 and report.problems == []
    assert [r.status for r in zoom.requests_to("chat_edit")] == [400]
    follow_up = zoom.team_chat.messages_to(channel=ZOOM_CHANNEL)[-1]
    assert follow_up.id != posted.id and follow_up.message.startswith("Updated meeting summary: ")


def test_missing_chat_scope_fails_naming_the_scope_and_posts_nothing(zoom, line, zoom_source, zoom_poster):
    zoom.granted_scopes -= {"chat_message:write:admin", "chat_message:read:admin"}
    zoom.add_meeting(zoom_meeting(0))
    line.run(DAY, zoom_source)

    report = notify_day(DAY, line.store, line.blobs, TO_CHANNEL, {"zoom": zoom_poster})

    assert report.counts()["failed"] == 1
    [problem] = report.problems
    assert "chat_message:write:admin" in problem and "4711" in problem
    [record] = line.deliveries.for_day(DAY)
    assert record.status == "failed" and record.message_id is None
    assert zoom.team_chat.messages_to(channel=ZOOM_CHANNEL) == []


def test_a_post_throttled_without_retry_after_is_sent_again_after_a_backoff(zoom, line, zoom_source, zoom_poster):
    zoom.add_meeting(zoom_meeting(0))
    line.run(DAY, zoom_source)
    zoom.fail("chat_post", 429, payload={"code": 429, "message": "You have reached the maximum per-second rate limit."})

    report = notify_day(DAY, line.store, line.blobs, TO_CHANNEL, {"zoom": zoom_poster})

    assert report.counts()["posted"] == 1
    assert [r.status for r in zoom.requests_to("chat_post")] == [429, 201]
    assert len(zoom.team_chat.messages_to(channel=ZOOM_CHANNEL)) == 1


def test_a_post_whose_answer_was_lost_is_found_in_the_channel(zoom, line, zoom_source, zoom_poster):
    zoom.add_meeting(zoom_meeting(0))
    line.run(DAY, zoom_source)
    zoom.lose_answers("chat_post")

    report = notify_day(DAY, line.store, line.blobs, TO_CHANNEL, {"zoom": zoom_poster})

    assert report.counts()["posted"] == 1
    [message] = zoom.team_chat.messages_to(channel=ZOOM_CHANNEL)
    [record] = line.deliveries.for_day(DAY)
    assert record.message_id == message.id and len(zoom.requests_to("chat_post")) == 1


def test_dry_run_writes_the_zoom_request_body(zoom, line, zoom_source, zoom_poster):
    zoom.add_meeting(zoom_meeting(0))
    line.run(DAY, zoom_source)
    before = chat_requests(zoom)

    report = notify_day(DAY, line.store, line.blobs, dataclasses.replace(TO_CHANNEL, dry_run=True), {"zoom": zoom_poster})

    [outcome] = report.outcomes
    assert outcome.outcome == "dry_run" and outcome.detail.endswith(".zoom.json")
    body = json.loads(line.blobs.get(outcome.detail))
    assert body["to_channel"] == ZOOM_CHANNEL and body["message"].endswith("Ref dry-run")
    assert body["rich_text"][0]["format_type"] == "Bold"
    assert chat_requests(zoom) == before


def test_a_refused_teams_permission_leaves_the_days_zoom_meetings_delivered(
    graph, zoom, line, teams_source, zoom_source, zoom_poster
):
    token = graph.add_service_account("4e5f6a7b-0000-4000-8000-00000000c0de", "reader@brightwater.example",
                                      scopes=("Chat.Read",))
    graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    zoom.add_meeting(zoom_meeting(1))
    line.run(DAY, teams_source, zoom_source)
    settings = NotificationSettings(
        teams=SourceOptIn(enabled=True, organizers=(ORGANIZER_A_UPN,)),
        zoom=SourceOptIn(enabled=True, organizers=(ZOOM_HOST_EMAIL,)),
        zoom_channels={ZOOM_HOST_EMAIL: ZOOM_CHANNEL},
    )
    with TeamsChatClient(graph.chat_sender_settings(token, http=FAST_HTTP)) as teams_poster:
        report = notify_day(DAY, line.store, line.blobs, settings, {"teams": teams_poster, "zoom": zoom_poster})

    assert report.counts()["failed"] == 1 and report.counts()["posted"] == 1
    [problem] = report.problems
    assert problem.startswith("teams-") and "delegated permission ChatMessage.Send" in problem
    assert len(zoom.team_chat.messages_to(channel=ZOOM_CHANNEL)) == 1
    assert sorted(r.status for r in line.deliveries.for_day(DAY)) == ["failed", "posted"]
