"""QA rule families; importing this package registers every rule with qa.registry."""

from bridge_pipeline.qa.rules import (  # noqa: F401
    completeness,
    dates,
    law,
    money,
    mou,
    nda,
    parties,
    provenance,
    sla,
    sow,
    structure,
)
