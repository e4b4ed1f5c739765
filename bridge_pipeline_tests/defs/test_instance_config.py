"""The local instance file loads with Dagster's own config validator."""

from __future__ import annotations

import shutil

from dagster._core.instance.config import dagster_instance_config

from bridge_pipeline_tests.line_fixtures import REPO


def test_local_dagster_yaml_is_a_valid_instance_config(tmp_path):
    shutil.copy(REPO / "dagster.yaml", tmp_path / "dagster.yaml")
    config, _ = dagster_instance_config(str(tmp_path))
    assert config["run_monitoring"]["max_runtime_seconds"] > 0
    assert config["run_retries"]["enabled"] is True
