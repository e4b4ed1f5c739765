"""The JSON bundle: one document's data for downstream systems, checked against bundle.schema.json (see SCHEMA.md)."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any, Sequence

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from bridge_pipeline.errors import BadInputError
from bridge_pipeline.models import (
    WATERMARK,
    Citation,
    ContractDraft,
    DealLink,
    Decision,
    DraftField,
    DraftReview,
    FieldChange,
    FieldReview,
    MeetingDecisions,
    MeetingInfo,
    NoDraftRecord,
    QAFinding,
)
from bridge_pipeline.rendering.document import SEVERITY_ORDER, RelatedRecords
from bridge_pipeline.rendering.filenames import draft_document_id

SCHEMA_VERSION = "1.1"
REVIEWED_SCHEMA_VERSION = "1.2"
"""Bundles carrying counsel's review say 1.2; the rest stay 1.1, byte for byte as before review existed."""
SCHEMA_RESOURCE = "bundle.schema.json"


class BundleValidationError(BadInputError):
    """A bundle that does not match bundle.schema.json; `location` is the JSON path of the first bad value."""

    def __init__(self, document_id: str, path: str, problem: str, error_count: int):
        self.path = path
        self.error_count = error_count
        more = f" (and {error_count - 1} more problems)" if error_count > 1 else ""
        super().__init__(f"bundle {document_id} at {path}", f"{problem}{more}")


def _citation(c: Citation) -> dict[str, Any]:
    return {
        "meeting_id": c.meeting_id,
        "utterance_index": c.utterance_index,
        "start_s": c.start_s,
        "end_s": c.end_s,
        "speaker": c.speaker,
        "quote": c.quote,
    }


def _field_review(review: FieldReview) -> dict[str, Any]:
    return {
        "reviewer": review.reviewer,
        "reviewed_at": review.reviewed_at.isoformat(),
        "note": review.note,
        "drafted_value": review.extracted_value,
    }


def _with_review(data: dict[str, Any], review: FieldReview | None) -> dict[str, Any]:
    # Only a field counsel set gets the key, so bundles of unreviewed drafts keep their bytes.
    return data if review is None else {**data, "review": _field_review(review)}


def _field(f: DraftField) -> dict[str, Any]:
    data = {
        "name": f.name,
        "label": f.label,
        "required": f.required,
        "value": f.value,
        "tbd": f.is_tbd,
        "original_text": f.original_text,
        "confidence": f.confidence,
        "decision_ids": list(f.decision_ids),
        "citations": [_citation(c) for c in f.citations],
    }
    return _with_review(data, f.review)


def _draft_review(review: DraftReview) -> dict[str, Any]:
    return {
        "status": review.status,
        "reviewer": review.reviewer,
        "reviewed_at": review.reviewed_at.isoformat(),
        "note": review.note,
    }


def _is_reviewed(draft: ContractDraft | None) -> bool:
    if draft is None:
        return False
    sides = [c.before for c in draft.changes] + [c.after for c in draft.changes]
    return draft.review is not None or any(f.review is not None for f in (*draft.fields, *sides))


def _decision(d: Decision) -> dict[str, Any]:
    return {
        "decision_id": d.decision_id,
        "kind": d.kind,
        "text": d.text,
        "topic": d.topic,
        "owner": d.owner,
        "due_date": None if d.due_date is None else {"value": d.due_date.value.isoformat(), "text": d.due_date.text},
        # Decimal as text: a float would turn 0.10 into 0.1000000000000000055…
        "amounts": [{"value": str(a.value), "currency": a.currency, "text": a.text} for a in d.amounts],
        "parties": list(d.parties),
        "terms": dict(sorted(d.terms.items())),
        "confidence": d.confidence,
        "citations": [_citation(c) for c in d.citations],
    }


def _finding(f: QAFinding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "severity": f.severity,
        "field": f.field,
        "message": f.message,
        "citation": None if f.citation is None else _citation(f.citation),
    }


def _document(meeting: MeetingInfo, draft: ContractDraft | None) -> dict[str, Any]:
    if draft is None:
        return {
            "kind": "decision_record",
            "document_id": f"{meeting.meeting_id}-decision-record",
            "title": f"Decision record: {meeting.title}",
            "draft_id": None,
            "contract_type": None,
            "template_version": None,
            "version": None,
            "previous_version": None,
            "type_reason": None,
        }
    return {
        "kind": "contract_draft",
        "document_id": draft_document_id(draft),
        "title": draft.title,
        "draft_id": draft.draft_id,
        "contract_type": draft.contract_type,
        "template_version": draft.template_version,
        "version": draft.version,
        "previous_version": draft.version - 1 if draft.version > 1 else None,
        "type_reason": draft.type_reason,
    }


def _deal(link: DealLink | None) -> dict[str, Any] | None:
    if link is None:
        return None
    return {"deal_id": link.deal_id, "continues_meeting_id": link.continues_meeting_id, "reason": link.reason}


def _change(change: FieldChange) -> dict[str, Any]:
    def side(f: DraftField) -> dict[str, Any]:
        data = {
            "value": f.value,
            "original_text": f.original_text,
            "decision_ids": list(f.decision_ids),
            "citations": [_citation(c) for c in f.citations],
        }
        return _with_review(data, f.review)

    return {"field": change.name, "label": change.label, "kind": change.kind, "before": side(change.before), "after": side(change.after)}


def _redline(draft: ContractDraft | None) -> dict[str, Any] | None:
    if draft is None or draft.version <= 1:
        return None
    return {
        "previous_version": draft.version - 1,
        "previous_meeting_id": draft.previous_meeting_id,
        "changes": [_change(c) for c in draft.changes],
    }


def _other_meetings(meeting: MeetingInfo, draft: ContractDraft | None, related: RelatedRecords) -> list[dict[str, Any]]:
    """The other meetings whose citations or versions the bundle names, oldest first."""
    if draft is None:
        return []
    ids = {c.meeting_id for f in draft.fields for c in f.citations}
    ids |= {c.meeting_id for change in draft.changes for c in change.before.citations}
    if draft.previous_meeting_id:
        ids.add(draft.previous_meeting_id)
    ids.discard(meeting.meeting_id)
    found = []
    for meeting_id in sorted(ids):
        other = related.meetings.get(meeting_id)
        found.append(
            {
                "id": meeting_id,
                "title": other.title if other else None,
                "partition_date": other.partition_date.isoformat() if other else None,
                "started_at": other.started_at.isoformat() if other and other.started_at else None,
            }
        )
    return sorted(found, key=lambda m: (m["partition_date"] or "", m["started_at"] or "", m["id"]))


def build_bundle(
    meeting: MeetingInfo,
    draft: ContractDraft | None,
    decisions: MeetingDecisions,
    findings: Sequence[QAFinding],
    no_draft: NoDraftRecord | None,
    *,
    related: RelatedRecords | None = None,
) -> dict[str, Any]:
    """The bundle for a draft (no_draft None) or for a decision record (draft None, no_draft given).

    `related` names the deal and the earlier meetings a later version of a draft cites.
    """
    related = related or RelatedRecords()
    if (draft is None) == (no_draft is None):
        raise BadInputError(
            f"meeting {meeting.meeting_id}", "a bundle needs exactly one of a draft or a no-draft record"
        )
    partition_date = draft.partition_date if draft is not None else no_draft.partition_date
    ordered_findings = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule_id, f.field or ""))
    reviewed = _is_reviewed(draft)
    bundle = {
        "schema_version": REVIEWED_SCHEMA_VERSION if reviewed else SCHEMA_VERSION,
        "watermark": WATERMARK,
        "generated_for": partition_date.isoformat(),
        "meeting": {
            "id": meeting.meeting_id,
            "title": meeting.title,
            "source": meeting.source,
            "source_id": meeting.source_id,
            "started_at": None if meeting.started_at is None else meeting.started_at.isoformat(),
            "organizer": meeting.organizer,
            "participants": list(meeting.participants),
            "content_sha256": meeting.content_sha256,
        },
        "document": _document(meeting, draft),
        "fields": [] if draft is None else [_field(f) for f in draft.fields],
        "clauses": [] if draft is None else [{"number": c.number, "heading": c.heading, "body": c.body} for c in draft.clauses],
        "decisions": [_decision(d) for d in decisions.decisions],
        "extractor": decisions.extractor,
        "qa_findings": [_finding(f) for f in ordered_findings],
        "no_draft_reason": None if no_draft is None else no_draft.reason,
        "deal": _deal(related.deal),
        "other_meetings": _other_meetings(meeting, draft, related),
        "redline": _redline(draft),
    }
    if reviewed:
        # Written from 1.2 on, null while counsel has set values but not yet approved or asked for changes.
        bundle["review"] = None if draft.review is None else _draft_review(draft.review)
    return bundle


@functools.cache
def bundle_schema() -> dict[str, Any]:
    """The bundle's JSON Schema (draft 2020-12), shipped inside the package."""
    text = resources.files("bridge_pipeline.rendering").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    return json.loads(text)


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(bundle_schema())


def _json_path(error: ValidationError) -> str:
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def validate_bundle(bundle: dict[str, Any]) -> None:
    """Raises BundleValidationError naming the JSON path (e.g. $.fields[2].citations[0].start_s) of the clearest problem."""
    errors = list(_validator().iter_errors(bundle))
    if not errors:
        return
    worst = best_match(errors)
    # For "one of these shapes" failures the nested error names the actual bad value.
    while worst.context:
        worst = best_match(worst.context)
    document = bundle.get("document") if isinstance(bundle, dict) else None
    document_id = document.get("document_id", "?") if isinstance(document, dict) else "?"
    raise BundleValidationError(str(document_id), _json_path(worst), worst.message, len(errors))


def render_json(bundle: dict[str, Any]) -> bytes:
    """Stable bytes: sorted keys, two-space indent, UTF-8 (non-ASCII kept as is), trailing newline."""
    return (json.dumps(bundle, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
