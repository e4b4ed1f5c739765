"""The evaluation domain's definitions."""

from __future__ import annotations

from dagster import Definitions

from bridge_pipeline.defs.evaluation.assets import extractor_evaluation


def build_defs() -> Definitions:
    return Definitions(assets=[extractor_evaluation])
