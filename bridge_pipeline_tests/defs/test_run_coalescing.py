"""Sensors ask for no second run of a day whose run is still waiting in the queue."""

from __future__ import annotations

import uuid

from dagster import AssetKey, DagsterInstance, DagsterRunStatus, RunRequest, build_sensor_context
from dagster._core.remote_origin import InProcessCodeLocationOrigin, RemoteJobOrigin, RemoteRepositoryOrigin
from dagster._core.storage.dagster_run import DagsterRun
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

from bridge_pipeline.defs.run_coalescing import without_waiting_days

JOB = "meeting_line_job"
REDRAFT = [AssetKey("contract_drafts"), AssetKey("draft_qa"), AssetKey("contract_exports")]


def _origin(job_name: str) -> RemoteJobOrigin:
    """Where a queued run's job comes from (Dagster requires one for queued runs)."""
    location = InProcessCodeLocationOrigin(loadable_target_origin=LoadableTargetOrigin(module_name="bridge_pipeline.definitions"))
    return RemoteJobOrigin(
        repository_origin=RemoteRepositoryOrigin(code_location_origin=location, repository_name="__repository__"),
        job_name=job_name,
    )


def _run(instance: DagsterInstance, day: str, status: DagsterRunStatus, asset_selection=None, job: str = JOB) -> None:
    instance.run_storage.add_run(
        DagsterRun(
            job_name=job,
            remote_job_origin=_origin(job),
            run_id=str(uuid.uuid4()),
            status=status,
            tags={"dagster/partition": day},
            asset_selection=frozenset(asset_selection) if asset_selection else None,
        )
    )


def _days(requests) -> list[str]:
    return [r.partition_key for r in requests]


def test_a_waiting_whole_line_run_covers_new_requests_and_a_started_one_does_not():
    with DagsterInstance.ephemeral() as instance:
        _run(instance, "2026-05-14", DagsterRunStatus.QUEUED)
        _run(instance, "2026-05-15", DagsterRunStatus.STARTED)
        _run(instance, "2026-05-16", DagsterRunStatus.QUEUED, REDRAFT)
        context = build_sensor_context(instance=instance)
        whole = [RunRequest(partition_key=d) for d in ("2026-05-14", "2026-05-15", "2026-05-16", "2026-05-17")]
        redraft = [RunRequest(partition_key=d, asset_selection=REDRAFT) for d in ("2026-05-14", "2026-05-16", "2026-05-17")]

        # 05-15's run may have listed its inputs already; 05-16 waits only to re-draft, not to ingest.
        assert _days(without_waiting_days(context, JOB, whole, "test")) == ["2026-05-15", "2026-05-16", "2026-05-17"]
        # Every run re-drafts, so any waiting run of the day covers a re-draft.
        assert _days(without_waiting_days(context, JOB, redraft, "test")) == ["2026-05-17"]


def test_runs_of_another_job_or_finished_runs_cover_nothing():
    with DagsterInstance.ephemeral() as instance:
        _run(instance, "2026-05-14", DagsterRunStatus.SUCCESS)
        _run(instance, "2026-05-15", DagsterRunStatus.QUEUED, job="retention_job")
        context = build_sensor_context(instance=instance)
        requests = [RunRequest(partition_key=d) for d in ("2026-05-14", "2026-05-15")]
        assert _days(without_waiting_days(context, JOB, requests, "test")) == ["2026-05-14", "2026-05-15"]
