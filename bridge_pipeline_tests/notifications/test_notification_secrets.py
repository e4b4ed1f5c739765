"""No credential reaches a chat message, a log line, an exception, a delivery record or a dry-run file."""

from __future__ import annotations

import base64
import dataclasses
import logging
import traceback

import pytest

from bridge_pipeline.http.errors import AuthFailedError
from bridge_pipeline.notifications import NotificationSettings, SourceOptIn, TeamsChatClient, notify_day
from bridge_pipeline.notifications.chat import ChatTarget, OutgoingMessage
from bridge_pipeline_tests.http.fast_settings import FAST_HTTP

from .conftest import DAY, ORGANIZER_A, ORGANIZER_A_UPN, ZOOM_CHANNEL, ZOOM_HOST_EMAIL, teams_meeting, zoom_meeting

WRONG_REFRESH_TOKEN = "wrong-refresh~token/with+symbols-0123456789"


def _every_text_of(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc.__dict__)


def test_no_secret_leaks_from_posting_editing_failing_or_dry_runs(
    graph, zoom, line, teams_source, zoom_source, teams_poster, zoom_poster, caplog
):
    caplog.set_level(logging.DEBUG)
    graph.echo_credentials_in_errors = True
    first = graph.add_meeting(teams_meeting(ORGANIZER_A, 0))
    graph.add_meeting(teams_meeting(ORGANIZER_A, 1))
    zoom.add_meeting(zoom_meeting(2))
    line.run(DAY, teams_source, zoom_source)
    settings = NotificationSettings(
        teams=SourceOptIn(enabled=True, organizers=(ORGANIZER_A_UPN,)),
        zoom=SourceOptIn(enabled=True, organizers=(ZOOM_HOST_EMAIL,)),
        zoom_channels={ZOOM_HOST_EMAIL: ZOOM_CHANNEL},
    )
    posters = {"teams": teams_poster, "zoom": zoom_poster}
    graph.fail("chat_post", 429, payload={"error": {"code": "TooManyRequests"}}, headers={"Retry-After": "0.01"})
    graph.lose_answers("chat_post")
    reports = [notify_day(DAY, line.store, line.blobs, settings, posters)]
    # A changed summary (an edit), a refused edit (a follow-up) and a refused post (a failure).
    line.drop_first_decision(line.meeting_in_chat(first.chat_thread_id).meeting_id)
    graph.fail("chat_edit", 404, payload={"error": {"code": "NotFound", "message": "gone"}})
    reports.append(notify_day(DAY, line.store, line.blobs, settings, posters))
    zoom.granted_scopes.clear()
    zoom.expire_tokens()
    graph.add_meeting(teams_meeting(ORGANIZER_A, 3))
    zoom.add_meeting(zoom_meeting(3))
    line.run(DAY, teams_source, zoom_source)
    reports.append(notify_day(DAY, line.store, line.blobs, settings, posters))
    reports.append(notify_day(DAY, line.store, line.blobs, dataclasses.replace(settings, dry_run=True), posters))
    with TeamsChatClient(graph.chat_sender_settings(WRONG_REFRESH_TOKEN, http=FAST_HTTP)) as refused:
        with pytest.raises(AuthFailedError) as caught:
            refused.post(ChatTarget("teams", "meeting_chat", first.chat_thread_id),
                         OutgoingMessage("<p>x</p>", "html", "bp-test"))
        texts = [repr(refused), repr(refused.settings), _every_text_of(caught.value)]

    assert reports[0].counts()["posted"] == 3 and reports[1].counts()["follow_ups"] == 1
    assert reports[2].counts()["failed"] >= 1 and reports[3].counts()["dry_run"] >= 3
    assert "invalid_grant" in str(caught.value) and "[redacted]" in str(caught.value)
    texts += [m.content for chat in graph.chats.chats.values() for m in chat.messages]
    texts += [m.message for m in zoom.team_chat.messages]
    texts += [repr(r) for r in reports] + [repr(r) for r in line.deliveries.for_day(DAY)]
    texts += [line.blobs.get(key).decode() for key in line.blobs.list(f"exports/{DAY.isoformat()}/notifications")]
    texts += [caplog.text, repr(teams_poster), repr(zoom_poster), repr(teams_poster.settings), repr(zoom_poster.settings)]
    everything = "\n".join(texts)
    secrets = [
        graph.client_secret,
        zoom.client_secret,
        base64.b64encode(f"{zoom.client_id}:{zoom.client_secret}".encode()).decode(),
        WRONG_REFRESH_TOKEN,
        *graph.refresh_tokens_issued,
        *graph.access_tokens_issued(),
        *zoom.access_tokens_issued(),
    ]
    assert len(graph.refresh_tokens_issued) >= 2 and graph.access_tokens_issued() and zoom.access_tokens_issued()
    for secret in secrets:
        assert secret not in everything
