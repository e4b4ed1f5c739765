"""The meeting line as day-partitioned assets, built by `build_line_assets` for the partitions it is given.

Every asset writes its own rows in the project store and returns only metadata, so a single run can
cover a whole range of days (a month backfill is one run, not thirty). No postponed annotations here:
Dagster reads the parameter types to inject the context and resources.
"""


import warnings
from collections import Counter
from typing import Iterable

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetsDefinition,
    BackfillPolicy,
    BetaWarning,
    DailyPartitionsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)

from bridge_pipeline import pipeline
from bridge_pipeline.defs.inbox.resources import InboxSourceResource
from bridge_pipeline.defs.language.extractors import ExtractorResource, prepare_days, usage_metadata
from bridge_pipeline.defs.language.speech import SpeechToTextResource, speech_usage_metadata
from bridge_pipeline.defs.meeting_line.partitions import partition_days, partition_timezone
from bridge_pipeline.defs.observability.instrumentation import observed_stage
from bridge_pipeline.defs.pools import SOURCES_POOL
from bridge_pipeline.defs.storage.resources import BlobStorageResource, ProjectStoreResource
from bridge_pipeline.defs.teams.resources import GraphSourceResource
from bridge_pipeline.defs.zoom.resources import ZoomSourceResource
from bridge_pipeline.models import IngestProblem, QAFinding

# Single-run backfills are a deliberate choice here (a month is one run); the beta notice adds nothing.
warnings.filterwarnings("ignore", message=".*backfill_policy.*", category=BetaWarning)

GROUP = "meeting_line"


def _summarise(reports: Iterable[pipeline.StageReport]) -> tuple[dict, list[IngestProblem]]:
    """Sum the per-day counts into numeric metadata the UI can plot over partitions."""
    totals: Counter[str] = Counter()
    problems: list[IngestProblem] = []
    days = 0
    for report in reports:
        days += 1
        totals.update(report.counts)
        problems.extend(report.problems)
    metadata: dict = {name: MetadataValue.int(value) for name, value in sorted(totals.items())}
    metadata["partitions_in_run"] = MetadataValue.int(days)
    metadata["problems"] = MetadataValue.int(len(problems))
    if problems:
        metadata["problem_list"] = MetadataValue.md(_problem_table(problems))
    return metadata, problems


def _days_text(context: AssetExecutionContext) -> MetadataValue:
    """Checks are evaluated once per run; naming the days says which partitions a result covers."""
    keys = context.partition_keys
    return MetadataValue.text(keys[0] if len(keys) == 1 else f"{keys[0]} ... {keys[-1]} ({len(keys)} days)")


def _problem_table(problems: list[IngestProblem]) -> str:
    rows = ["| day | stage | where | problem |", "|---|---|---|---|"]
    for p in problems:
        rows.append(f"| {p.partition_date} | {p.stage} | `{p.location}` | {p.problem.replace('|', '/')} |")
    return "\n".join(rows)


def _findings_table(findings: list[QAFinding]) -> str:
    rows = ["| draft | rule | severity | message |", "|---|---|---|---|"]
    for f in findings:
        rows.append(f"| `{f.draft_id}` | {f.rule_id} | {f.severity} | {f.message.replace('|', '/')} |")
    return "\n".join(rows)


def build_line_assets(
    partitions_def: DailyPartitionsDefinition, *, decisions_pool: str | None = None
) -> list[AssetsDefinition]:
    """The six stages in order, over `partitions_def`; `decisions_pool` is the decisions step's concurrency pool."""
    timezone = partition_timezone(partitions_def)
    common = dict(
        partitions_def=partitions_def,
        backfill_policy=BackfillPolicy.single_run(),
        group_name=GROUP,
    )

    @asset(
        **common,
        description="What the sources found for the day (inbox folder, Teams, Zoom): one meeting row per transcript, "
        "raw bytes kept as blobs.",
        kinds={"python", "sql"},
        pool=SOURCES_POOL,
    )
    @observed_stage
    def raw_recordings(
        context: AssetExecutionContext,
        store: ProjectStoreResource,
        blob_storage: BlobStorageResource,
        inbox: InboxSourceResource,
        teams: GraphSourceResource,
        zoom: ZoomSourceResource,
        speech: SpeechToTextResource,
    ) -> MaterializeResult:
        remote = [source for source in (teams.get_source(), zoom.get_source()) if source is not None]
        sources = [inbox.get_source(), *remote]
        # Recordings without transcript are transcribed when speech-to-text is on, else only counted.
        transcriber = speech.get_speech()
        try:
            reports = [
                pipeline.ingest_day(
                    day,
                    sources,
                    store.get_store(),
                    blob_storage.get_blob_store(),
                    timezone,
                    speech=transcriber,
                )
                for day in partition_days(context.partition_keys)
            ]
        finally:
            for source in remote:
                source.close()
        metadata, problems = _summarise(reports)
        metadata.update(speech_usage_metadata(transcriber))
        metadata["sources"] = MetadataValue.text(", ".join(source.name for source in sources))
        for problem in problems:
            context.log.warning(f"skipped {problem.location}: {problem.problem}")
        return MaterializeResult(metadata=metadata)

    @asset(
        **common,
        deps=[raw_recordings],
        description="Speaker-attributed utterances parsed from each raw transcript (Zoom and Teams WebVTT, text, JSON).",
        kinds={"python", "sql"},
        check_specs=[
            AssetCheckSpec(
                "every_transcript_parsed",
                asset="transcripts",
                description="Warns when a file of the day could not be ingested or parsed; the rest of the day still runs.",
            )
        ],
    )
    @observed_stage
    def transcripts(
        context: AssetExecutionContext, store: ProjectStoreResource, blob_storage: BlobStorageResource
    ) -> MaterializeResult:
        days = partition_days(context.partition_keys)
        reports = [pipeline.parse_day(day, store.get_store(), blob_storage.get_blob_store()) for day in days]
        metadata, problems = _summarise(reports)
        earlier = [p for day in days for p in store.get_store().load_problems(day, stage="raw_recordings")]
        all_problems = earlier + problems
        check = AssetCheckResult(
            check_name="every_transcript_parsed",
            passed=not all_problems,
            severity=AssetCheckSeverity.WARN,
            metadata={
                "days": _days_text(context),
                "skipped_files": MetadataValue.int(len(all_problems)),
                **({"skipped": MetadataValue.md(_problem_table(all_problems))} if all_problems else {}),
            },
        )
        return MaterializeResult(metadata=metadata, check_results=[check])

    @asset(
        **common,
        deps=[transcripts],
        description="Decisions and action items per meeting, each with confidence and citations of the transcript span.",
        kinds={"python", "sql"},
        pool=decisions_pool,
    )
    @observed_stage
    def decisions(context: AssetExecutionContext, store: ProjectStoreResource, extractor: ExtractorResource) -> MaterializeResult:
        chosen = extractor.get_extractor()
        days = partition_days(context.partition_keys)
        # A batching extractor sends every meeting of the range at once before the per-day loop reads its answers.
        batch = prepare_days(chosen, store.get_store(), days, timezone)
        reports = [pipeline.extract_day(day, store.get_store(), chosen, timezone) for day in days]
        metadata, _ = _summarise(reports)
        metadata["extractor"] = MetadataValue.text(chosen.name)
        metadata.update(usage_metadata(chosen))
        if batch is not None:
            metadata["batch_status"] = MetadataValue.text(batch.status)
            metadata["batch_submitted"] = MetadataValue.int(batch.submitted)
            metadata["batch_failed"] = MetadataValue.int(len(batch.failed))
        return MaterializeResult(metadata=metadata)

    @asset(
        **common,
        deps=[decisions],
        description="NDA / MoU / SOW / SLA drafts built from the decisions; every field cited or marked TBD.",
        kinds={"python", "sql"},
    )
    @observed_stage
    def contract_drafts(context: AssetExecutionContext, store: ProjectStoreResource) -> MaterializeResult:
        reports = [
            pipeline.draft_day(day, store.get_store(), timezone)
            for day in partition_days(context.partition_keys)
        ]
        metadata, _ = _summarise(reports)
        return MaterializeResult(metadata=metadata)

    @asset(
        **common,
        deps=[contract_drafts],
        description="Deterministic QA findings for every draft of the day.",
        kinds={"python", "sql"},
        check_specs=[
            AssetCheckSpec(
                "no_blocking_findings",
                asset="draft_qa",
                description="Fails when a draft would mislead (no parties, contradictory amounts, impossible dates). "
                "That draft's export is withheld; the other meetings of the day still export.",
            ),
            AssetCheckSpec(
                "required_fields_filled",
                asset="draft_qa",
                description="Warns while required fields are still TBD; TBD drafts still export, flagged for counsel.",
            ),
        ],
    )
    @observed_stage
    def draft_qa(context: AssetExecutionContext, store: ProjectStoreResource) -> MaterializeResult:
        reports = []
        findings: list[QAFinding] = []
        for day in partition_days(context.partition_keys):
            report, day_findings = pipeline.qa_day(day, store.get_store())
            reports.append(report)
            findings.extend(day_findings)
        metadata, _ = _summarise(reports)
        blocking = [f for f in findings if f.severity == "blocking"]
        tbd = [f for f in findings if f.rule_id == "PH-01"]
        checks = [
            AssetCheckResult(
                check_name="no_blocking_findings",
                passed=not blocking,
                severity=AssetCheckSeverity.ERROR,
                metadata={
                    "days": _days_text(context),
                    "blocking_findings": MetadataValue.int(len(blocking)),
                    "withheld_drafts": MetadataValue.int(len({f.draft_id for f in blocking})),
                    **({"findings": MetadataValue.md(_findings_table(blocking))} if blocking else {}),
                },
            ),
            AssetCheckResult(
                check_name="required_fields_filled",
                passed=not tbd,
                severity=AssetCheckSeverity.WARN,
                metadata={"days": _days_text(context), "tbd_required_fields": MetadataValue.int(len(tbd))},
            ),
        ]
        if findings:
            metadata["findings"] = MetadataValue.md(_findings_table(findings))
        return MaterializeResult(metadata=metadata, check_results=checks)

    @asset(
        **common,
        deps=[draft_qa],
        description="DOCX, PDF, Markdown and a JSON bundle per meeting, watermarked; drafts with blocking QA findings withheld.",
        kinds={"python", "pdf", "docx"},
    )
    @observed_stage
    def contract_exports(
        context: AssetExecutionContext, store: ProjectStoreResource, blob_storage: BlobStorageResource
    ) -> MaterializeResult:
        blobs = blob_storage.get_blob_store()
        days = partition_days(context.partition_keys)
        # The run id goes into the audit trail beside every export file written, as plain text.
        reports = [pipeline.export_day(day, store.get_store(), blobs, run_id=context.run.run_id) for day in days]
        metadata, _ = _summarise(reports)
        metadata["export_folders"] = MetadataValue.md(
            "\n".join(f"- `{blobs.uri(pipeline.export_prefix(day))}`" for day in days)
        )
        withheld = [w for day in days for w in store.get_store().load_exports(day)[1]]
        if withheld:
            metadata["withheld_list"] = MetadataValue.md(
                "\n".join(f"- `{w.draft_id}`: {w.reason}" for w in withheld)
            )
        return MaterializeResult(metadata=metadata)

    return [raw_recordings, transcripts, decisions, contract_drafts, draft_qa, contract_exports]
