"""Contract templates kept as data: field specs and our standard clause text, loaded from YAML and checked."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.extraction.vocabulary import CONTRACT_TYPES, TERM_KEYS, TOPICS
from bridge_pipeline.models import ContractType

TEMPLATES_DIR = Path(__file__).with_name("templates")

FieldKind = Literal["party", "date", "duration", "money", "percent", "text", "list"]
ItemDetail = Literal["due_date", "owner", "amount"]
ListRestatement = Literal["update_items", "replace_list"]

# Names a clause body may use besides the template's own fields; the drafter supplies them.
CONTEXT_NAMES: tuple[str, ...] = ("meeting_title", "meeting_date")


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FieldSpec(_Spec):
    """One cover-page field and where its value may come from."""

    name: str
    label: str
    required: bool
    kind: FieldKind
    from_terms: list[str] = []
    from_topic: str | None = None
    """List fields only: action items of this topic add their text as items (e.g. MoU responsibilities)."""
    positional: bool = False
    """Party fields only: when no role term names the party, take the next party in order of mention."""
    collects_unassigned_parties: bool = False
    """List field that lists parties named in the meeting whose role no decision states."""
    own_contract_only: bool = False
    """Decisions explicitly about another contract type ('a two-year term for the NDA') do not fill it."""
    item_details: list[ItemDetail] = []
    """List fields only: decision attributes shown after each item, e.g. '(due 2026-03-01)'."""
    choices: dict[str, str] = {}
    """Display text for enumerated normalised values (e.g. nda_direction 'one_way')."""
    when_restated: ListRestatement = "update_items"
    """List fields, when a later meeting of the deal states items: 'update_items' replaces an item stated again
    (same item text, or same label before a colon) in place and adds new ones; 'replace_list' takes the later
    meeting's list as the whole list (a payment schedule is restated as a whole)."""

    @model_validator(mode="after")
    def _check_sources(self) -> "FieldSpec":
        unknown = [key for key in self.from_terms if key not in TERM_KEYS]
        if unknown:
            raise ValueError(f"field {self.name}: from_terms not in vocabulary.TERM_KEYS: {unknown}")
        if self.from_topic is not None and self.from_topic not in TOPICS:
            raise ValueError(f"field {self.name}: from_topic {self.from_topic!r} not in vocabulary.TOPICS")
        if self.positional and self.kind != "party":
            raise ValueError(f"field {self.name}: only party fields can be positional")
        if self.when_restated != "update_items" and self.kind != "list":
            raise ValueError(f"field {self.name}: when_restated applies to list fields only")
        if (self.item_details or self.from_topic or self.collects_unassigned_parties) and self.kind != "list":
            raise ValueError(f"field {self.name}: item_details, from_topic and collects_unassigned_parties need kind list")
        return self


class ClauseSpec(_Spec):
    number: str
    heading: str
    body: str


class TemplateSpec(_Spec):
    contract_type: ContractType
    version: str
    title: str
    evidence: list[list[str]]
    """Term groups that point to this type when no decision names one: every group needs a stated term."""
    fields: list[FieldSpec]
    clauses: list[ClauseSpec]

    @model_validator(mode="after")
    def _check_consistency(self) -> "TemplateSpec":
        names = [f.name for f in self.fields]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate field names: {duplicates}")
        if sum(f.kind == "party" for f in self.fields) < 2:
            raise ValueError("a template needs at least two party fields")
        known = set(names) | set(CONTEXT_NAMES)
        for clause in self.clauses:
            undeclared = sorted(set(placeholders_in(clause.body)) - known)
            if undeclared:
                raise ValueError(f"clause {clause.number} uses undeclared fields {undeclared}")
        for group in self.evidence:
            unknown = [key for key in group if key not in TERM_KEYS]
            if unknown or not group:
                raise ValueError(f"evidence group {group} must be non-empty TERM_KEYS")
        return self

    def field_spec(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def term_keys(self) -> frozenset[str]:
        """Every term key some field of this template reads."""
        return frozenset(key for f in self.fields for key in f.from_terms)


def placeholders_in(body: str) -> list[str]:
    """Field names a clause body refers to as {name}; rejects format specs and attribute access."""
    names = []
    for _, name, spec, conversion in string.Formatter().parse(body):
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ValueError(f"placeholder {{{name}}} must be a plain field name")
        names.append(name)
    return names


def template_path(contract_type: str) -> Path:
    return TEMPLATES_DIR / f"{contract_type.lower()}.yaml"


@lru_cache(maxsize=None)
def load_template(contract_type: str) -> TemplateSpec:
    """The template for NDA, MOU, SOW or SLA; ConfigurationError names the file when it is invalid."""
    if contract_type not in CONTRACT_TYPES:
        raise ConfigurationError(f"no template for contract type {contract_type!r}; known: {', '.join(CONTRACT_TYPES)}")
    path = template_path(contract_type)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = TemplateSpec.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError, ValueError) as exc:
        raise ConfigurationError(f"template {path}: {exc}") from exc
    if spec.contract_type != contract_type:
        raise ConfigurationError(f"template {path}: declares contract_type {spec.contract_type}, expected {contract_type}")
    return spec


