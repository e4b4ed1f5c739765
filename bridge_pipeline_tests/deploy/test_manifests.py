"""Kubernetes manifests in deploy/k8s validate against the bundled Kubernetes schemas (strict: no unknown fields)."""

from __future__ import annotations

import pytest
import yaml

from bridge_pipeline_tests.deploy.paths import DEPLOY

kubernetes_validate = pytest.importorskip("kubernetes_validate")
K8S_VERSION = "1.33.0"
MANIFESTS = sorted((DEPLOY / "k8s").glob("*.yaml"))


def _documents(path):
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_is_valid_kubernetes(path):
    for doc in _documents(path):
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_every_manifest_is_in_the_dagster_namespace_and_labelled():
    for path in MANIFESTS:
        for doc in _documents(path):
            assert doc["metadata"]["namespace"] == "dagster", path.name
            assert doc["metadata"]["labels"]["app.kubernetes.io/part-of"] == "bridge-pipeline", path.name


def test_validation_catches_a_wrong_type_and_an_unknown_field():
    (job,) = _documents(DEPLOY / "k8s" / "pools.job.yaml")
    job["spec"]["backoffLimit"] = "three"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(job, K8S_VERSION, strict=True)
    (job,) = _documents(DEPLOY / "k8s" / "pools.job.yaml")
    job["spec"]["template"]["spec"]["restartPolicyy"] = "Never"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(job, K8S_VERSION, strict=True)


def test_manifests_reference_the_config_map_and_secret_the_helm_values_use():
    values = yaml.safe_load((DEPLOY / "helm" / "values.yaml").read_text())
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    (config_map,) = _documents(DEPLOY / "k8s" / "pipeline-env.configmap.yaml")
    assert deployment["envConfigMaps"] == [{"name": config_map["metadata"]["name"]}]
    exporter = _documents(DEPLOY / "k8s" / "metrics-exporter.yaml")[0]
    env_from = exporter["spec"]["template"]["spec"]["containers"][0]["envFrom"]
    assert {"secretRef": {"name": deployment["envSecrets"][0]["name"]}} in env_from


def test_the_metrics_exporter_reads_the_charts_instance_file_with_its_database_password():
    """The exporter reads Dagster's event log: the instance ConfigMap the chart renders for release `bridge`
    (README), at the chart's DAGSTER_HOME, and the password its instance file takes from DAGSTER_PG_PASSWORD."""
    values = yaml.safe_load((DEPLOY / "helm" / "values.yaml").read_text())
    spec = _documents(DEPLOY / "k8s" / "metrics-exporter.yaml")[0]["spec"]["template"]["spec"]
    (container,) = spec["containers"]
    env = {item["name"]: item for item in container["env"]}
    home = values["global"]["dagsterHome"]
    assert env["DAGSTER_HOME"]["value"] == home
    secret = env["DAGSTER_PG_PASSWORD"]["valueFrom"]["secretKeyRef"]
    assert secret == {"name": values["global"]["postgresqlSecretName"], "key": "postgresql-password"}
    (mount,) = container["volumeMounts"]
    assert (mount["mountPath"], mount["subPath"]) == (f"{home}/dagster.yaml", "dagster.yaml")
    volumes = {volume["name"]: volume for volume in spec["volumes"]}
    assert volumes[mount["name"]]["configMap"]["name"] == "bridge-dagster-instance"
