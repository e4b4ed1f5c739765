"""The compose file and the Dockerfile agree with each other and with the instance file."""

from __future__ import annotations

import ast
import re

import yaml

from bridge_pipeline_tests.deploy.paths import DEPLOY, REPO, product_sources

COMPOSE = DEPLOY / "docker-compose.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _dockerfile_targets() -> dict[str, list[str]]:
    """Instructions per build stage, keyed by stage name."""
    stages: dict[str, list[str]] = {}
    current = None
    for line in re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text()).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"FROM\s+\S+\s+AS\s+(\S+)", line, re.IGNORECASE)
        if match:
            current = match.group(1)
            stages[current] = []
        elif current:
            stages[current].append(line)
    return stages


def test_compose_runs_postgres_the_code_location_webserver_and_daemon():
    services = _compose()["services"]
    assert {"postgres", "code-location", "webserver", "daemon"} <= set(services)


def test_compose_build_targets_exist_in_the_dockerfile():
    targets = _dockerfile_targets()
    for name, service in _compose()["services"].items():
        if "build" in service:
            assert service["build"]["target"] in targets, name
            assert service["build"]["dockerfile"] == "deploy/Dockerfile"


def test_compose_dependencies_name_existing_services():
    services = _compose()["services"]
    for name, service in services.items():
        assert set(service.get("depends_on", {})) <= set(services), name


def test_every_required_compose_variable_is_in_the_example_env_file():
    required = set(re.findall(r"\$\{(\w+):\?", COMPOSE.read_text()))
    example = {line.split("=", 1)[0] for line in (DEPLOY / "compose" / "compose.env.example").read_text().splitlines()
               if line and not line.startswith("#")}
    assert required and required <= example


def test_pipeline_services_get_every_variable_the_instance_file_reads():
    needed = set(re.findall(r"\{env: (\w+)\}", (DEPLOY / "dagster.prod.yaml").read_text()))
    for name in ("code-location", "webserver", "daemon"):
        assert needed <= set(_compose()["services"][name]["environment"]), name


def test_image_has_the_three_dagster_targets_running_as_a_non_root_user():
    targets = _dockerfile_targets()
    commands = {name: " ".join(lines) for name, lines in targets.items()}
    assert "dagster code-server" in commands["code-location"].replace('", "', " ")
    assert "dagster-webserver" in commands["webserver"]
    assert "dagster-daemon" in commands["daemon"]
    assert any(line.startswith("USER ") and "root" not in line for line in targets["base"])


def test_image_base_is_pinned_and_copies_only_existing_paths():
    text = DOCKERFILE.read_text()
    base = re.search(r"^FROM\s+(\S+)\s+AS base", text, re.MULTILINE).group(1)
    assert ":" in base and not base.endswith(":latest")
    for sources in re.findall(r"^COPY\s+(.+)\s+\S+$", text, re.MULTILINE):
        for source in sources.split():
            assert (REPO / source).exists(), source


def test_image_leaves_the_loopback_fakes_out():
    copied = [s for sources in re.findall(r"^COPY\s+(.+)\s+\S+$", DOCKERFILE.read_text(), re.MULTILINE)
              for s in sources.split()]
    assert not any(source.startswith("bridge_fakes") or source.rstrip("/") in (".", "") for source in copied)


def test_the_product_never_imports_its_fakes():
    """The image has no bridge_fakes, so an import of it from bridge_pipeline would fail only in production."""
    offenders = []
    for path in product_sources():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = [node.value]  # importlib.import_module("bridge_fakes...") and the like
            else:
                continue
            if any(name == "bridge_fakes" or name.startswith("bridge_fakes.") for name in names):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not offenders, offenders


def test_the_metrics_exporter_gets_the_project_database_and_the_dagster_instance():
    """It reads the event log through the instance file, so it needs what the daemon needs to open it."""
    needed = set(re.findall(r"\{env: (\w+)\}", (DEPLOY / "dagster.prod.yaml").read_text()))
    environment = _compose()["services"]["metrics-exporter"]["environment"]
    assert needed | {"BRIDGE_DATABASE_URL"} <= set(environment)
    home = re.search(r"DAGSTER_HOME=(\S+)", DOCKERFILE.read_text()).group(1)
    assert environment["DAGSTER_HOME"] == home
    assert "dagster.prod.yaml ${DAGSTER_HOME}/dagster.yaml" in DOCKERFILE.read_text()
