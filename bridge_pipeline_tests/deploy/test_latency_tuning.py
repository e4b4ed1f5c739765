"""The instance files are tuned for the time from a transcript landing to its exports, as their comments say."""

from __future__ import annotations

import shutil

import pytest
import yaml
from dagster import DagsterInstance
from dagster._core.definitions.run_request import InstigatorType
from dagster._core.instance.config import dagster_instance_config
from dagster._core.scheduler.instigation import TickStatus
from dagster._daemon.sensor import MIN_INTERVAL_LOOP_TIME

from bridge_pipeline.sources.inbox import DEFAULT_POLL_SECONDS
from bridge_pipeline_tests.deploy.paths import DEPLOY, REPO

INSTANCE_FILES = [REPO / "dagster.yaml", DEPLOY / "dagster.prod.yaml", DEPLOY / "dagster.ecs.yaml"]


def _config(tmp_path, path) -> dict:
    shutil.copy(path, tmp_path / "dagster.yaml")
    config, _ = dagster_instance_config(str(tmp_path))
    return config


def _queue(config: dict) -> dict:
    return config["run_queue"] if "run_queue" in config else config["run_coordinator"]["config"]


@pytest.mark.parametrize("path", INSTANCE_FILES, ids=lambda p: p.name if p.parent == REPO else f"deploy/{p.name}")
def test_queue_sensor_threads_and_tick_retention_are_tuned(tmp_path, path):
    config = _config(tmp_path, path)
    assert _queue(config)["dequeue_interval_seconds"] == 1
    assert config["sensors"]["use_threads"] is True and config["sensors"]["num_workers"] >= 3
    assert config["retention"]["sensor"]["purge_after_days"]["skipped"] == 1


def test_the_local_instance_applies_them(tmp_path):
    shutil.copy(REPO / "dagster.yaml", tmp_path / "dagster.yaml")
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        assert instance.run_coordinator.dequeue_interval_seconds == 1
        assert instance.get_settings("sensors")["use_threads"] is True
        assert instance.get_tick_retention_settings(InstigatorType.SENSOR)[TickStatus.SKIPPED] == 1


def test_the_helm_values_match():
    values = yaml.safe_load((DEPLOY / "helm" / "values.yaml").read_text())
    daemon = values["dagsterDaemon"]
    assert daemon["runCoordinator"]["config"]["queuedRunCoordinator"]["dequeueIntervalSeconds"] == 1
    assert daemon["sensors"]["useThreads"] is True
    assert values["retention"]["sensor"]["purgeAfterDays"]["skipped"] == 1


def test_the_inbox_poll_is_not_below_the_daemon_floor_the_comments_name():
    # The files say the sensor loop runs at most every 5 s; a shorter default poll would promise more.
    assert MIN_INTERVAL_LOOP_TIME == 5 == DEFAULT_POLL_SECONDS
    for path in INSTANCE_FILES:
        assert "MIN_INTERVAL_LOOP_TIME" in path.read_text()
