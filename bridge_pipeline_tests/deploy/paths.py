"""Where the deploy files and the shared Helm schema are, relative to the repository."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
HELM_SCHEMA = REPO.parent / "shared" / "deploy" / "dagster-helm-values.schema.json"
