"""Counsel's review applied to a draft version: values counsel set win, and approval holds only for what was seen.

- `set_value` replaces a field's value (or leaves it TBD on purpose) and marks it with a `FieldReview`
  naming the reviewer, the time, the note and the value the pipeline had drafted; the latest action per
  field wins. The field keeps no decision citations: counsel is its provenance.
- `approve` stores the fingerprint of the cover page counsel approved. It counts only while the cover page
  still has exactly those values (and the same template version): a value corrected after approval, or a
  re-drafted version whose values moved, is no longer approved.
- `request_changes` stands until a later approval.
The latest standing approval or request is the draft's `DraftReview`.
"""

from __future__ import annotations

import hashlib
import json
from typing import Mapping, Sequence

from bridge_pipeline.drafting.clauses import render_clauses
from bridge_pipeline.drafting.templates import FieldSpec, load_template
from bridge_pipeline.drafting.values import (
    OPEN_ENDED,
    format_money,
    format_percent,
    parse_duration,
    parse_iso_date,
    parse_money,
    parse_percent,
)
from bridge_pipeline.errors import BadInputError
from bridge_pipeline.models import (
    ContractDraft,
    DraftField,
    DraftReview,
    FieldChange,
    FieldReview,
    ReviewAction,
)

ABOUT_CLAUSE_NUMBER = "0"
REVIEWED_NOTE = (
    "Values marked as set by counsel in the provenance appendix were filled in or corrected at review and "
    "take precedence over what the meeting's decisions gave."
)


MAX_VALUE_LENGTH = 2000


def review_value(spec: FieldSpec, value: str | None) -> str | None:
    """Counsel's value for a field in the form the drafts use; None leaves the field open on purpose.

    Raises BadInputError naming the field and the form expected, so a value the QA rules would reject
    (and withhold the draft for) never reaches the pipeline.
    """
    text = " ".join((value or "").split())
    if not text:
        return None
    if len(text) > MAX_VALUE_LENGTH:
        raise BadInputError(spec.name, f"{spec.label} is longer than {MAX_VALUE_LENGTH} characters")
    if spec.kind == "date":
        if parse_iso_date(text) is None:
            raise BadInputError(spec.name, f"{spec.label} must be a calendar date as YYYY-MM-DD, e.g. 2027-01-31")
        return text
    if spec.kind == "money":
        money = parse_money(text)
        if money is None:
            raise BadInputError(
                spec.name, f"{spec.label} must be a currency code and an amount, e.g. EUR 48,000.00 or USD 5000 per month"
            )
        return format_money(money.currency, money.value, money.period)
    if spec.kind == "percent":
        percent = parse_percent(text)
        if percent is None:
            raise BadInputError(spec.name, f"{spec.label} must be a number, e.g. 99.9%")
        return format_percent(percent)
    if spec.kind == "duration" and parse_duration(text) is None and not OPEN_ENDED.search(text):
        raise BadInputError(
            spec.name, f"{spec.label} must be a number and a unit such as '2 years' or '30 days', or 'until terminated'"
        )
    return text


def actions_for(draft: ContractDraft, actions: Sequence[ReviewAction]) -> list[ReviewAction]:
    """The actions taken on this very version of this draft (same meeting), oldest first."""
    mine = [
        a
        for a in actions
        if a.draft_id == draft.draft_id and a.draft_version == draft.version and a.meeting_id == draft.meeting_id
    ]
    return sorted(mine, key=lambda a: a.action_id)


def cover_fingerprint(draft: ContractDraft, fields: Sequence[DraftField] | None = None) -> str:
    """What an approval approves: the contract type, template version and every cover-page value."""
    values = [[f.name, f.value] for f in (draft.fields if fields is None else fields)]
    payload = json.dumps([draft.contract_type, draft.template_version, values], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def drafted_value(field: DraftField) -> str | None:
    """The value the pipeline drafted for the field, before any review."""
    return field.review.extracted_value if field.review is not None else field.value


def reviewed_fields(fields: Sequence[DraftField], actions: Sequence[ReviewAction]) -> tuple[DraftField, ...]:
    """The cover page with every `set_value` applied in order; fields no action names stay as they are."""
    by_name = {f.name: f for f in fields}
    for action in sorted(actions, key=lambda a: a.action_id):
        if action.action != "set_value" or action.field_name not in by_name:
            continue
        field = by_name[action.field_name]
        value = (action.after_value or "").strip() or None
        by_name[field.name] = DraftField(
            name=field.name,
            label=field.label,
            required=field.required,
            value=value,
            review=FieldReview(
                action_id=action.action_id,
                reviewer=action.reviewer,
                reviewed_at=action.recorded_at,
                note=action.note,
                extracted_value=drafted_value(field),
            ),
        )
    return tuple(by_name[f.name] for f in fields)


def review_state(
    draft: ContractDraft, fields: Sequence[DraftField], actions: Sequence[ReviewAction]
) -> DraftReview | None:
    """The latest standing approval or request for changes on the version whose cover page is `fields`."""
    current = cover_fingerprint(draft, fields)
    state: DraftReview | None = None
    for action in sorted(actions, key=lambda a: a.action_id):
        if action.action == "approve" and action.after_value != current:
            continue  # approved values that are not the ones this version now has
        if action.action in ("approve", "request_changes"):
            status = "approved" if action.action == "approve" else "changes_requested"
            state = DraftReview(status=status, reviewer=action.reviewer, reviewed_at=action.recorded_at, note=action.note)
    return state


def _changes(draft: ContractDraft, fields: Sequence[DraftField]) -> tuple[FieldChange, ...]:
    """The version's changes against the previous version, with counsel's values in place of drafted ones."""
    if draft.version == 1:
        return ()
    earlier = {c.name: c.before for c in draft.changes}
    drafted = {f.name: f for f in draft.fields}
    changes = []
    for field in fields:
        # A field the version did not change held the previous version's value when drafted.
        before = earlier.get(field.name, drafted[field.name])
        if before.value != field.value:
            changes.append(FieldChange(name=field.name, label=field.label, before=before, after=field))
    return tuple(changes)


def apply_review(draft: ContractDraft, actions: Sequence[ReviewAction], context: Mapping[str, str]) -> ContractDraft:
    """The draft with counsel's actions on this version applied; unchanged when there are none.

    `context` is the clause context of the draft's meeting (meeting_title, meeting_date).
    """
    mine = actions_for(draft, actions)
    if not mine:
        return draft
    fields = reviewed_fields(draft.fields, mine)
    update: dict = {"review": review_state(draft, fields, mine)}
    if fields != draft.fields:
        template = load_template(draft.contract_type)
        about = {c.number: c.body for c in draft.clauses}.get(ABOUT_CLAUSE_NUMBER, "")
        if REVIEWED_NOTE not in about:
            about = f"{about} {REVIEWED_NOTE}"
        clauses = tuple(
            c.model_copy(update={"body": about}) if c.number == ABOUT_CLAUSE_NUMBER else c
            for c in render_clauses(template, fields, context)
        )
        update.update(fields=fields, clauses=clauses, changes=_changes(draft, fields))
    return draft.model_copy(update=update)
