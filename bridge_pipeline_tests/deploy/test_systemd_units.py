"""systemd units for one host: they pass `systemd-analyze verify` and read the documented environment file."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess

import pytest

from bridge_pipeline_tests.deploy.paths import DEPLOY

UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
# The units name executables of the installed virtualenv; this machine has none at those paths.
_EXPECTED_ON_A_BUILD_MACHINE = re.compile(r"is not executable: No such file or directory|Failed to prepare filename")


def _verify(path) -> list[str]:
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(path)], capture_output=True, text=True, timeout=60
    )
    return [line for line in result.stderr.splitlines() if line.strip() and not _EXPECTED_ON_A_BUILD_MACHINE.search(line)]


@pytest.fixture(scope="module")
def analyze():
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    return _verify


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_unit_passes_systemd_analyze_verify(analyze, path):
    assert analyze(path) == []


def test_systemd_analyze_reports_an_unknown_directive(analyze, tmp_path):
    broken = tmp_path / "broken.service"
    broken.write_text("[Unit]\nDescription=x\n\n[Service]\nExecStart=/bin/true\nRestartt=always\n")
    assert any("Restartt" in line for line in analyze(broken))


def _unit(path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path)
    return parser


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_unit_runs_as_the_service_user_with_the_shared_environment_file(path):
    service = _unit(path)["Service"]
    assert service["User"] == "bridge"
    assert service["EnvironmentFile"] == "/etc/bridge-pipeline/bridge-pipeline.env"
    assert service["ProtectSystem"] == "strict"


def test_environment_example_names_every_variable_the_instance_file_reads():
    needed = set(re.findall(r"\{env: (\w+)\}", (DEPLOY / "dagster.prod.yaml").read_text()))
    example = (DEPLOY / "systemd" / "bridge-pipeline.env.example").read_text()
    present = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line and not line.startswith("#")}
    assert needed <= present


def test_environment_example_gives_the_metrics_exporter_both_databases():
    """The exporter reads the project tables and Dagster's event log (through the instance in DAGSTER_HOME)."""
    example = (DEPLOY / "systemd" / "bridge-pipeline.env.example").read_text()
    present = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line and not line.startswith("#")}
    assert {"DAGSTER_HOME", "BRIDGE_DATABASE_URL"} <= present
    command = _unit(DEPLOY / "systemd" / "bridge-metrics-exporter.service")["Service"]["ExecStart"]
    assert "-m bridge_pipeline.observability.exporter" in command
