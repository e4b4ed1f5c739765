"""Reading the Secrets Manager secret leaves no value in the logs, even with every logger at DEBUG."""

from __future__ import annotations

import json
import logging
import uuid

from bridge_pipeline.secret_env import load_secrets_into_environment


def test_secret_payload_is_not_logged_by_botocore_at_debug(moto_server, caplog):
    client = moto_server.client("secretsmanager")
    values = {"OPENAI_API_KEY": f"sk-SENTINEL-{uuid.uuid4().hex}",
              "BRIDGE_DATABASE_URL": f"postgresql://a:pw-{uuid.uuid4().hex}@db/x"}
    secret_id = f"bridge/security/{uuid.uuid4().hex[:8]}"
    client.create_secret(Name=secret_id, SecretString=json.dumps(values))
    caplog.set_level(logging.DEBUG)
    env = {"BRIDGE_SECRETS_ID": secret_id}

    loaded = load_secrets_into_environment(env, client_factory=lambda: client)

    assert sorted(loaded) == sorted(values) and env["OPENAI_API_KEY"] == values["OPENAI_API_KEY"]
    # botocore did log the call (so the check below looked at real records), only not its body.
    assert any(r.name.startswith("botocore") and "GetSecretValue" in r.getMessage() for r in caplog.records)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert all(value not in logged for value in values.values())
    # Only the read itself is quiet: botocore's DEBUG records flow again afterwards.
    client.list_secrets()
    assert any(r.name == "botocore.parsers" and "Response body" in r.getMessage() for r in caplog.records)
