"""Secrets from AWS Secrets Manager (moto server on loopback) land in the environment, explicit values win."""

from __future__ import annotations

import json
import uuid

import pytest

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.secret_env import load_secrets_into_environment


@pytest.fixture
def secrets_client(moto_server):
    return moto_server.client("secretsmanager")


def _secret(client, value: str) -> str:
    name = f"bridge/test/{uuid.uuid4().hex[:8]}"
    client.create_secret(Name=name, SecretString=value)
    return name


def test_missing_variables_are_filled_and_set_ones_are_kept(secrets_client):
    secret_id = _secret(secrets_client, json.dumps({"OPENAI_API_KEY": "sk-from-aws", "BRIDGE_DATABASE_URL": "postgresql://x"}))
    env = {"BRIDGE_SECRETS_ID": secret_id, "OPENAI_API_KEY": "sk-from-operator"}
    loaded = load_secrets_into_environment(env, client_factory=lambda: secrets_client)
    assert loaded == ["BRIDGE_DATABASE_URL"]
    assert env["OPENAI_API_KEY"] == "sk-from-operator"
    assert env["BRIDGE_DATABASE_URL"] == "postgresql://x"


def test_nothing_is_read_without_a_secret_id():
    def refuse():
        raise AssertionError("no client should be built")

    assert load_secrets_into_environment({}, client_factory=refuse) == []


def test_an_unknown_secret_names_the_id_and_the_error_code(secrets_client):
    with pytest.raises(ConfigurationError, match=r"'bridge/nope'.*ResourceNotFoundException"):
        load_secrets_into_environment({"BRIDGE_SECRETS_ID": "bridge/nope"}, client_factory=lambda: secrets_client)


@pytest.mark.parametrize(
    "value, problem",
    [("not json at all", "not JSON"), ('["a"]', "JSON object"), ('{"lower_case": "v", "OK_NAME": 3}', "lower_case")],
)
def test_badly_shaped_secrets_are_refused_without_echoing_values(secrets_client, value, problem):
    secret_id = _secret(secrets_client, value)
    with pytest.raises(ConfigurationError, match=problem) as raised:
        load_secrets_into_environment({"BRIDGE_SECRETS_ID": secret_id}, client_factory=lambda: secrets_client)
    assert '"v"' not in str(raised.value) and "not json at all" not in str(raised.value)
