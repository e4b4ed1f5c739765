"""The answer the model must give: pydantic models, and the strict JSON schema sent as `response_format`.

The model only points at utterances by their number and copies values as spoken; turning those into
citations, Amounts and DateMentions (and refusing what the transcript does not support) is grounding's job.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bridge_pipeline.extraction.vocabulary import TERM_KEYS, TOPICS

# Literal types built from the shared vocabulary, so the schema and the drafter never disagree.
TopicName = Literal[tuple(TOPICS)]  # type: ignore[valid-type]
TermKey = Literal[tuple(TERM_KEYS)]  # type: ignore[valid-type]

SCHEMA_NAME = "meeting_decisions"


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SpokenAmount(_Answer):
    value: str = Field(description="Plain decimal number, no separators: '48000' or '1200.50'")
    currency: str = Field(description="ISO 4217 code, e.g. 'EUR'")
    text: str = Field(description="The words as spoken, copied from the transcript")


class SpokenDate(_Answer):
    value: str = Field(description="Calendar date YYYY-MM-DD, resolved against the meeting date")
    text: str = Field(description="The words as spoken, copied from the transcript, e.g. 'by Friday'")


# Where a value stands in the negotiation; only "agreed" values (and "open" points) may reach a draft.
TermStatus = Literal["agreed", "proposed", "rejected", "open"]


class TermValue(_Answer):
    key: TermKey  # type: ignore[valid-type]
    value: str = Field(description="Normalised as the key's description says; 'TBD' when the status is open")
    status: TermStatus = Field(
        description="agreed: one side proposed or recapped it and the other accepted or confirmed it; "
        "proposed: not accepted (yet); rejected: turned down, countered or corrected; "
        "open: the meeting explicitly left it undecided"
    )
    accepted_in: list[int] = Field(
        description="Agreed terms: numbers of the utterances where the other side accepted or confirmed the value; "
        "empty for any other status"
    )


class ExtractedItem(_Answer):
    kind: Literal["decision", "action_item"]
    text: str = Field(description="One sentence stating what was decided or who will do what")
    topic: TopicName  # type: ignore[valid-type]
    owner: str | None = Field(description="Action items: the person responsible, as named in the meeting")
    due_date: SpokenDate | None
    amounts: list[SpokenAmount]
    parties: list[str] = Field(description="Organisations the item is about, as named in the cited utterances")
    terms: list[TermValue]
    utterances: list[int] = Field(description="Numbers of the utterances that state this item, most important first")
    confidence: float = Field(description="0 to 1: how clearly the meeting settled this")


class ExtractionAnswer(_Answer):
    items: list[ExtractedItem]


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the form strict structured outputs accept.

    Strict mode wants every property listed in `required` (optional ones are nullable instead),
    `additionalProperties: false` on every object, and no `default` values.
    """
    schema = copy.deepcopy(model.model_json_schema())

    def tighten(node: Any) -> None:
        """`node` is a schema (never a mapping of property names, which may be called 'title')."""
        if isinstance(node, list):
            for value in node:
                tighten(value)
            return
        if not isinstance(node, dict):
            return
        node.pop("default", None)
        node.pop("title", None)
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
            node["required"] = list(node["properties"])
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for child in value.values():
                    tighten(child)
            elif key in ("items", "anyOf", "allOf", "oneOf"):
                tighten(value)

    tighten(schema)
    return schema


def response_format() -> dict[str, Any]:
    """The `response_format` argument of a chat completion that asks for an ExtractionAnswer."""
    return {
        "type": "json_schema",
        "json_schema": {"name": SCHEMA_NAME, "strict": True, "schema": strict_json_schema(ExtractionAnswer)},
    }
