"""Helm values for the official Dagster chart, validated offline against the chart's schema."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml
from dagster._core.instance.config import dagster_instance_config

from bridge_pipeline_tests.deploy.paths import DEPLOY, REPO, HELM_SCHEMA

VALUES = DEPLOY / "helm" / "values.yaml"


@pytest.fixture(scope="module")
def schema() -> dict:
    if not HELM_SCHEMA.is_file():
        pytest.skip(f"{HELM_SCHEMA} is absent")
    pytest.importorskip("kubernetes_validate")
    return json.loads(HELM_SCHEMA.read_text())


@pytest.fixture
def values() -> dict:
    return yaml.safe_load(VALUES.read_text())


def test_values_satisfy_the_chart_schema_including_kubernetes_types(schema, values):
    from bridge_pipeline_tests.deploy.helm_schema import helm_values_errors

    assert helm_values_errors(schema, values) == []


def test_schema_catches_typos_wrong_types_and_bad_kubernetes_fields(schema, values):
    from bridge_pipeline_tests.deploy.helm_schema import helm_values_errors

    broken = copy.deepcopy(values)
    broken["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]["maxConcurentRuns"] = 3
    broken["dagster-user-deployments"]["deployments"][0]["port"] = "3030"
    broken["dagsterWebserver"]["tolerations"] = {"key": "dedicated"}
    errors = "\n".join(helm_values_errors(schema, broken))
    assert "maxConcurentRuns" in errors
    assert "deployments/0/port" in errors
    assert "dagsterWebserver/tolerations" in errors


def test_chart_images_match_the_pinned_dagster_version(values):
    pinned = re.search(r'"dagster==([\d.]+)"', (REPO / "pyproject.toml").read_text()).group(1)
    assert values["dagsterWebserver"]["image"]["tag"] == pinned
    assert values["dagsterDaemon"]["image"]["tag"] == pinned


def test_values_use_external_postgres_with_psycopg2_and_no_inline_password(values):
    pg = values["postgresql"]
    assert pg["enabled"] is False and pg["postgresqlScheme"] == "postgresql+psycopg2"
    assert pg["postgresqlPassword"] == "" and values["generatePostgresqlPasswordSecret"] is False


def test_the_instance_the_chart_would_render_loads(tmp_path, values):
    """The dagster.yaml fragments these values produce, assembled by hand and checked by Dagster's loader."""
    daemon = values["dagsterDaemon"]
    queued = daemon["runCoordinator"]["config"]["queuedRunCoordinator"]
    monitoring = daemon["runMonitoring"]
    s3 = values["computeLogManager"]["config"]["s3ComputeLogManager"]
    instance = {
        "run_coordinator": {
            "module": "dagster.core.run_coordinator",
            "class": "QueuedRunCoordinator",
            "config": {
                "max_concurrent_runs": queued["maxConcurrentRuns"],
                "tag_concurrency_limits": queued["tagConcurrencyLimits"],
                "dequeue_interval_seconds": queued["dequeueIntervalSeconds"],
            },
        },
        "run_monitoring": {
            "enabled": monitoring["enabled"],
            "start_timeout_seconds": monitoring["startTimeoutSeconds"],
            "max_resume_run_attempts": monitoring["maxResumeRunAttempts"],
            "poll_interval_seconds": monitoring["pollIntervalSeconds"],
            "max_runtime_seconds": monitoring["maxRuntimeSeconds"],
        },
        "run_retries": {
            "enabled": daemon["runRetries"]["enabled"],
            "max_retries": daemon["runRetries"]["maxRetries"],
            "retry_on_asset_or_op_failure": daemon["runRetries"]["retryOnAssetOrOpFailure"],
        },
        "compute_logs": {
            "module": "dagster_aws.s3.compute_log_manager",
            "class": "S3ComputeLogManager",
            "config": {"bucket": s3["bucket"], "prefix": s3["prefix"], "region": s3["region"]},
        },
        "python_logs": {
            "python_log_level": values["pythonLogs"]["pythonLogLevel"],
            "managed_python_loggers": values["pythonLogs"]["managedPythonLoggers"],
        },
        **values["additionalInstanceConfig"],
    }
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(instance))
    config, _ = dagster_instance_config(str(tmp_path))
    assert config["concurrency"]["default_op_concurrency_limit"] == 2


def test_values_file_has_no_secret_material():
    text = VALUES.read_text()
    assert not re.search(r"(?i)(password|secret|token)\s*:\s*[\"']?[A-Za-z0-9+/_-]{12,}", text)
