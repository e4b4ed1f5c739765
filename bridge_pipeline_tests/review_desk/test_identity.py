"""Nobody reaches a page, a file or an action without an allowed identity; the dev user only on loopback."""

from __future__ import annotations

import pytest

from bridge_pipeline.review_desk.config import DeskSettings, desk_settings
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline_tests.review_desk.conftest import HEADER, REVIEWER, SECRET
from bridge_pipeline_tests.review_desk.desk_fixtures import DAY_1, DRAFT_ID

PROTECTED = [
    "/",
    "/audit",
    f"/drafts/{DRAFT_ID}/v/1",
    "/meetings/inbox-20260514-nda-call-ostwind/transcript",
    f"/files/{DAY_1}/inbox-20260514-nda-call-ostwind/{DRAFT_ID}.md",
    "/static/desk.css",
]


@pytest.mark.parametrize("path", PROTECTED)
def test_every_path_answers_401_without_the_header(make_client, settings, path):
    response = make_client(settings).get(path)
    assert response.status_code == 401
    assert HEADER in response.text


def test_an_action_without_identity_is_401_and_stores_nothing(make_client, settings, store):
    response = make_client(settings).post(f"/drafts/{DRAFT_ID}/v/2/approve", data={"fingerprint": "x"})
    assert response.status_code == 401
    assert store.reviews.latest() == []


def test_a_reviewer_not_on_the_list_is_401_and_the_value_is_not_echoed(make_client, settings):
    response = make_client(settings, reviewer="mallory@evil.example").get("/")
    assert response.status_code == 401
    assert "mallory" not in response.text
    assert "BRIDGE_REVIEWERS" in response.text


def test_an_allowed_reviewer_gets_the_desk_whatever_the_capitals(make_client, settings):
    response = make_client(settings, reviewer=REVIEWER.upper()).get("/")
    assert response.status_code == 200
    # The reviewer is named as configured, not as the header spelled it.
    assert "Signed in as <strong>Counsel@Acme.example</strong>" in response.text


def test_two_copies_of_the_header_are_refused(make_client, settings):
    client = make_client(settings)
    response = client.get("/", headers=[(HEADER, REVIEWER), (HEADER, "someone@else.example")])
    assert response.status_code == 401


def test_a_configured_header_name_replaces_the_default(make_client):
    settings = DeskSettings(user_header="X-Auth-Request-Email", reviewers=(REVIEWER,), secret=SECRET)
    client = make_client(settings)
    assert client.get("/", headers={HEADER: REVIEWER}).status_code == 401
    assert client.get("/", headers={"X-Auth-Request-Email": REVIEWER}).status_code == 200


def test_the_local_user_signs_in_on_loopback_only(make_client):
    on_loopback = DeskSettings(local_user="dev@localhost", bind_host="127.0.0.1", secret=SECRET)
    assert make_client(on_loopback).get("/").status_code == 200
    assert "dev@localhost" in make_client(on_loopback).get("/").text
    # Bound to every interface, the same setting signs nobody in.
    everywhere = DeskSettings(local_user="dev@localhost", bind_host="0.0.0.0", secret=SECRET)
    assert make_client(everywhere).get("/").status_code == 401
    # Nor does a request from another machine, whatever the binding says.
    assert make_client(on_loopback, client=("192.0.2.7", 50000)).get("/").status_code == 401


def test_a_header_wins_over_the_local_user(make_client):
    settings = DeskSettings(local_user="dev@localhost", reviewers=(REVIEWER,), secret=SECRET)
    assert make_client(settings, reviewer="stranger@example.com").get("/").status_code == 401
    assert "Signed in as <strong>counsel@acme.example" in make_client(settings, reviewer=REVIEWER).get("/").text


def test_responses_carry_the_security_headers(make_client, settings):
    for response in (make_client(settings).get("/"), make_client(settings, reviewer=REVIEWER).get("/")):
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_settings_come_from_the_environment():
    settings = desk_settings(
        {"BRIDGE_REVIEWERS": "a@x.example, B@x.example", "BRIDGE_REVIEW_USER_HEADER": "X-Email"}, bind_host="0.0.0.0"
    )
    assert settings.reviewers == ("a@x.example", "B@x.example") and settings.header_mode
    assert settings.user_header == "X-Email" and settings.secret is None
    assert desk_settings({}).user_header == "X-Forwarded-User"
    with pytest.raises(ConfigurationError, match="BRIDGE_REVIEW_USER_HEADER"):
        desk_settings({"BRIDGE_REVIEW_USER_HEADER": "X-User: injected"})
