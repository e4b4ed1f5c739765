"""Instance files load with Dagster's own config loader and say what production needs."""

from __future__ import annotations

import shutil

import pytest
import yaml
from dagster import DagsterInvalidConfigError
from dagster._config import process_config
from dagster._core.instance.config import dagster_instance_config
from dagster_aws.ecs import EcsRunLauncher

from bridge_pipeline.defs.pools import POOL_LIMITS
from bridge_pipeline_tests.deploy.paths import DEPLOY


def _load(tmp_path, name: str) -> dict:
    shutil.copy(DEPLOY / name, tmp_path / "dagster.yaml")
    config, _ = dagster_instance_config(str(tmp_path))
    return config


def test_production_instance_uses_postgres_with_the_psycopg2_scheme(tmp_path):
    db = _load(tmp_path, "dagster.prod.yaml")["storage"]["postgres"]["postgres_db"]
    assert db["scheme"] == "postgresql+psycopg2"
    assert {db[k]["env"] for k in ("username", "password", "hostname", "db_name", "port")} == {
        "DAGSTER_PG_USERNAME", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_HOST", "DAGSTER_PG_DB", "DAGSTER_PG_PORT",
    }


def test_production_instance_queues_runs_with_limits_in_the_concurrency_block(tmp_path):
    config = _load(tmp_path, "dagster.prod.yaml")
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert "max_concurrent_runs" not in config["run_coordinator"]["config"]
    runs, pools = config["concurrency"]["runs"], config["concurrency"]["pools"]
    assert runs["max_concurrent_runs"] > 0
    assert {"dagster/backfill"} <= {limit["key"] for limit in runs["tag_concurrency_limits"]}
    assert pools["default_limit"] > 0 and pools["granularity"] == "op"
    # The per-API pools the file documents are the ones the code applies.
    text = (DEPLOY / "dagster.prod.yaml").read_text()
    assert all(f"{pool} {limit}" in text for pool, limit in POOL_LIMITS.items())


def test_production_instance_retries_crashed_runs_and_caps_their_runtime(tmp_path):
    config = _load(tmp_path, "dagster.prod.yaml")
    assert config["run_retries"]["enabled"] and config["run_retries"]["max_retries"] >= 1
    assert config["run_monitoring"]["enabled"] and config["run_monitoring"]["max_runtime_seconds"] > 0
    # The default launcher cannot resume runs; a positive value would fail at daemon start.
    assert config["run_monitoring"]["max_resume_run_attempts"] == 0


def test_production_compute_logs_go_to_s3_named_by_the_environment(tmp_path):
    logs = _load(tmp_path, "dagster.prod.yaml")["compute_logs"]
    assert logs["class"] == "S3ComputeLogManager"
    assert logs["config"]["bucket"] == {"env": "DAGSTER_COMPUTE_LOG_BUCKET"}
    assert "endpoint_url" not in logs["config"]


def test_the_loader_rejects_run_limits_in_both_places(tmp_path):
    broken = yaml.safe_load((DEPLOY / "dagster.prod.yaml").read_text())
    broken["run_coordinator"]["config"]["max_concurrent_runs"] = 3
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(broken))
    with pytest.raises(DagsterInvalidConfigError):
        dagster_instance_config(str(tmp_path))


def test_ecs_instance_is_the_production_one_with_the_ecs_launcher(tmp_path):
    ecs = _load(tmp_path, "dagster.ecs.yaml")
    prod = _load(tmp_path, "dagster.prod.yaml")
    launcher = ecs.pop("run_launcher")
    assert launcher["class"] == "EcsRunLauncher"
    checked = process_config(EcsRunLauncher.config_type(), launcher["config"])
    assert checked.success, checked.errors
    assert ecs.pop("run_monitoring")["max_resume_run_attempts"] > 0
    prod.pop("run_launcher")
    prod.pop("run_monitoring")
    assert ecs == prod


def test_ecs_launcher_config_with_a_typo_is_rejected():
    checked = process_config(EcsRunLauncher.config_type(), {"task_definiton": "arn:x", "container_name": "run"})
    assert not checked.success


def test_workspace_for_the_services_is_valid(monkeypatch):
    monkeypatch.setenv("BRIDGE_CODE_HOST", "code-location")
    from dagster._core.workspace.config_schema import process_workspace_config

    result = process_workspace_config(yaml.safe_load((DEPLOY / "workspace.yaml").read_text()))
    assert result.success, result.errors
    (server,) = result.value["load_from"]
    assert server["grpc_server"]["port"] == 4000
