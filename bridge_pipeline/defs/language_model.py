"""The language-model resource (OpenAI or any compatible server) and the extractor evaluation asset.

`OpenAIExtractorResource` hands the decisions asset an `OpenAIExtractor` exactly as
`OfflineExtractorResource` hands it the offline rules; `extractor_evaluation` scores whichever
extractor is configured against the labelled meetings in ../shared/data when that folder exists.
No postponed annotations here: Dagster reads the parameter types to inject config and resources.
"""

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    Config,
    EnvVar,
    MaterializeResult,
    MetadataValue,
    asset,
)
from pydantic import PrivateAttr

from bridge_pipeline.defs.resources import BlobStorageResource, ExtractorResource
from bridge_pipeline.evaluate import EvaluationReport, evaluate, load_labelled_meetings, write_outputs
from bridge_pipeline.extraction.base import Extractor
from bridge_pipeline.extraction.llm.batch import BatchReport
from bridge_pipeline.extraction.llm.extractor import OpenAIExtractor
from bridge_pipeline.extraction.llm.settings import DEFAULT_MODEL, LanguageModelSettings, ModelPrice, RetryPolicy
from bridge_pipeline.models import MeetingInfo, Transcript
from bridge_pipeline.storage.store import PipelineStore

DEFAULT_EVALUATION_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "zoom_meetings"
"""../shared/data/zoom_meetings next to the project checkout."""


class OpenAIExtractorResource(ExtractorResource):
    """Decisions through an OpenAI-compatible chat model; answers cached as blobs under cache/llm/.

    Configure the key as `EnvVar("OPENAI_API_KEY")`; `base_url` empty means the client's default endpoint.
    """

    api_key: str
    blob_storage: BlobStorageResource
    base_url: str = ""
    model: str = DEFAULT_MODEL
    request_timeout_s: float = 120.0
    max_attempts: int = 5
    retry_budget_s: float = 180.0
    retry_base_delay_s: float = 1.0
    max_chunk_chars: int = 60_000
    use_batch: bool = False
    batch_poll_interval_s: float = 30.0
    batch_timeout_s: float = 24 * 3600.0
    input_usd_per_million: float = ModelPrice.input_per_million
    cached_input_usd_per_million: float = ModelPrice.cached_input_per_million
    output_usd_per_million: float = ModelPrice.output_per_million

    _extractor: OpenAIExtractor | None = PrivateAttr(default=None)

    def settings(self) -> LanguageModelSettings:
        return LanguageModelSettings(
            api_key=self.api_key,
            model=self.model,
            base_url=self.base_url or None,
            request_timeout_s=self.request_timeout_s,
            retry=RetryPolicy(max_attempts=self.max_attempts, budget_s=self.retry_budget_s, base_delay_s=self.retry_base_delay_s),
            max_chunk_chars=self.max_chunk_chars,
            price=ModelPrice(
                input_per_million=self.input_usd_per_million,
                cached_input_per_million=self.cached_input_usd_per_million,
                output_per_million=self.output_usd_per_million,
            ),
            use_batch=self.use_batch,
            batch_poll_interval_s=self.batch_poll_interval_s,
            batch_timeout_s=self.batch_timeout_s,
        )

    def get_extractor(self) -> OpenAIExtractor:
        """One extractor per run, so its usage totals cover every day the run materializes."""
        if self._extractor is None:
            self._extractor = OpenAIExtractor(self.settings(), self.blob_storage.get_blob_store())
        return self._extractor


def openai_extractor_resource(blob_storage: BlobStorageResource, **options: object) -> OpenAIExtractorResource:
    """The resource with its key read from OPENAI_API_KEY at run time, never stored in the definitions."""
    return OpenAIExtractorResource(api_key=EnvVar("OPENAI_API_KEY"), blob_storage=blob_storage, **options)


def usage_metadata(extractor: Extractor) -> dict[str, MetadataValue]:
    """Token, cost and cache figures of a language-model extractor; empty for extractors without usage."""
    usage = getattr(extractor, "usage", None)
    if usage is None:
        return {}
    metadata: dict[str, MetadataValue] = {}
    for name, value in usage.as_metadata().items():
        metadata[name] = MetadataValue.float(float(value)) if isinstance(value, float) else MetadataValue.int(int(value))
    return metadata


def prepare_days(extractor: Extractor, store: PipelineStore, days: Iterable[dt.date], timezone: str) -> BatchReport | None:
    """Before a range of days is extracted: lets an extractor that batches requests (use_batch) send them all at once."""
    prepare = getattr(extractor, "prepare", None)
    if prepare is None:
        return None
    meetings: list[tuple[MeetingInfo, Transcript]] = []
    for day in days:
        transcripts = store.load_transcripts(day)
        meetings.extend((m, transcripts[m.meeting_id]) for m in store.load_meetings(day) if m.meeting_id in transcripts)
    return prepare(meetings, timezone)


# --- evaluation ------------------------------------------------------------------------------------


class EvaluationConfig(Config):
    data_dir: str = ""
    """Folder of labelled meetings; empty: BRIDGE_EVALUATION_DATA, else ../shared/data/zoom_meetings."""
    out_dir: str = ""
    """Where the CSV and chart go; empty: <BRIDGE_DATA_DIR>/evaluation."""
    timezone: str = "UTC"


def _evaluation_paths(config: EvaluationConfig) -> tuple[Path, Path]:
    from bridge_pipeline.settings import load_settings

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
