"""A later meeting of a deal as the next version of an earlier draft, and the list of what changed.

Rules, field by field (the later meeting's own draft of the type is `stated`, the earlier version `before`):
- a field the later meeting does not state is carried forward unchanged, with its citations of the earlier
  meeting;
- a field it states with a different value takes the later value and only the later provenance;
- a field it states with the same value keeps the value and cites both meetings, earlier first;
- list fields with `when_restated: update_items` change item by item: an item stated again (same item text,
  or same label before a colon, e.g. 'P1: ...') is replaced where it stood, new items are added at the end;
  `replace_list` takes the later list whole;
- a party role changes only when the later meeting states the role (provider, customer, discloser); a party
  it merely names never displaces one the deal already has, and one organisation never holds two roles;
- a value counsel set at review (`DraftField.review`) is kept unless the later meeting states a different
  one; the meeting restating the value counsel corrected away is not a change.
The draft id stays the one of version 1, so every version of a draft shares it; `version` goes up by one.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from bridge_pipeline.drafting.clauses import render_clauses
from bridge_pipeline.drafting.fields import (
    LIST_SEPARATOR,
    FieldCandidate,
    fill_field,
    list_items,
    provenance,
    tbd_field,
)
from bridge_pipeline.drafting.parties import has_legal_suffix, org_key
from bridge_pipeline.drafting.party_fields import is_named, named_parties, unassigned_list
from bridge_pipeline.drafting.templates import FieldSpec, TemplateSpec, load_template
from bridge_pipeline.drafting.values import normalise_text
from bridge_pipeline.errors import BadInputError
from bridge_pipeline.models import (
    Citation,
    Clause,
    ContractDraft,
    DealLink,
    Decision,
    DraftField,
    FieldChange,
)

ABOUT_CLAUSE_NUMBER = "0"
"""The templates' 'About this Draft' clause, which says where a version's values came from."""


def field_changes(before: Sequence[DraftField], after: Sequence[DraftField]) -> tuple[FieldChange, ...]:
    """Fields of `after` whose value differs from the same-named field of `before`, in `after`'s order."""
    earlier = {f.name: f for f in before}
    changes = []
    for field in after:
        old = earlier.get(field.name) or DraftField(name=field.name, label=field.label, required=field.required)
        if old.value != field.value:
            changes.append(FieldChange(name=field.name, label=field.label, before=old, after=field))
    return tuple(changes)


def item_key(item: FieldCandidate) -> str:
    """What identifies a list item across meetings: its stated text, or the label before a colon."""
    if item.term_key.startswith("topic:"):
        raw = item.decision.text
    else:
        raw = item.decision.terms.get(item.term_key) or item.value
    label, colon, _ = raw.partition(":")
    return normalise_text(label if colon and label.strip() else raw)


def _same_value(spec: FieldSpec, a: str, b: str) -> bool:
    if spec.kind == "party":
        return is_named(a, {org_key(b)})
    return normalise_text(a) == normalise_text(b)


def _both_cited(before: DraftField, stated: DraftField) -> DraftField:
    """The value stated again: the later wording, the decisions and citations of both meetings, earlier first."""
    ids = before.decision_ids + tuple(i for i in stated.decision_ids if i not in before.decision_ids)
    seen = {(c.meeting_id, c.utterance_index) for c in before.citations}
    citations: tuple[Citation, ...] = before.citations + tuple(
        c for c in stated.citations if (c.meeting_id, c.utterance_index) not in seen
    )
    update: dict = {"decision_ids": ids, "citations": citations, "review": before.review}
    if stated.value and before.value and has_legal_suffix(before.value) and not has_legal_suffix(stated.value):
        # 'Nordlicht' said later names the same party as 'Nordlicht Analytics GmbH': keep the legal name.
        update.update(value=before.value, original_text=before.original_text)
    return stated.model_copy(update=update)


def _counsel_overrode(spec: FieldSpec, before: DraftField, stated: DraftField) -> bool:
    """True when the later meeting states exactly the drafted value counsel replaced in `before`."""
    if before.review is None or before.review.extracted_value is None or stated.value is None:
        return False
    return _same_value(spec, before.review.extracted_value, stated.value) and not _same_value(
        spec, before.value or "", stated.value
    )


def merge_scalar(spec: FieldSpec, before: DraftField, stated: DraftField) -> DraftField:
    if stated.is_tbd or _counsel_overrode(spec, before, stated):
        return before
    if before.is_tbd:
        return stated
    if _same_value(spec, before.value, stated.value):
        return _both_cited(before, stated)
    return stated


def _items(spec: FieldSpec, field: DraftField, decisions: Mapping[str, Decision]) -> list[FieldCandidate] | None:
    """The items behind a list field, rebuilt from its decisions; None when they no longer give its value."""
    if any(i not in decisions for i in field.decision_ids):
        return None
    items = list_items(spec, [decisions[i] for i in field.decision_ids])
    return items if LIST_SEPARATOR.join(i.value for i in items) == field.value else None


def merge_list(
    spec: FieldSpec,
    before: DraftField,
    stated: DraftField,
    earlier: Mapping[str, Decision],
    current: Mapping[str, Decision],
) -> DraftField:
    if stated.is_tbd or before.is_tbd or before.review is not None or spec.when_restated == "replace_list":
        return merge_scalar(spec, before, stated)
    old_items, new_items = _items(spec, before, earlier), _items(spec, stated, current)
    if old_items is None or new_items is None:
        # The items cannot be told apart any more (an earlier day was re-drafted): treat the list as one value.
        return merge_scalar(spec, before, stated)
    merged = list(old_items)
    position = {item_key(item): index for index, item in enumerate(merged)}
    for item in new_items:
        key = item_key(item)
        if key in position:
            merged[position[key]] = item
        else:
            position[key] = len(merged)
            merged.append(item)
    if [i.value for i in merged] == [i.value for i in old_items]:
        return _both_cited(before, stated)
    ids, citations = provenance([item.decision for item in merged])
    return DraftField(
        name=spec.name,
        label=spec.label,
        required=spec.required,
        value=LIST_SEPARATOR.join(item.value for item in merged),
        decision_ids=ids,
        citations=citations,
        confidence=min(item.decision.confidence for item in merged),
    )


def _merge_parties(
    template: TemplateSpec,
    before: Mapping[str, DraftField],
    stated: ContractDraft,
    current: Sequence[Decision],
) -> dict[str, DraftField]:
    specs = [s for s in template.fields if s.kind == "party"]
    merged: dict[str, DraftField] = {}
    open_roles = []
    for spec in specs:
        old = before.get(spec.name) or tbd_field(spec)
        new = stated.field(spec.name) or tbd_field(spec)
        role_stated = bool(spec.from_terms) and not fill_field(spec, current).is_tbd
        if old.is_tbd and old.review is None:
            open_roles.append((spec, new))
        elif new.is_tbd or _counsel_overrode(spec, old, new):
            merged[spec.name] = old
        elif old.is_tbd:  # counsel left the role open on purpose; a role the meeting names now fills it
            merged[spec.name] = new
        elif _same_value(spec, old.value, new.value):
            merged[spec.name] = _both_cited(old, new)
        else:
            merged[spec.name] = new if role_stated else old
    for spec, new in open_roles:
        taken = {org_key(f.value) for f in merged.values() if f.value}
        # A party the later meeting only named (no role) fills an open role unless it already holds another.
        merged[spec.name] = new if new.value and not is_named(new.value, taken) else tbd_field(spec)
    return merged


def _merge_unassigned(
    spec: FieldSpec,
    before: DraftField,
    stated: DraftField,
    party_values: Sequence[str],
    earlier: Mapping[str, Decision],
    current: Mapping[str, Decision],
) -> DraftField:
    assigned = {org_key(v) for v in party_values}
    names: list[str] = []
    for value in (before.value, stated.value):
        for name in (value or "").split(LIST_SEPARATOR):
            name = name.strip()
            if name and not is_named(name, assigned) and not is_named(name, {org_key(n) for n in names}):
                names.append(name)
    if not names:
        return tbd_field(spec)
    decisions = [earlier[i] for i in before.decision_ids if i in earlier]
    decisions += [current[i] for i in stated.decision_ids if i in current]
    listed = {org_key(n) for n in names}
    parties = [p for p in named_parties(decisions) if is_named(p.name, listed)]
    if len(parties) == len(names):
        return unassigned_list(spec, parties)
    ids = before.decision_ids + tuple(i for i in stated.decision_ids if i not in before.decision_ids)
    return DraftField(
        name=spec.name,
        label=spec.label,
        required=spec.required,
        value=LIST_SEPARATOR.join(names),
        decision_ids=ids,
        citations=before.citations + stated.citations,
        confidence=min(c for c in (before.confidence, stated.confidence) if c is not None) if ids else None,
    )


def merge_fields(
    template: TemplateSpec,
    previous: ContractDraft,
    stated: ContractDraft,
    earlier: Mapping[str, Decision],
    current: Sequence[Decision],
) -> tuple[DraftField, ...]:
    """The cover page of the next version, in template order (see the module docstring for the rules)."""
    before = {f.name: f for f in previous.fields}
    current_by_id = {d.decision_id: d for d in current}
    merged = _merge_parties(template, before, stated, current)
    party_values = [f.value for f in merged.values() if f.value]
    for spec in template.fields:
        if spec.name in merged:
            continue
        old = before.get(spec.name) or tbd_field(spec)
        new = stated.field(spec.name) or tbd_field(spec)
        if spec.collects_unassigned_parties:
            merged[spec.name] = _merge_unassigned(spec, old, new, party_values, earlier, current_by_id)
        elif spec.kind == "list":
            merged[spec.name] = merge_list(spec, old, new, earlier, current_by_id)
        else:
            merged[spec.name] = merge_scalar(spec, old, new)
    return tuple(merged[spec.name] for spec in template.fields)


def version_note(version: int, previous_title: str, previous_date: str) -> str:
    return (
        f"This is version {version} of this draft; version {version - 1} was prepared from the meeting "
        f'"{previous_title}" held on {previous_date}. Values the later meeting did not restate are carried '
        f"forward from version {version - 1} and keep their citations, which name the meeting each was stated in."
    )


def _with_version_note(clauses: tuple[Clause, ...], note: str) -> tuple[Clause, ...]:
    return tuple(
        c.model_copy(update={"body": f"{c.body} {note}"}) if c.number == ABOUT_CLAUSE_NUMBER else c for c in clauses
    )


def continue_draft(
    previous: ContractDraft,
    stated: ContractDraft,
    *,
    link: DealLink,
    earlier_decisions: Mapping[str, Decision],
    meeting_decisions: Sequence[Decision],
    context: Mapping[str, str],
    previous_context: Mapping[str, str],
    type_reason: str,
) -> ContractDraft:
    """Version `previous.version + 1` of `previous`, from the later meeting's own draft `stated` of the same type.

    `earlier_decisions` are the decisions of the meetings `previous` cites, by id; `context` and
    `previous_context` are the clause context (meeting_title, meeting_date) of the later and earlier meeting.
    """
    if stated.contract_type != previous.contract_type:
        raise BadInputError(
            stated.draft_id,
            f"a {stated.contract_type} draft cannot continue {previous.draft_id}, a {previous.contract_type}",
        )
    if stated.meeting_id != link.meeting_id:
        raise BadInputError(stated.draft_id, f"deal link is for meeting {link.meeting_id}, not {stated.meeting_id}")
    template = load_template(stated.contract_type)
    fields = merge_fields(template, previous, stated, earlier_decisions, meeting_decisions)
    version = previous.version + 1
    note = version_note(version, previous_context["meeting_title"], previous_context["meeting_date"])
    return ContractDraft(
        draft_id=previous.draft_id,
        meeting_id=stated.meeting_id,
        partition_date=stated.partition_date,
        contract_type=stated.contract_type,
        template_version=stated.template_version,
        title=stated.title,
        type_reason=f"{type_reason} Version {version} of {previous.draft_id}, continuing deal {link.deal_id}.",
        fields=fields,
        clauses=_with_version_note(render_clauses(template, fields, context), note),
        version=version,
        deal_id=link.deal_id,
        previous_meeting_id=previous.meeting_id,
        changes=field_changes(previous.fields, fields),
    )
