"""Where the deploy files, the shared Helm schema and the package's sources are, relative to the repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
HELM_SCHEMA = REPO.parent / "shared" / "deploy" / "dagster-helm-values.schema.json"


def product_sources() -> list[Path]:
    """The package's tracked source files (what the image copies); every .py file when git is not at hand."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--", "bridge_pipeline/*.py"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return sorted((REPO / "bridge_pipeline").rglob("*.py"))
    return [REPO / name for name in listed if (REPO / name).is_file()]
