"""The extractor evaluation asset: scores whichever extractor is configured against labelled meetings.

The labelled meetings live in ../shared/data next to the project checkout when that folder exists.
No postponed annotations here: Dagster reads the parameter types to inject config and resources.
"""

import os
from pathlib import Path

from dagster import AssetExecutionContext, Config, MaterializeResult, MetadataValue, asset

from bridge_pipeline.defs.language.extractors import ExtractorResource, usage_metadata
from bridge_pipeline.evaluate import EvaluationReport, evaluate, load_labelled_meetings, write_outputs
from bridge_pipeline.settings import load_settings

DEFAULT_EVALUATION_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "zoom_meetings"
"""../shared/data/zoom_meetings next to the project checkout."""


class EvaluationConfig(Config):
    data_dir: str = ""
    """Folder of labelled meetings; empty: BRIDGE_EVALUATION_DATA, else ../shared/data/zoom_meetings."""
    out_dir: str = ""
    """Where the CSV and chart go; empty: <BRIDGE_DATA_DIR>/evaluation."""
    timezone: str = "UTC"


def _evaluation_paths(config: EvaluationConfig) -> tuple[Path, Path]:
    # Read when the asset runs, in the run's own process, like the EnvVar-backed resources.
    data = Path(config.data_dir or os.environ.get("BRIDGE_EVALUATION_DATA") or DEFAULT_EVALUATION_DATA)
    out = Path(config.out_dir) if config.out_dir else load_settings().data_dir / "evaluation"
    return data, out


def _series_table(report: EvaluationReport) -> str:
    rows = ["| series | references | found | predictions | recall | precision | citation accuracy |", "|---|---|---|---|---|---|---|"]
    for score in [*report.by_series.values(), report.overall]:
        found = score.found_decisions + score.found_actions
        rows.append(
            f"| {score.meeting_id} | {score.references} | {found} | {score.predictions} | {score.recall:.3f} | "
            f"{score.precision:.3f} | {score.citation_accuracy:.3f} |"
        )
    return "\n".join(rows)


@asset(
    group_name="evaluation",
    description="Scores the configured extractor against the labelled meetings (recall, precision, citation "
    "accuracy, per series); writes a CSV and a chart. Skips when the labelled data is not on this machine.",
    kinds={"python"},
)
def extractor_evaluation(context: AssetExecutionContext, config: EvaluationConfig, extractor: ExtractorResource) -> MaterializeResult:
    data_dir, out_dir = _evaluation_paths(config)
    if not data_dir.is_dir():
        context.log.info(f"no labelled meetings at {data_dir}; evaluation skipped")
        return MaterializeResult(metadata={"skipped": MetadataValue.text(f"{data_dir} does not exist")})
    chosen = extractor.get_extractor()
    report = evaluate(load_labelled_meetings(data_dir), chosen, config.timezone)
    csv_path, chart_path = write_outputs(report, out_dir)
    total = report.overall
    for meeting_id, error in report.failures:
        context.log.warning(f"{meeting_id} failed: {error}")
    return MaterializeResult(
        metadata={
            "extractor": MetadataValue.text(report.extractor),
            "meetings": MetadataValue.int(len(report.meetings)),
            "references": MetadataValue.int(total.references),
            "predictions": MetadataValue.int(total.predictions),
            "recall": MetadataValue.float(round(total.recall, 4)),
            "decision_recall": MetadataValue.float(round(total.decision_recall, 4)),
            "action_recall": MetadataValue.float(round(total.action_recall, 4)),
            "precision": MetadataValue.float(round(total.precision, 4)),
            "citation_accuracy": MetadataValue.float(round(total.citation_accuracy, 4)),
            "citation_accuracy_any_label": MetadataValue.float(round(total.citation_accuracy_any_label, 4)),
            "failed_meetings": MetadataValue.int(len(report.failures)),
            "per_series": MetadataValue.md(_series_table(report)),
            "csv": MetadataValue.path(str(csv_path)),
            "chart": MetadataValue.path(str(chart_path)),
            **usage_metadata(chosen),
        }
    )
