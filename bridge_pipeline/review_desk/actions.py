"""Counsel's three actions, checked against the version shown and turned into review-log records.

Every check names what was wrong: an unknown field, an empty or overlong value, a correction without a note,
a version that a later one has superseded (409, linking the latest).
"""

from __future__ import annotations

import datetime as dt
import re

from bridge_pipeline.drafting.review import review_value
from bridge_pipeline.drafting.templates import load_template
from bridge_pipeline.errors import BadInputError
from bridge_pipeline.models import ReviewAction, ReviewActionKind
from bridge_pipeline.review_desk.effective import EffectiveDraft
from bridge_pipeline.review_desk.errors import DeskError

MAX_TEXT_LENGTH = 2000
# Control characters other than tab and line breaks have no place in a contract value.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def require_latest(view: EffectiveDraft, latest_version: int) -> None:
    draft = view.stored
    if draft.version != latest_version:
        raise DeskError(
            409,
            f"Version {draft.version} of {draft.draft_id} has been superseded by version {latest_version}; "
            "act on the latest version.",
            link=f"/drafts/{draft.draft_id}/v/{latest_version}",
            link_text=f"Open version {latest_version}",
        )


def _text(name: str, value: str | None, *, required: bool, why: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise DeskError(400, f"The {name} is empty{why}.")
    if len(text) > MAX_TEXT_LENGTH:
        raise DeskError(400, f"The {name} has {len(text)} characters; at most {MAX_TEXT_LENGTH} are allowed.")
    if _CONTROL.search(text):
        raise DeskError(400, f"The {name} contains control characters.")
    return text


def _action(view: EffectiveDraft, reviewer: str, kind: ReviewActionKind, **values: str | None) -> ReviewAction:
    draft = view.stored
    return ReviewAction(
        recorded_at=dt.datetime.now(dt.timezone.utc),  # the log stores its own time on append
        reviewer=reviewer,
        action=kind,
        draft_id=draft.draft_id,
        draft_version=draft.version,
        meeting_id=draft.meeting_id,
        partition_date=draft.partition_date,
        **values,
    )


def set_value(
    view: EffectiveDraft, reviewer: str, field_name: str | None, value: str | None, note: str | None
) -> ReviewAction:
    """Fill a TBD field (note optional) or correct a filled one (note required)."""
    name = (field_name or "").strip()
    field = view.draft.field(name) if name else None
    if field is None:
        known = ", ".join(f.name for f in view.draft.fields)
        raise DeskError(400, f"The {view.stored.contract_type} draft has no field {name!r} (its fields: {known}).")
    correcting = not field.is_tbd
    new_value = _typed_value(view, field.name, _text("value", value, required=True, why=f" for {field.label}"))
    reason = _text("note", note, required=correcting, why=": a correction needs a note saying why")
    if new_value == field.value:
        raise DeskError(400, f"{field.label} already has the value {new_value!r}.")
    return _action(
        view, reviewer, "set_value", field_name=field.name, before_value=field.value, after_value=new_value, note=reason
    )


def _typed_value(view: EffectiveDraft, field_name: str, text: str) -> str:
    """The value in the drafts' form for the field's kind (a date, an amount...), or 400 saying the form expected."""
    spec = next(s for s in load_template(view.stored.contract_type).fields if s.name == field_name)
    try:
        typed = review_value(spec, text)
    except BadInputError as problem:
        raise DeskError(400, f"{problem.problem}.") from None
    assert typed is not None  # the text is not empty
    return typed


def approve(view: EffectiveDraft, reviewer: str, note: str | None) -> ReviewAction:
    """Approve exactly the cover page shown: the fingerprint of its values is what the approval holds."""
    return _action(
        view,
        reviewer,
        "approve",
        before_value=view.status,
        after_value=view.fingerprint(),
        note=_text("note", note, required=False),
    )


def request_changes(view: EffectiveDraft, reviewer: str, note: str | None) -> ReviewAction:
    return _action(
        view,
        reviewer,
        "request_changes",
        before_value=view.status,
        after_value=None,
        note=_text("note", note, required=True, why=": say what has to change"),
    )
