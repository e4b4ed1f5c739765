"""The README's command line: `dagster asset materialize` on a day, then the export folders are there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bridge_pipeline_tests.line_fixtures import SAMPLE_INBOX

DAY = "2026-05-14"


def test_dagster_cli_materializes_a_day_into_per_meeting_export_folders(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX / DAY, inbox / DAY)
    data = tmp_path / "data"
    home = tmp_path / "dagster_home"
    home.mkdir()
    env = {
        **os.environ,
        "BRIDGE_INBOX_DIR": str(inbox),
        "BRIDGE_DATA_DIR": str(data),
        "DAGSTER_HOME": str(home),
    }
    dagster = Path(sys.executable).with_name("dagster")
    completed = subprocess.run(
        [str(dagster), "asset", "materialize", "-m", "bridge_pipeline.definitions",
         "--select", "*", "--partition", DAY],
        env=env, capture_output=True, text=True, timeout=240,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    transcripts = [p for p in (inbox / DAY).iterdir() if not p.name.endswith(".meta.json")]
    folders = sorted((data / "exports" / DAY).iterdir())
    assert len(folders) == len(transcripts)
    for folder in folders:
        suffixes = {p.suffix for p in folder.iterdir()}
        assert {".docx", ".pdf", ".md", ".json"} <= suffixes, folder.name

    listing = subprocess.run(
        [str(Path(sys.executable).with_name("bridge-pipeline")), "exports", "--from", DAY],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert listing.returncode == 0, listing.stderr
    for folder in folders:
        assert folder.name in listing.stdout
