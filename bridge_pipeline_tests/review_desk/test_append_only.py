"""The review log is the audit record of the desk: the database refuses to change or delete what it stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bridge_pipeline.storage.tables import review_actions
from bridge_pipeline_tests.review_desk.desk_fixtures import DRAFT_ID, form_for

LATEST = f"/drafts/{DRAFT_ID}/v/2"


@pytest.fixture
def stored_action(client, store):
    form = form_for(client.get(LATEST).text, "/set-value", "term")
    assert client.post(form.action, data={**form.fields, "value": "2 years"}).status_code == 303
    (action,) = store.reviews.latest()
    return action


def test_an_update_of_a_stored_action_raises_and_changes_nothing(store, stored_action):
    with pytest.raises(sa.exc.DatabaseError):
        with store.engine.begin() as conn:
            conn.execute(sa.update(review_actions).values(after_value="ten years"))
    assert [a.after_value for a in store.reviews.latest()] == ["2 years"]


def test_a_delete_of_a_stored_action_raises(store, stored_action):
    with pytest.raises(sa.exc.DatabaseError):
        with store.engine.begin() as conn:
            conn.execute(sa.delete(review_actions).where(review_actions.c.id == stored_action.action_id))
    assert [a.action_id for a in store.reviews.latest()] == [stored_action.action_id]
