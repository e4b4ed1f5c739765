"""Every YAML file under deploy/ and the instance files pass yamllint with deploy/.yamllint.yaml."""

from __future__ import annotations

import pytest

from bridge_pipeline_tests.deploy.paths import DEPLOY, REPO

yamllint = pytest.importorskip("yamllint")
from yamllint import linter  # noqa: E402
from yamllint.config import YamlLintConfig  # noqa: E402

FILES = sorted([*DEPLOY.rglob("*.yaml"), REPO / "dagster.yaml", REPO / "workspace.yaml"])


@pytest.fixture(scope="module")
def config() -> YamlLintConfig:
    return YamlLintConfig(file=str(DEPLOY / ".yamllint.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_yaml_file_is_clean(path, config):
    problems = [f"{p.line}:{p.column} {p.rule}: {p.desc}" for p in linter.run(path.read_text(), config, str(path))]
    assert problems == []


def test_yamllint_reports_a_duplicated_key(config):
    problems = list(linter.run("a: 1\na: 2\n", config))
    assert [p.rule for p in problems] == ["key-duplicates"]
