"""Counsel's actions: what each stores, how the draft page shows it before the re-draft, and what is refused."""

from __future__ import annotations

import pytest

from bridge_pipeline.drafting.review import cover_fingerprint, reviewed_fields
from bridge_pipeline_tests.review_desk.conftest import OTHER_REVIEWER
from bridge_pipeline_tests.review_desk.desk_fixtures import CALL_ID, DAY_2, DRAFT_ID, FOLLOW_UP_ID, form_for

LATEST = f"/drafts/{DRAFT_ID}/v/2"
SUPERSEDED = f"/drafts/{DRAFT_ID}/v/1"
CONFIGURED_REVIEWER = "Counsel@Acme.example"  # the allow-list's spelling, which the log records


def _post(client, page_url: str, suffix: str, field: str | None = None, **values: str):
    form = form_for(client.get(page_url).text, suffix, field)
    return client.post(form.action, data={**form.fields, **values})


def test_filling_a_tbd_stores_who_what_before_and_after(client, store):
    response = _post(client, LATEST, "/set-value", "term", value="2 years", note="agreed by e-mail")
    assert response.status_code == 303
    assert response.headers["location"] == f"{LATEST}?done=filled&field=term#field-term"

    (action,) = store.reviews.latest()
    assert (action.reviewer, action.action, action.field_name) == (CONFIGURED_REVIEWER, "set_value", "term")
    assert (action.before_value, action.after_value, action.note) == (None, "2 years", "agreed by e-mail")
    assert (action.draft_id, action.draft_version) == (DRAFT_ID, 2)
    assert (action.meeting_id, action.partition_date) == (FOLLOW_UP_ID, DAY_2)


def test_the_draft_page_shows_the_filled_value_as_counsels_and_pending(client):
    _post(client, LATEST, "/set-value", "term", value="2 years", note="agreed by e-mail")
    page = client.get(f"{LATEST}?done=filled&field=term").text
    assert "Agreement term filled in." in page
    row = page.split('id="field-term"', 1)[1].split("</tr>", 1)[0]
    assert '<span class="value">2 years</span>' in row
    assert f"Set by <strong>{CONFIGURED_REVIEWER}</strong> on " in row and ": agreed by e-mail" in row
    assert "pending: the pipeline re-drafts this day shortly" in row
    assert "Drafted value it replaced:" in row and '<span class="badge tbd">TBD</span>' in row
    # It moved from the open points to the cover page, and the desk counts one open point fewer.
    open_points = page.split("<h2>Cover page", 1)[0]
    assert 'id="field-term"' not in open_points
    desk = client.get("/").text
    v2_row = desk.split(f'href="{LATEST}"', 1)[1].split("</tr>", 1)[0]
    assert '<span class="badge tbd">3</span>' in v2_row and "pending" in v2_row


def test_a_correction_records_the_value_shown_and_needs_a_note(client, store):
    without_note = _post(client, LATEST, "/set-value", "confidentiality_period", value="4 years", note="")
    assert without_note.status_code == 400 and "needs a note" in without_note.text
    assert store.reviews.latest() == []

    corrected = _post(
        client, LATEST, "/set-value", "confidentiality_period", value="4 years", note="board minutes say 4"
    )
    assert corrected.status_code == 303 and "done=corrected" in corrected.headers["location"]
    (action,) = store.reviews.latest()
    assert (action.before_value, action.after_value) == ("5 years", "4 years")
    page = client.get(LATEST).text
    row = page.split('id="field-confidentiality_period"', 1)[1].split("</tr>", 1)[0]
    assert "<del>5 years</del>" in row and '<span class="value">4 years</span>' in row


@pytest.mark.parametrize(
    "values, message",
    [
        ({"value": "   "}, "The value is empty for Agreement term"),
        ({"value": "x" * 2001}, "at most 2000"),
        ({"value": "2 years", "note": "n" * 2001}, "The note has 2001 characters"),
        ({"value": "2\x00years"}, "control characters"),
        ({"value": "a good while"}, "Agreement term must be a number and a unit such as &#39;2 years&#39;"),
    ],
    ids=["empty", "value-too-long", "note-too-long", "control-character", "not-a-duration"],
)
def test_bad_values_are_400_with_a_message(client, store, values, message):
    response = _post(client, LATEST, "/set-value", "term", **values)
    assert response.status_code == 400
    assert message in response.text
    assert store.reviews.latest() == []


def test_an_unknown_field_is_400_naming_it(client, store):
    response = _post(client, LATEST, "/set-value", "term", field_name="price_of_tea", value="1")
    assert response.status_code == 400
    assert "has no field &#39;price_of_tea&#39;" in response.text and "governing_law" in response.text
    assert store.reviews.latest() == []


def test_an_unknown_draft_or_version_is_404_naming_it(client, store):
    form = form_for(client.get(LATEST).text, "/set-value", "term").fields
    missing_draft = client.post("/drafts/no-such-draft/v/1/set-value", data={**form, "value": "x"})
    assert missing_draft.status_code == 404 and "no draft with the id &#39;no-such-draft&#39;" in missing_draft.text
    missing_version = client.post(f"/drafts/{DRAFT_ID}/v/7/set-value", data={**form, "value": "x"})
    assert missing_version.status_code == 404 and "has no version 7 (stored versions: 1, 2)" in missing_version.text
    assert client.get(f"/drafts/{DRAFT_ID}/v/7").status_code == 404
    assert store.reviews.latest() == []


def test_acting_on_a_superseded_version_is_409_linking_the_latest(client, store):
    # The old version's page offers no forms; a form posted to it anyway is refused.
    old_page = client.get(SUPERSEDED).text
    assert "superseded by" in old_page and "/set-value" not in old_page
    form = form_for(client.get(LATEST).text, "/approve").fields
    response = client.post(f"{SUPERSEDED}/approve", data=form)
    assert response.status_code == 409
    assert f'href="{LATEST}"' in response.text and "superseded by version 2" in response.text
    assert store.reviews.latest() == []


def test_approving_stores_the_fingerprint_of_the_cover_page_shown(client, store):
    _post(client, LATEST, "/set-value", "term", value="2 years")
    response = _post(client, LATEST, "/approve", note="fine to send")
    assert response.status_code == 303 and "done=approved" in response.headers["location"]

    fill, approval = reversed(store.reviews.latest())
    draft = store.load_draft_version(DRAFT_ID, 2)
    assert approval.action == "approve" and approval.before_value == "draft" and approval.note == "fine to send"
    # What counsel saw: the stored draft with the filled value, not the stored draft alone.
    assert approval.after_value == cover_fingerprint(draft, reviewed_fields(draft.fields, [fill]))
    assert approval.after_value != cover_fingerprint(draft)
    page = client.get(LATEST).text
    assert '<span class="badge status-approved">Approved</span>' in page


def test_an_approval_of_a_page_that_changed_since_it_was_loaded_is_409(client, make_client, settings, store):
    stale_approval = form_for(client.get(LATEST).text, "/approve").fields
    other = make_client(settings, reviewer=OTHER_REVIEWER)
    _post(other, LATEST, "/set-value", "term", value="2 years")
    response = client.post(f"{LATEST}/approve", data=stale_approval)
    assert response.status_code == 409 and "changed since this page was loaded" in response.text
    assert [a.action for a in store.reviews.latest()] == ["set_value"]


def test_a_value_changed_by_someone_else_since_the_page_loaded_is_409(client, make_client, settings, store):
    stale = form_for(client.get(LATEST).text, "/set-value", "term").fields
    _post(make_client(settings, reviewer=OTHER_REVIEWER), LATEST, "/set-value", "term", value="2 years")
    response = client.post(f"{LATEST}/set-value", data={**stale, "value": "3 years"})
    assert response.status_code == 409
    assert [a.after_value for a in store.reviews.latest()] == ["2 years"]


def test_requesting_changes_needs_a_note_and_sets_the_status(client, store):
    empty = _post(client, LATEST, "/request-changes", note=" ")
    assert empty.status_code == 400 and "say what has to change" in empty.text
    response = _post(client, LATEST, "/request-changes", note="Party roles are reversed.")
    assert response.status_code == 303
    (action,) = store.reviews.latest()
    assert (action.action, action.note, action.before_value, action.after_value) == (
        "request_changes",
        "Party roles are reversed.",
        "draft",
        None,
    )
    assert '<span class="badge status-changes_requested">Changes requested</span>' in client.get(LATEST).text
    assert f'href="{LATEST}"' not in client.get("/?status=approved").text
    filtered = client.get("/?status=changes_requested").text
    assert f'href="{LATEST}"' in filtered and f'href="{SUPERSEDED}"' not in filtered


def test_text_counsel_enters_is_escaped_everywhere(client):
    _post(client, LATEST, "/set-value", "purpose", value="<script>alert(1)</script>", note="<b>bold</b>")
    for page in (client.get(LATEST).text, client.get("/audit").text):
        assert "<script>alert(1)</script>" not in page and "<b>bold</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_audit_page_lists_the_latest_actions_newest_first(client):
    _post(client, LATEST, "/set-value", "term", value="2 years")
    _post(client, LATEST, "/request-changes", note="Venue missing.")
    page = client.get("/audit").text
    assert page.index("Venue missing.") < page.index("2 years")
    assert f'href="{LATEST}"' in page and CONFIGURED_REVIEWER in page and CALL_ID in page


def test_a_value_set_after_the_approval_withdraws_it(client, store):
    _post(client, LATEST, "/approve")
    assert "This cover page is approved as shown." in client.get(LATEST).text
    _post(client, LATEST, "/set-value", "venue", value="the courts of Dublin", note="")
    page = client.get(LATEST).text
    assert '<span class="badge status-draft">Not reviewed</span>' in page
    assert "Approve version 2" in page
    assert [a.action for a in store.reviews.latest()] == ["set_value", "approve"]
