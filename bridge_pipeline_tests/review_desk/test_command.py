"""`bridge-pipeline review-desk`: loopback by default, other addresses only in header mode; no Dagster inside."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bridge_pipeline import cli
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.review_desk import server
from bridge_pipeline.review_desk.config import desk_settings


def test_the_command_defaults_to_loopback(monkeypatch):
    calls = []
    monkeypatch.setattr(server, "serve", lambda host, port: calls.append((host, port)) or 0)
    assert cli.main(["review-desk"]) == 0
    assert cli.main(["review-desk", "--host", "0.0.0.0", "--port", "9000"]) == 0
    assert calls == [("127.0.0.1", 8765), ("0.0.0.0", 9000)]


def test_a_non_loopback_address_needs_header_mode():
    with pytest.raises(ConfigurationError, match="refusing to serve the review desk on 0.0.0.0"):
        server.check_binding(desk_settings({"BRIDGE_REVIEW_LOCAL_USER": "dev@localhost"}, bind_host="0.0.0.0"))
    warnings = server.check_binding(desk_settings({"BRIDGE_REVIEWERS": "a@x.example"}, bind_host="0.0.0.0"))
    assert any("BRIDGE_REVIEW_SECRET" in w for w in warnings)


def test_a_desk_nobody_could_sign_in_to_is_refused():
    with pytest.raises(ConfigurationError, match="nobody could sign in"):
        server.check_binding(desk_settings({}, bind_host="127.0.0.1"))
    assert server.check_binding(desk_settings({"BRIDGE_REVIEW_LOCAL_USER": "dev", "BRIDGE_REVIEW_SECRET": "s"})) == []


def test_serve_exits_2_with_the_reason_and_starts_nothing(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("BRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BRIDGE_REVIEWERS", raising=False)
    monkeypatch.delenv("BRIDGE_SECRETS_ID", raising=False)
    assert server.serve("0.0.0.0", 8765) == 2
    assert "refusing to serve" in capsys.readouterr().err


def test_the_desk_imports_no_dagster():
    code = (
        "import sys, bridge_pipeline.review_desk.server, bridge_pipeline.review_desk.app;"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0].startswith('dagster')}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
