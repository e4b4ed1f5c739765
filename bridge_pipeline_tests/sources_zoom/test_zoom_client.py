import base64
import datetime as dt
import time

import httpx
import pytest

from bridge_pipeline.apis.zoom import ZoomClient
from bridge_pipeline.apis.zoom.models import TRANSCRIPT
from bridge_pipeline.apis.zoom.uuids import encode_meeting_uuid
from bridge_pipeline.apis.zoom.windows import month_windows
from bridge_pipeline.http.errors import (
    AuthFailedError,
    RetriesExhaustedError,
    UnexpectedResponseError,
    UnsafeUrlError,
)

from bridge_pipeline_tests.http.fast_settings import FAST_HTTP, http_with

from .conftest import DAY, HOST, MORNING, meeting

# --- pure helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uuid", "encoded"),
    [
        ("4444AAAiAAAAAiAiAiiAii==", "4444AAAiAAAAAiAiAiiAii%3D%3D"),
        ("L0AGOEPVR9m5WSOOs/d+FQ==", "L0AGOEPVR9m5WSOOs%2Fd%2BFQ%3D%3D"),
        ("/ajXp112QmuZ/ZjDKA==", "%252FajXp112QmuZ%252FZjDKA%253D%253D"),
        ("ab//cd+e==", "ab%252F%252Fcd%252Be%253D%253D"),
    ],
)
def test_meeting_uuids_are_double_encoded_only_when_they_start_with_or_contain_double_slashes(uuid, encoded):
    assert encode_meeting_uuid(uuid) == encoded


def test_month_windows_never_exceed_one_month():
    windows = month_windows(dt.date(2026, 1, 31), dt.date(2026, 4, 15))
    assert windows[0] == (dt.date(2026, 1, 31), dt.date(2026, 2, 27))
    assert windows[-1][1] == dt.date(2026, 4, 15)
    assert all(b == a + dt.timedelta(days=1) for (_, a), (b, _) in zip(windows, windows[1:]))
    assert month_windows(dt.date(2026, 5, 2), dt.date(2026, 5, 1)) == []


# --- tokens ----------------------------------------------------------------------------------------


def test_server_to_server_token_is_requested_with_basic_auth_and_account_id(zoom, client):
    client.list_recordings(HOST, DAY, DAY)
    [token_request] = zoom.requests_to("token")
    assert token_request.authorization_scheme == "Basic"
    assert token_request.query == {"grant_type": ["account_credentials"], "account_id": ["sandbox-account"]}


def test_clients_of_one_account_share_one_token(zoom):
    with ZoomClient(zoom.source_settings(http=FAST_HTTP)) as first, ZoomClient(zoom.source_settings(http=FAST_HTTP)) as second:
        first.list_recordings(HOST, DAY, DAY)
        second.list_recordings(HOST, DAY, DAY)
        first.list_recordings(HOST, DAY, DAY)
    assert zoom.tokens_issued == 1
    assert not [r for r in zoom.requests if r.status == 401]


def test_a_token_revoked_by_another_token_request_is_refetched_after_code_124(zoom, client):
    client.list_recordings(HOST, DAY, DAY)
    # Another program with the same app credentials asks for a token: Zoom revokes ours.
    basic = base64.b64encode(f"{zoom.client_id}:{zoom.client_secret}".encode()).decode()
    httpx.post(f"{zoom.base_url}/oauth/token", params={"grant_type": "account_credentials", "account_id": zoom.account_id},
               headers={"Authorization": f"Basic {basic}"})
    client.list_recordings(HOST, DAY, DAY)
    assert [r.status for r in zoom.requests_to("recordings")] == [200, 401, 200]
    assert zoom.tokens_issued == 3


# --- listings --------------------------------------------------------------------------------------


def test_recordings_are_listed_in_windows_of_at_most_one_month(zoom, client):
    zoom.add_meeting(meeting(dt.datetime(2026, 2, 10, 9, tzinfo=dt.timezone.utc)))
    zoom.add_meeting(meeting(dt.datetime(2026, 4, 20, 9, tzinfo=dt.timezone.utc), 1))
    meetings = client.list_recordings(HOST, dt.date(2026, 2, 1), dt.date(2026, 4, 30))
    assert len(meetings) == 2
    windows = [(r.query["from"][0], r.query["to"][0]) for r in zoom.requests_to("recordings")]
    assert windows == [("2026-02-01", "2026-02-28"), ("2026-03-01", "2026-03-31"), ("2026-04-01", "2026-04-30")]


def test_the_fake_refuses_ranges_longer_than_a_month_like_zoom(zoom, client):
    token = client.api.bearer_token().reveal()
    answer = httpx.get(f"{zoom.api_base_url}/users/{HOST}/recordings", params={"from": "2026-01-01", "to": "2026-03-01"},
                       headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400


def test_pages_of_300_are_followed_until_next_page_token_is_empty(zoom, client):
    for number in range(650):
        zoom.add_meeting(meeting(MORNING + dt.timedelta(seconds=number), number, chat=None))
    meetings = client.list_recordings(HOST, DAY, DAY)
    assert len({m.uuid for m in meetings}) == 650
    pages = zoom.requests_to("recordings")
    assert [r.query["page_size"] for r in pages] == [["300"]] * 3
    assert "next_page_token" not in pages[0].query and "next_page_token" in pages[2].query


def test_a_repeated_next_page_token_is_a_loop(zoom, client):
    page = {"from": "2026-05-14", "to": "2026-05-14", "next_page_token": "same-token", "meetings": []}
    zoom.fail("recordings", 200, payload=page, times=2)
    with pytest.raises(UnexpectedResponseError, match="same next-page link twice"):
        client.list_recordings(HOST, DAY, DAY)


def test_a_page_without_its_list_is_an_unexpected_response(zoom, client):
    zoom.fail("recordings", 200, payload={"next_page_token": ""})
    with pytest.raises(UnexpectedResponseError, match="no 'meetings' list"):
        client.list_recordings(HOST, DAY, DAY)


def test_participants_of_a_meeting_whose_uuid_needs_double_encoding(zoom, client):
    zoom.add_meeting(meeting(MORNING, uuid="/ajXp112QmuZ//ZjDKA=="))
    assert client.meeting_participants("/ajXp112QmuZ//ZjDKA==") == ("Mara Lindqvist", "Tobias Renner")
    token = client.api.bearer_token().reveal()
    encoded_once = httpx.get(f"{zoom.api_base_url}/past_meetings/%2FajXp112QmuZ%2F%2FZjDKA%3D%3D/participants",
                             headers={"Authorization": f"Bearer {token}"})
    assert encoded_once.status_code == 404  # what a client that encodes once would get


# --- downloads -------------------------------------------------------------------------------------


def test_transcript_is_downloaded_with_the_bearer_token_through_the_redirect(zoom, client):
    zoom.add_meeting(meeting(MORNING))
    [listed] = client.list_recordings(HOST, DAY, DAY)
    [transcript] = listed.files_of_type(TRANSCRIPT)
    content = client.download(transcript)
    assert content.startswith(b"WEBVTT\r\n")
    assert b"Mara Lindqvist: Thanks for joining." in content
    download, storage = zoom.requests_to("download")[0], zoom.requests_to("storage")[0]
    assert (download.status, download.authorization_scheme) == (302, "Bearer")
    assert storage.status == 200


def test_html_instead_of_a_transcript_gets_one_token_refetch_then_is_an_auth_failure(zoom, client):
    zoom.add_meeting(meeting(MORNING))
    [listed] = client.list_recordings(HOST, DAY, DAY)
    [transcript] = listed.files_of_type(TRANSCRIPT)
    zoom.html_for_downloads = 2
    with pytest.raises(AuthFailedError, match="HTML page"):
        client.download(transcript)
    assert zoom.tokens_issued == 2


def test_html_once_then_the_file_after_a_fresh_token(zoom, client):
    zoom.add_meeting(meeting(MORNING))
    [listed] = client.list_recordings(HOST, DAY, DAY)
    zoom.html_for_downloads = 1
    assert client.download(listed.files_of_type(TRANSCRIPT)[0]).startswith(b"WEBVTT")


def test_a_redirect_to_a_host_off_the_allow_list_is_not_followed(zoom, client):
    zoom.add_meeting(meeting(MORNING))
    [listed] = client.list_recordings(HOST, DAY, DAY)
    zoom.fail("download", 302, body=b"", headers={"Location": "http://169.254.169.254/latest/meta-data"})
    with pytest.raises(UnsafeUrlError, match="169.254.169.254"):
        client.download(listed.files_of_type(TRANSCRIPT)[0])
    assert zoom.requests_to("storage") == []


# --- throttling ------------------------------------------------------------------------------------


def test_429_with_retry_after_seconds_is_waited_out(zoom, client):
    zoom.fail("recordings", 429, payload={"code": 429}, headers={"Retry-After": "0.2"})
    started = time.monotonic()
    client.list_recordings(HOST, DAY, DAY)
    assert time.monotonic() - started >= 0.2


def test_daily_limit_with_an_iso_date_fails_at_once_saying_when_to_come_back(zoom, client):
    tomorrow = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(), tzinfo=dt.timezone.utc)
    zoom.daily_limit("recordings", tomorrow)
    started = time.monotonic()
    with pytest.raises(RetriesExhaustedError, match="try again after that") as caught:
        client.list_recordings(HOST, DAY, DAY)
    assert time.monotonic() - started < 0.5
    assert caught.value.retry_at == tomorrow
    assert tomorrow.isoformat() in str(caught.value)


def test_daily_limit_date_already_past_is_retried_at_once(zoom, client):
    zoom.daily_limit("recordings", dt.datetime(2020, 5, 31, tzinfo=dt.timezone.utc))
    client.list_recordings(HOST, DAY, DAY)
    assert [r.status for r in zoom.requests_to("recordings")] == [429, 200]


def test_429_without_any_headers_falls_back_to_backoff(zoom, client):
    zoom.daily_limit("recordings", dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc), with_headers=False, times=2)
    client.list_recordings(HOST, DAY, DAY)
    assert [r.status for r in zoom.requests_to("recordings")] == [429, 429, 200]


def test_client_side_limiter_keeps_to_the_configured_rate(zoom):
    zoom.server_rate_limit_per_s = 20
    with ZoomClient(zoom.source_settings(http=http_with(requests_per_second=18.0))) as client:
        started = time.monotonic()
        for _ in range(19):
            client.list_recordings(HOST, DAY, DAY)
        elapsed = time.monotonic() - started
    assert elapsed >= 18 / 18.0 * 0.95  # 19 requests at 18/s: the first is free
    assert zoom.throttled == 0
    assert not [r for r in zoom.requests if r.status == 429]


def test_a_storm_of_twenty_429s_ends_in_a_clear_error_within_the_budget(zoom):
    zoom.fail("recordings", 429, payload={"code": 429, "message": "per-second rate limit"}, times=20)
    with ZoomClient(zoom.source_settings(http=http_with(max_attempts=100, budget_s=0.4, backoff_max_s=0.05))) as client:
        started = time.monotonic()
        with pytest.raises(RetriesExhaustedError, match="per-second rate limit"):
            client.list_recordings(HOST, DAY, DAY)
    assert time.monotonic() - started < 0.8
