import datetime as dt
import time

import pytest

from bridge_pipeline.apis.graph import GraphClient
from bridge_pipeline.http.errors import (
    AuthFailedError,
    NotReadyError,
    RetriesExhaustedError,
    SourceConfigurationError,
    SourceTimeoutError,
    UnexpectedResponseError,
    UnsafeUrlError,
)
from bridge_pipeline.http.settings import HttpSettings

from bridge_pipeline_tests.http.fast_settings import FAST_HTTP, http_with

from .conftest import MORNING, ORGANIZER_A, meeting

DAY_START = dt.datetime(2026, 5, 14, tzinfo=dt.timezone.utc)
DAY_END = DAY_START + dt.timedelta(days=1)


# --- tokens ----------------------------------------------------------------------------------------


def test_client_credentials_token_is_fetched_once_and_reused(graph, client):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    client.list_recordings(ORGANIZER_A, DAY_START, DAY_END)
    assert graph.tokens_issued == 1
    assert all(r.authorization_scheme == "Bearer" for r in graph.requests if r.route != "token")


def test_token_is_refetched_before_it_expires(graph):
    graph.token_lifetime_s = 1.0  # refreshed after half its lifetime
    with GraphClient(graph.source_settings(http=FAST_HTTP)) as client:
        client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
        time.sleep(0.6)
        client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    assert graph.tokens_issued == 2
    assert not [r for r in graph.requests if r.status == 401]


def test_token_is_refetched_once_when_graph_answers_401(graph, client):
    client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    graph.expire_tokens()
    client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    assert graph.tokens_issued == 2
    assert [r.status for r in graph.requests_to("transcripts")] == [200, 401, 200]


def test_a_second_401_after_a_fresh_token_is_an_auth_failure_not_a_loop(graph, client):
    graph.fail("transcripts", 401, payload={"error": {"code": "InvalidAuthenticationToken", "message": "no"}}, times=5)
    with pytest.raises(AuthFailedError, match="still refused"):
        client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    assert graph.tokens_issued == 2
    assert len(graph.requests_to("transcripts")) == 2


# --- listings --------------------------------------------------------------------------------------


def test_listing_follows_every_next_link(graph, client):
    for number in range(12):
        graph.add_meeting(meeting(ORGANIZER_A, MORNING + dt.timedelta(minutes=10 * number), number))
    transcripts = client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    assert len(transcripts) == 12
    paths = [r.path for r in graph.requests_to("transcripts")]
    assert len(paths) == 3  # pages of 5, 5 and 2
    assert paths[1].startswith(f"/v1.0/users('{ORGANIZER_A}')/")  # the next link was followed verbatim


def test_listing_asks_for_the_time_window_and_keeps_only_what_falls_in_it(graph, client):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    graph.add_meeting(meeting(ORGANIZER_A, MORNING + dt.timedelta(days=1)))
    transcripts = client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    assert [t.created_at for t in transcripts] == [MORNING + dt.timedelta(minutes=1)]
    path = graph.requests_to("transcripts")[0].path
    assert f"meetingOrganizerUserId='{ORGANIZER_A}'" in path
    assert "startDateTime=2026-05-14T00:00:00Z" in path and "endDateTime=2026-05-15T00:00:00Z" in path


def test_recordings_are_listed_with_their_correlation_ids(graph, client):
    recorded = graph.add_meeting(meeting(ORGANIZER_A, MORNING, vtt=None))
    [recording] = client.list_recordings(ORGANIZER_A, DAY_START, DAY_END)
    assert recording.id == recorded.recording_id
    assert recording.content_correlation_id == recorded.correlation_id


def test_transcripts_listed_twice_are_returned_once(graph, client):
    graph.duplicate_across_pages = True
    for number in range(8):
        graph.add_meeting(meeting(ORGANIZER_A, MORNING + dt.timedelta(minutes=number), number))
    transcripts = client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    assert len(transcripts) == len({t.id for t in transcripts}) == 8


def test_transcript_content_is_requested_as_text_vtt(graph, client):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    [transcript] = client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    content = client.transcript_vtt(transcript)
    assert content.startswith(b"WEBVTT")
    assert b"<v Mara Lindqvist>" in content
    assert graph.requests_to("content")[0].query["$format"] == ["text/vtt"]


# --- throttling and transient errors -----------------------------------------------------------------


def test_429_with_fractional_retry_after_is_waited_out(graph, client):
    graph.fail("transcripts", 429, payload={"error": {"code": "TooManyRequests"}}, headers={"Retry-After": "0.25"})
    started = time.monotonic()
    client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    assert time.monotonic() - started >= 0.25
    assert [r.status for r in graph.requests_to("transcripts")] == [429, 200]


def test_503_with_retry_after_is_retried(graph, client):
    graph.fail("transcripts", 503, payload={"error": {"code": "ServiceUnavailable"}}, headers={"Retry-After": "0.05"})
    client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    assert [r.status for r in graph.requests_to("transcripts")] == [503, 200]


def test_a_storm_of_twenty_429s_is_ridden_out_when_the_budget_allows(graph):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    graph.fail("transcripts", 429, headers={"Retry-After": "0.01"}, times=20)
    with GraphClient(graph.source_settings(http=http_with(max_attempts=25, budget_s=10.0))) as client:
        assert len(client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)) == 1
    assert len(graph.requests_to("transcripts")) == 21


def test_a_storm_of_twenty_429s_ends_within_the_budget_with_a_clear_error(graph):
    graph.fail("transcripts", 429, headers={"Retry-After": "0.1"}, times=20)
    started = time.monotonic()
    with GraphClient(graph.source_settings(http=http_with(max_attempts=50, budget_s=0.5))) as client:
        with pytest.raises(RetriesExhaustedError, match="gave up after") as caught:
            client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    assert time.monotonic() - started < 1.0
    assert caught.value.last_error.status == 429
    assert f"organizer {ORGANIZER_A}" in str(caught.value)


def test_a_hanging_server_is_cut_off_by_the_client_timeout(graph):
    graph.hang("transcripts", times=None)
    started = time.monotonic()
    with GraphClient(graph.source_settings(http=http_with(read_timeout_s=0.2, max_attempts=2))) as client:
        with pytest.raises(RetriesExhaustedError) as caught:
            client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    assert isinstance(caught.value.last_error, SourceTimeoutError)
    assert time.monotonic() - started < 2.0


def test_slow_answers_within_the_timeout_are_fine(graph, client):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    graph.slow("transcripts", 0.2)
    assert len(client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)) == 1


# --- refusals ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "shown"),
    [
        ("transcripts_disabled", "GraphAccessToTranscriptsDisabled"),
        ("no_access_policy", "application access policy"),
    ],
)
def test_403_policy_refusals_are_configuration_errors_naming_the_organizer(graph, client, policy, shown):
    graph.forbid_organizer(ORGANIZER_A, policy)
    with pytest.raises(SourceConfigurationError) as caught:
        client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    assert ORGANIZER_A in str(caught.value)
    assert shown in str(caught.value)
    assert len(graph.requests_to("transcripts")) == 1  # not retried


def test_speaker_attribution_switch_on_content_is_a_configuration_error(graph, client):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    [transcript] = client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    graph.forbid_organizer(ORGANIZER_A, "speaker_attribution_disabled")
    with pytest.raises(SourceConfigurationError, match="EnableAttributedTranscripts"):
        client.transcript_vtt(transcript)


def test_404_on_transcript_content_means_not_ready(graph, client):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING, not_ready_polls=1))
    [transcript] = client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    with pytest.raises(NotReadyError, match="not available yet"):
        client.transcript_vtt(transcript)
    assert client.transcript_vtt(transcript).startswith(b"WEBVTT")


# --- bad answers -------------------------------------------------------------------------------------


def test_a_malformed_json_page_is_retried(graph, client):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    graph.fail("transcripts", 200, body=b'{"value": [{"id": ')
    assert len(client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)) == 1


def test_a_page_that_stays_malformed_ends_in_a_clear_error(graph, client):
    graph.fail("transcripts", 200, body=b"<<garbage>>", times=None)
    with pytest.raises(RetriesExhaustedError, match="not valid JSON"):
        client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)


def test_a_page_without_value_is_an_unexpected_response(graph, client):
    graph.fail("transcripts", 200, payload={"@odata.context": "x", "items": []})
    with pytest.raises(UnexpectedResponseError, match="no 'value' list"):
        client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)


def test_a_next_link_loop_is_detected(graph, client):
    graph.next_link_loop = True
    for number in range(20):
        graph.add_meeting(meeting(ORGANIZER_A, MORNING + dt.timedelta(minutes=number), number))
    with pytest.raises(UnexpectedResponseError, match="same next-page link twice"):
        client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    # The second page pointed back at itself: stopped before reading it a second time.
    assert len(graph.requests_to("transcripts")) == 2


def test_an_html_login_page_instead_of_a_transcript_is_an_auth_failure(graph, client):
    graph.add_meeting(meeting(ORGANIZER_A, MORNING))
    [transcript] = client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
    graph.fail("content", 200, body=b"<!DOCTYPE html><html><body>Sign in</body></html>", content_type="text/html")
    with pytest.raises(AuthFailedError, match="HTML page"):
        client.transcript_vtt(transcript)


def test_a_token_that_expires_in_the_middle_of_a_listing_is_replaced_and_the_walk_goes_on(graph, client):
    for number in range(12):
        graph.add_meeting(meeting(ORGANIZER_A, MORNING + dt.timedelta(minutes=number), number))
    pages = []

    def expire_on_second_page(route, request):
        if route == "transcripts":
            pages.append(1)
            if len(pages) == 2:
                graph.expire_tokens()

    graph.on_request = expire_on_second_page
    assert len(client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)) == 12
    assert [r.status for r in graph.requests_to("transcripts")] == [200, 401, 200, 200]
    assert graph.tokens_issued == 2


# --- URL guard ---------------------------------------------------------------------------------------


def test_production_mode_refuses_to_talk_to_the_loopback_fake(graph):
    with pytest.raises(UnsafeUrlError, match="only calls https"):
        GraphClient(graph.source_settings(http=HttpSettings(mode="production")))


def test_a_next_link_to_a_foreign_host_is_not_followed(graph, client):
    graph.fail("transcripts", 200, payload={"value": [], "@odata.nextLink": "http://collector.invalid/steal"})
    with pytest.raises(UnsafeUrlError, match="collector.invalid"):
        client.list_transcripts(ORGANIZER_A, DAY_START, DAY_END)
