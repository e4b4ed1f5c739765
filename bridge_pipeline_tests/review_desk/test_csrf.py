"""Every POST needs the reviewer's own, fresh form token and, when the browser names one, the desk's origin."""

from __future__ import annotations

import time
from unittest import mock

import pytest

from bridge_pipeline.review_desk.csrf import TOKEN_MAX_AGE_S, CsrfTokens
from bridge_pipeline_tests.review_desk.conftest import OTHER_REVIEWER, REVIEWER, SECRET
from bridge_pipeline_tests.review_desk.desk_fixtures import DRAFT_ID, form_for, forms_of

DRAFT_PAGE = f"/drafts/{DRAFT_ID}/v/2"


def _fill_form(client) -> dict[str, str]:
    page = client.get(DRAFT_PAGE)
    assert page.status_code == 200
    form = form_for(page.text, "/set-value", "term").fields
    return {**form, "value": "2 years"}


def test_the_page_token_lets_the_reviewer_act(client, store):
    response = client.post(f"{DRAFT_PAGE}/set-value", data=_fill_form(client))
    assert response.status_code == 303
    assert [a.after_value for a in store.reviews.latest()] == ["2 years"]


@pytest.mark.parametrize(
    "token",
    [None, "", "not-a-token", CsrfTokens("another-secret").issue(REVIEWER), CsrfTokens(SECRET).issue(OTHER_REVIEWER)],
    ids=["missing", "empty", "garbage", "other-secret", "other-reviewer"],
)
def test_a_post_without_the_reviewers_token_is_403_and_stores_nothing(client, store, token):
    data = _fill_form(client)
    if token is None:
        del data["csrf_token"]
    else:
        data["csrf_token"] = token
    response = client.post(f"{DRAFT_PAGE}/set-value", data=data)
    assert response.status_code == 403
    assert "token" in response.text
    assert store.reviews.latest() == []


def test_an_expired_token_is_403(client, store):
    issued_long_ago = time.time() - TOKEN_MAX_AGE_S - 60
    with mock.patch("itsdangerous.timed.time.time", return_value=issued_long_ago):
        old_token = CsrfTokens(SECRET).issue(REVIEWER)
    data = {**_fill_form(client), "csrf_token": old_token}
    assert client.post(f"{DRAFT_PAGE}/set-value", data=data).status_code == 403
    assert store.reviews.latest() == []


def test_another_reviewer_cannot_replay_a_token(make_client, settings, client, store):
    data = _fill_form(client)  # REVIEWER's token
    other = make_client(settings, reviewer=OTHER_REVIEWER)
    assert other.post(f"{DRAFT_PAGE}/set-value", data=data).status_code == 403
    assert store.reviews.latest() == []


def test_a_post_from_another_origin_is_403_even_with_a_valid_token(client, store):
    data = _fill_form(client)
    response = client.post(f"{DRAFT_PAGE}/set-value", data=data, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert store.reviews.latest() == []
    # The desk's own origin passes (TestClient's base URL is http://testserver).
    ok = client.post(f"{DRAFT_PAGE}/set-value", data=data, headers={"Origin": "http://testserver"})
    assert ok.status_code == 303


def test_every_form_on_the_draft_page_carries_a_token(client):
    page = client.get(DRAFT_PAGE).text
    posts = [f for f in forms_of(page) if f.method == "post"]
    assert len(posts) >= 3
    assert all(f.fields.get("csrf_token") for f in posts)
    assert all(CsrfTokens(SECRET).is_valid(f.fields["csrf_token"], REVIEWER) for f in posts)
