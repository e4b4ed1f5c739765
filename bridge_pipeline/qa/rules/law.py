"""QA rules on governing law and the forum for disputes."""

from __future__ import annotations

import re

from bridge_pipeline.drafting.values import normalise_text
from bridge_pipeline.qa.context import QAContext
from bridge_pipeline.qa.registry import Issue, rule

# Jurisdictions the standard clause text was reviewed against; anything else goes to counsel first.
REVIEWED_JURISDICTIONS = frozenset(
    {
        "england and wales",
        "england",
        "scotland",
        "ireland",
        "delaware",
        "new york",
        "california",
        "germany",
        "france",
        "the netherlands",
        "netherlands",
        "poland",
        "switzerland",
    }
)


@rule("LW-02", "warning", "Governing law without a venue")
def law_without_venue(ctx: QAContext):
    if ctx.value("governing_law") and ctx.field("venue") and not ctx.value("venue"):
        yield Issue(
            f"{ctx.ref('governing_law')}: {ctx.value('governing_law')} law is agreed but not which courts or "
            "arbitration seat decide disputes (venue).",
            field="venue",
            citation=ctx.citation_for(ctx.field("governing_law")),
        )


@rule("LW-06", "warning", "Venue without governing law")
def venue_without_law(ctx: QAContext):
    if ctx.value("venue") and ctx.field("governing_law") and not ctx.value("governing_law"):
        yield Issue(
            f"{ctx.ref('venue')}: disputes go to {ctx.value('venue')} but governing_law is TBD.",
            field="governing_law",
            citation=ctx.citation_for(ctx.field("venue")),
        )


@rule("LW-04", "info", "Governing law outside the reviewed jurisdictions")
def unreviewed_jurisdiction(ctx: QAContext):
    law = ctx.value("governing_law")
    if law:
        plain = normalise_text(re.sub(r"^(the )?laws? of ", "", law, flags=re.IGNORECASE))
        if plain not in REVIEWED_JURISDICTIONS:
            yield Issue(
                f"{ctx.ref('governing_law')}: the standard text has not been reviewed for {law}; counsel should "
                "confirm it works there.",
                field="governing_law",
                citation=ctx.citation_for(ctx.field("governing_law")),
            )


@rule("LW-05", "warning", "Venue names both arbitration and courts")
def arbitration_and_courts(ctx: QAContext):
    venue = ctx.value("venue") or ""
    if re.search(r"arbitrat", venue, re.IGNORECASE) and re.search(r"\bcourts?\b", venue, re.IGNORECASE):
        yield Issue(
            f"{ctx.ref('venue')}: {venue!r} names both arbitration and courts; choose one forum for disputes.",
            field="venue",
            citation=ctx.citation_for(ctx.field("venue")),
        )
