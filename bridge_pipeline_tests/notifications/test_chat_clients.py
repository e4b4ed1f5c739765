"""The Teams and Zoom chat posters on their own: marker look-ups across pages, unclear failures, giving up."""

from __future__ import annotations

import datetime as dt

import pytest

from bridge_fakes.teams_chats import TokenGrant
from bridge_pipeline.http.errors import RetriesExhaustedError
from bridge_pipeline.notifications import TeamsChatClient, ZoomChatClient
from bridge_pipeline.notifications.chat import ChatTarget, OutgoingMessage
from bridge_pipeline.notifications.errors import MissingChatPermissionError
from bridge_pipeline_tests.http.fast_settings import http_with

from .conftest import ORGANIZER_A, UTC, ZOOM_CHANNEL, ZOOM_HOST, ZOOM_HOST_EMAIL, teams_meeting

SINCE = dt.datetime.now(UTC) - dt.timedelta(minutes=10)


def _html(marker: str) -> OutgoingMessage:
    return OutgoingMessage(f"<p>Meeting summary</p><p>Ref {marker}</p>", "html", marker)


def _text(marker: str) -> OutgoingMessage:
    return OutgoingMessage(f"Meeting summary\nRef {marker}", "text", marker)


def test_teams_marker_is_found_behind_a_full_page_of_newer_messages(graph, teams_poster):
    seeded = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    target = ChatTarget("teams", "meeting_chat", seeded.chat_thread_id)
    message_id = teams_poster.post(target, _html("bp-behind"))
    organizer = TokenGrant("delegated", ORGANIZER_A, "Mara", frozenset({"ChatMessage.Send"}))
    for n in range(55):
        graph.chats.post(seeded.chat_thread_id, organizer, {"body": {"content": f"reply {n}"}})

    assert teams_poster.find_marker(target, "bp-behind", SINCE) == message_id
    assert len(graph.requests_to("chat_list")) == 2
    assert teams_poster.find_marker(target, "bp-never-sent", SINCE) is None


def test_teams_post_answered_503_is_looked_up_before_it_is_sent_again(graph, teams_poster):
    seeded = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    target = ChatTarget("teams", "meeting_chat", seeded.chat_thread_id)
    graph.fail("chat_post", 503, payload={"error": {"code": "ServiceUnavailable", "message": "busy"}})

    message_id = teams_poster.post(target, _html("bp-after-503"))

    assert [r.status for r in graph.requests_to("chat_post")] == [503, 201]
    assert len(graph.requests_to("chat_list")) == 1  # not stored: looked up once, then sent again
    [message] = graph.chats.messages(seeded.chat_thread_id)
    assert message.id == message_id


def test_teams_post_gives_up_after_the_policys_attempts_without_posting_twice(graph, refresh_token):
    seeded = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    target = ChatTarget("teams", "meeting_chat", seeded.chat_thread_id)
    graph.fail("chat_post", 500, payload={"error": {"code": "InternalServerError"}}, times=None)
    settings = graph.chat_sender_settings(refresh_token, http=http_with(max_attempts=3))

    with TeamsChatClient(settings) as poster, pytest.raises(RetriesExhaustedError) as caught:
        poster.post(target, _html("bp-down"))

    assert "not posted after 3 attempt(s)" in str(caught.value) and caught.value.attempts == 3
    assert len(graph.requests_to("chat_post")) == 3 and len(graph.requests_to("chat_list")) == 3
    assert graph.chats.messages(seeded.chat_thread_id) == []


def test_teams_edit_without_chat_readwrite_names_that_permission(graph):
    token = graph.add_service_account("6a7b8c9d-0000-4000-8000-0000000000bb", "sender@brightwater.example",
                                      scopes=("ChatMessage.Send",))
    seeded = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    target = ChatTarget("teams", "meeting_chat", seeded.chat_thread_id)
    with TeamsChatClient(graph.chat_sender_settings(token, http=http_with())) as poster:
        message_id = poster.post(target, _html("bp-1"))
        with pytest.raises(MissingChatPermissionError) as caught:
            poster.edit(target, message_id, _html("bp-1"))

    assert caught.value.permission == "Chat.ReadWrite" and "Chat.ReadWrite" in str(caught.value)


def test_zoom_marker_is_found_behind_a_full_page_of_newer_messages(zoom, zoom_poster):
    target = ChatTarget("zoom", "channel", ZOOM_CHANNEL)
    message_id = zoom_poster.post(target, _text("bp-behind"))
    with ZoomChatClient(zoom.chat_sender_settings(ZOOM_HOST, http=http_with())) as host:
        for n in range(52):
            host.post(target, _text(f"reply {n}"))

    assert zoom_poster.find_marker(target, "bp-behind", SINCE) == message_id
    assert zoom_poster.find_marker(target, "bp-never-sent", SINCE) is None


def test_zoom_direct_message_edit_keeps_the_id_and_drops_formatting(zoom, zoom_poster):
    target = ChatTarget("zoom", "contact", ZOOM_HOST_EMAIL)
    message_id = zoom_poster.post(target, OutgoingMessage("Meeting summary\nRef bp-2", "text", "bp-2"))

    zoom_poster.edit(target, message_id, OutgoingMessage("Updated summary\nRef bp-2", "text", "bp-2"))

    [message] = zoom.team_chat.messages_to(contact=ZOOM_HOST_EMAIL)
    assert (message.id, message.message, message.edited) == (message_id, "Updated summary\nRef bp-2", True)


def test_zoom_poster_refuses_a_message_over_zoom_s_limit_before_sending(zoom, zoom_poster):
    with pytest.raises(ValueError, match="at most 1024"):
        zoom_poster.post(ChatTarget("zoom", "channel", ZOOM_CHANNEL), _text("x" * 1100))
    assert zoom.requests_to("chat_post") == []
