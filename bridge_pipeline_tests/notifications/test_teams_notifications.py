"""Meeting summaries in Teams meeting chats, against the Graph fake and a real SQLite store."""

from __future__ import annotations

import dataclasses
import datetime as dt

import httpx

from bridge_pipeline.http.api_client import Call
from bridge_pipeline.notifications import NotificationSettings, SourceOptIn, TeamsChatClient, notify_day
from bridge_pipeline.notifications.errors import MissingChatPermissionError
from bridge_pipeline.notifications.teams_chat import TeamsChatRules
from bridge_pipeline_tests.http.fast_settings import FAST_HTTP

from .conftest import (
    DAY,
    NEXT_DAY,
    ORGANIZER_A,
    ORGANIZER_B,
    SERVICE_ACCOUNT,
    TEAMS_ON,
    UTC,
    chat_requests,
    sample_vtt,
    teams_meeting,
)


def _two_meetings_of_a_and_one_of_b(graph):
    return [graph.add_meeting(teams_meeting(ORGANIZER_A, 0)), graph.add_meeting(teams_meeting(ORGANIZER_A, 1)),
            graph.add_meeting(teams_meeting(ORGANIZER_B, 3))]


def _visible(graph, chat_id):
    return [m for m in graph.chats.messages(chat_id) if not m.deleted]


def test_each_opted_in_meeting_gets_its_summary_in_its_own_chat(graph, line, teams_source, teams_poster):
    first, second, other = _two_meetings_of_a_and_one_of_b(graph)
    line.run(DAY, teams_source)

    report = notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})

    assert report.counts()["posted"] == 2 and report.counts()["skipped_opt_out"] == 1
    assert report.problems == []
    for seeded in (first, second):
        [message] = _visible(graph, seeded.chat_thread_id)
        assert message.sender_id == SERVICE_ACCOUNT and message.content_type == "html"
        assert f"Meeting summary: {seeded.subject}" in message.content
        assert "Not legally binding until reviewed by counsel" in message.content
        meeting = next(m for m in line.meetings() if m.chat_thread_id == seeded.chat_thread_id)
        [record] = line.deliveries.for_meeting(meeting.meeting_id)
        assert (record.status, record.kind, record.message_id) == ("posted", "summary", message.id)
        assert f"Ref {record.marker}" in message.content
    assert _visible(graph, other.chat_thread_id) == []


def test_summary_shows_decisions_owners_drafts_qa_status_and_export_keys(graph, line, teams_source, teams_poster):
    sow = graph.add_meeting(teams_meeting(ORGANIZER_A, 1))  # the SOW pilot: parties not named, so TBD with a warning
    nda = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)

    notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})

    [sow_message] = _visible(graph, sow.chat_thread_id)
    assert "<b>SOW v1</b>" in sow_message.content and "withheld" not in sow_message.content and "TBD" in sow_message.content
    assert "owner Jonas Adeyemi · due 2026-05-31" in sow_message.content
    [nda_message] = _visible(graph, nda.chat_thread_id)
    assert "<b>NDA v1</b>" in nda_message.content and "exported · " in nda_message.content
    exported, _ = line.store.load_exports(DAY)
    nda_keys = [f.blob_key for f in exported if f.document_id.endswith("-nda")]
    assert nda_keys and all(f"<code>{key}</code>" in nda_message.content for key in nda_keys)


def test_a_second_run_with_unchanged_content_sends_nothing(graph, line, teams_source, teams_poster):
    _two_meetings_of_a_and_one_of_b(graph)
    line.run(DAY, teams_source)
    notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})
    before = chat_requests(graph)

    report = notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})

    assert report.counts()["unchanged"] == 2 and report.counts()["posted"] == 0
    assert chat_requests(graph) == before
    assert sum(len(graph.chats.messages(m.chat_thread_id or "")) for m in line.meetings()) == 2


def test_rematerializing_the_day_does_not_post_again(graph, line, teams_source, teams_poster):
    graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)
    notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})

    line.run(DAY, teams_source)  # a backfill rewrites every stage of the day
    report = notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})

    assert report.counts()["unchanged"] == 1
    [meeting] = line.meetings()
    assert len(graph.chats.messages(meeting.chat_thread_id)) == 1


def test_default_settings_post_nothing_and_call_nobody(graph, line, teams_source, teams_poster):
    _two_meetings_of_a_and_one_of_b(graph)
    line.run(DAY, teams_source)
    before = chat_requests(graph)

    report = notify_day(DAY, line.store, line.blobs, NotificationSettings(), {"teams": teams_poster})

    assert report.counts()["skipped_opt_out"] == 3 and report.counts()["posted"] == 0
    assert chat_requests(graph) == before
    assert line.deliveries.for_day(DAY) == []


def test_a_source_switched_on_without_organizers_posts_for_nobody(graph, line, teams_source, teams_poster):
    graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)
    settings = NotificationSettings(teams=SourceOptIn(enabled=True))

    report = notify_day(DAY, line.store, line.blobs, settings, {"teams": teams_poster})

    assert report.counts()["skipped_opt_out"] == 1


def test_dry_run_writes_each_message_to_the_export_folder_and_sends_nothing(graph, line, teams_source, teams_poster):
    first, _, _ = _two_meetings_of_a_and_one_of_b(graph)
    line.run(DAY, teams_source)
    before = chat_requests(graph)
    settings = dataclasses.replace(TEAMS_ON, dry_run=True)

    report = notify_day(DAY, line.store, line.blobs, settings, {"teams": teams_poster})

    assert report.counts()["dry_run"] == 2 and chat_requests(graph) == before
    written = line.blobs.list(f"exports/{DAY.isoformat()}/notifications")
    assert len(written) == 2 and all(key.endswith(".teams.html") for key in written)
    assert sorted(o.detail for o in report.outcomes if o.outcome == "dry_run") == written
    meeting = next(m for m in line.meetings() if m.chat_thread_id == first.chat_thread_id)
    page = line.blobs.get(f"exports/{DAY.isoformat()}/notifications/{meeting.meeting_id}.teams.html").decode()
    assert page.startswith(f"<p><b>Meeting summary: {first.subject}</b>") and "Ref dry-run" in page
    assert line.deliveries.for_day(DAY) == []
    assert graph.chats.messages(first.chat_thread_id) == []


def test_missing_send_permission_fails_with_a_message_naming_it_and_records_nothing_as_posted(
    graph, line, teams_source
):
    token = graph.add_service_account("4e5f6a7b-0000-4000-8000-00000000c0de", "reader@brightwater.example",
                                      scopes=("Chat.Read",))
    graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    graph.add_meeting(teams_meeting(ORGANIZER_A, 2))
    line.run(DAY, teams_source)
    poster = TeamsChatClient(graph.chat_sender_settings(token, http=FAST_HTTP))

    report = notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": poster})

    assert report.counts()["failed"] == 2 and report.counts()["posted"] == 0
    assert all("ChatMessage.Send" in problem and "403" in problem for problem in report.problems)
    assert not report.retry_advised  # a permission does not come back by waiting
    records = line.deliveries.for_day(DAY)
    assert [r.status for r in records] == ["failed", "failed"]
    assert all("ChatMessage.Send" in r.last_error for r in records)
    assert len(graph.requests_to("chat_post")) == 2  # one refused post per meeting, no retries
    poster.close()


def test_after_the_permission_is_granted_the_next_run_posts(graph, line, teams_source, refresh_token):
    graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)
    graph.fail("chat_post", 403, payload={"error": {"code": "Forbidden", "message": "Missing scope permissions"}})
    with TeamsChatClient(graph.chat_sender_settings(refresh_token, http=FAST_HTTP)) as poster:
        assert notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": poster}).counts()["failed"] == 1

        report = notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": poster})

    assert report.counts()["posted"] == 1
    [record] = line.deliveries.for_day(DAY)
    assert record.status == "posted" and record.last_error is None


def test_graph_refuses_app_only_tokens_on_chat_posts_as_graph_does(graph, teams_poster):
    seeded = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    with httpx.Client() as http:
        form = {"client_id": graph.client_id, "client_secret": graph.client_secret,
                "scope": "https://graph.microsoft.com/.default", "grant_type": "client_credentials"}
        app_token = http.post(f"{graph.login_base_url}/{graph.tenant_id}/oauth2/v2.0/token", data=form).json()["access_token"]
        url = f"{graph.graph_base_url}/chats/{seeded.chat_thread_id}/messages"
        answer = http.post(url, json={"body": {"contentType": "html", "content": "<p>hi</p>"}},
                           headers={"Authorization": f"Bearer {app_token}"})

    assert answer.status_code == 401
    assert "application-only context only for import purposes" in answer.json()["error"]["message"]
    call = Call("POST", url, what="posting the meeting summary")
    rules = TeamsChatRules()
    assert not rules.token_rejected(answer, call)  # a new app-only token would be refused the same way
    error = rules.error_for(answer, call)
    assert isinstance(error, MissingChatPermissionError) and error.permission == "ChatMessage.Send"
    assert graph.chats.messages(seeded.chat_thread_id) == []


def test_a_later_meetings_new_draft_version_updates_the_earlier_message(graph, line, teams_source, teams_poster):
    call = graph.add_meeting(teams_meeting(
        ORGANIZER_A, 0, subject="Nordlicht × Kowalczyk — NDA and SOW for route forecasting",
        vtt=sample_vtt("2026-05-14", "vendor-call-nordlicht-kowalczyk")))
    follow_up = graph.add_meeting(teams_meeting(
        ORGANIZER_A, 1, day=NEXT_DAY, subject="Nordlicht × Kowalczyk — SOW follow-up",
        vtt=sample_vtt("2026-05-15", "vendor-followup-nordlicht-kowalczyk")))
    line.run(DAY, teams_source)
    notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})
    [first_post] = graph.chats.messages(call.chat_thread_id)
    assert "newer version" not in first_post.content

    line.run(NEXT_DAY, teams_source)
    report = notify_day(NEXT_DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})

    assert report.counts()["posted"] == 1 and report.counts()["updated"] == 1
    [edited] = graph.chats.messages(call.chat_thread_id)
    assert edited.id == first_post.id and edited.last_edited is not None
    assert "newer version: v2 from “Nordlicht × Kowalczyk — SOW follow-up” (2026-05-15)" in edited.content
    [second] = graph.chats.messages(follow_up.chat_thread_id)
    assert "<b>SOW v2</b>" in second.content and "continues v1 from" in second.content
    # Both records now describe what their chats show: nothing left to send, for either meeting.
    again = notify_day(NEXT_DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})
    assert again.counts()["unchanged"] == 2 and again.counts()["updated"] == 0


def test_an_edit_the_api_refuses_becomes_a_short_follow_up(graph, line, teams_source):
    # An account that may post but not edit (no Chat.ReadWrite): Graph answers the edit with 403.
    token = graph.add_service_account("6a7b8c9d-0000-4000-8000-0000000000aa", "poster@brightwater.example",
                                      scopes=("ChatMessage.Send",))
    seeded = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)
    poster = TeamsChatClient(graph.chat_sender_settings(token, http=FAST_HTTP))
    notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": poster})
    [meeting] = line.meetings()
    line.drop_first_decision(meeting.meeting_id)

    report = notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": poster})

    assert report.counts()["follow_ups"] == 1
    assert [r.status for r in graph.requests_to("chat_edit")] == [403]
    original, follow_up = graph.chats.messages(seeded.chat_thread_id)
    assert original.last_edited is None
    assert "Updated meeting summary" in follow_up.content and "could not be edited" in follow_up.content
    assert "<i>“" not in follow_up.content  # short: no quotes
    summary, later = sorted(line.deliveries.for_meeting(meeting.meeting_id), key=lambda r: r.kind != "summary")
    assert (later.kind, later.status, later.message_id) == ("follow_up", "posted", follow_up.id)
    assert later.content_sha256 != summary.content_sha256
    assert notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": poster}).counts()["unchanged"] == 1
    poster.close()


def test_a_throttled_post_is_sent_again_after_the_wait_the_server_asked(graph, line, teams_source, teams_poster):
    seeded = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)
    graph.fail("chat_post", 429, payload={"error": {"code": "TooManyRequests", "message": "slow down"}},
               headers={"Retry-After": "0.05"}, times=2)

    report = notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})

    assert report.counts()["posted"] == 1
    assert [r.status for r in graph.requests_to("chat_post")] == [429, 429, 201]
    assert len(graph.chats.messages(seeded.chat_thread_id)) == 1
    assert graph.requests_to("chat_list") == []  # a 429 stored nothing: no need to look


def test_a_post_whose_answer_was_lost_is_found_in_the_chat_not_sent_again(graph, line, teams_source, teams_poster):
    seeded = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)
    graph.lose_answers("chat_post")

    report = notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})

    assert report.counts()["posted"] == 1
    [message] = graph.chats.messages(seeded.chat_thread_id)
    assert [r.status for r in graph.requests_to("chat_post")] == [504]
    assert len(graph.requests_to("chat_list")) == 1
    [record] = line.deliveries.for_day(DAY)
    assert (record.status, record.message_id) == ("posted", message.id)


class _DiesAfterPosting:
    """The real poster, in a process that dies right after the chat accepted the post."""

    def __init__(self, poster):
        self._poster = poster
        self.source = poster.source

    def post(self, target, message):
        self._poster.post(target, message)
        raise SystemExit("killed before the answer was stored")

    def __getattr__(self, name):
        return getattr(self._poster, name)


def test_a_run_that_died_after_posting_is_settled_by_the_next_without_a_second_post(
    graph, line, teams_source, teams_poster
):
    seeded = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)
    try:
        notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": _DiesAfterPosting(teams_poster)})
    except SystemExit:
        pass
    [record] = line.deliveries.for_day(DAY)
    assert record.status == "pending"

    # Right after: the post might still be running in another process, so it is left alone.
    soon = notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})
    later = notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster},
                       now=lambda: dt.datetime.now(UTC) + dt.timedelta(minutes=30))

    assert soon.counts()["in_progress"] == 1
    assert later.counts()["posted"] == 0 and later.counts()["unchanged"] == 1
    [message] = graph.chats.messages(seeded.chat_thread_id)
    [settled] = line.deliveries.for_day(DAY)
    assert (settled.status, settled.message_id, settled.marker) == ("posted", message.id, record.marker)


def test_the_rotated_refresh_token_is_used_once_the_first_one_is_spent(graph, line, teams_source, teams_poster):
    graph.revoke_used_refresh_tokens = True
    graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    graph.add_meeting(teams_meeting(ORGANIZER_A, 1))
    line.run(DAY, teams_source)
    settings = dataclasses.replace(TEAMS_ON, teams=SourceOptIn(enabled=True, organizers=("*",)))
    notify_day(DAY, line.store, line.blobs, TEAMS_ON, {"teams": teams_poster})
    graph.expire_tokens()  # the hour is over: the next call needs a new access token
    graph.add_meeting(teams_meeting(ORGANIZER_B, 2))
    line.run(DAY, teams_source)

    report = notify_day(DAY, line.store, line.blobs, settings, {"teams": teams_poster})

    assert report.counts()["posted"] == 1 and report.problems == []
    assert len(graph.refresh_tokens_issued) == 3  # the sign-in's, then one per redemption


def test_inbox_meetings_are_never_posted_and_teams_meetings_without_a_chat_are_skipped(line, teams_poster, graph):
    from bridge_pipeline_tests.storage import sample_records as samples

    inbox = samples.meeting("inbox-20260514-standup", DAY).model_copy(update={"source": "inbox"})
    no_chat = samples.meeting("teams-20260514-0000000000aa", DAY).model_copy(
        update={"source": "teams", "organizer": "MARA.LINDQVIST@brightwater.example"})
    line.store.replace_meetings(DAY, [inbox, no_chat])
    settings = NotificationSettings(teams=SourceOptIn(enabled=True, organizers=("*",)))

    report = notify_day(DAY, line.store, line.blobs, settings, {"teams": teams_poster})

    assert report.outcome_of(inbox.meeting_id).outcome == "skipped_source"
    assert report.outcome_of(no_chat.meeting_id).outcome == "skipped_no_target"
    assert chat_requests(graph) == 0


def test_export_links_under_a_configured_base_are_links(graph, line, teams_source, teams_poster):
    seeded = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    line.run(DAY, teams_source)
    settings = dataclasses.replace(TEAMS_ON, export_link_base="https://files.brightwater.example/bridge")

    notify_day(DAY, line.store, line.blobs, settings, {"teams": teams_poster})

    [message] = graph.chats.messages(seeded.chat_thread_id)
    assert f'<a href="https://files.brightwater.example/bridge/exports/{DAY.isoformat()}/' in message.content
