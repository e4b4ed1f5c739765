import datetime as dt
import json
import os
import signal
import subprocess
import sys

import pytest

from bridge_pipeline.apis.graph import GraphSettings
from bridge_pipeline.apis.zoom import ZoomSettings
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.settings import HttpSettings
from bridge_pipeline.sources.teams import GraphSource
from bridge_pipeline.sources.zoom import ZoomSource

DAY = dt.date(2026, 5, 14)


@pytest.fixture
def sandbox():
    process = subprocess.Popen(
        [sys.executable, "-m", "bridge_fakes", "--json", "--day", DAY.isoformat()],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield json.loads(process.stdout.readline())
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def test_sandbox_entry_serves_both_fakes_with_seeded_meetings(sandbox):
    teams, zoom = sandbox["teams"], sandbox["zoom"]
    assert teams["base_url"].startswith("http://127.0.0.1:") and zoom["base_url"].startswith("http://127.0.0.1:")
    sandbox_http = HttpSettings(mode="sandbox")

    graph_source = GraphSource(
        GraphSettings(
            tenant_id=teams["tenant_id"],
            client_id=teams["client_id"],
            client_secret=Secret(teams["client_secret"]),
            organizer_ids=tuple(teams["organizer_ids"]),
            graph_base_url=teams["graph_base_url"],
            login_base_url=teams["login_base_url"],
            http=sandbox_http,
        )
    )
    teams_scan = graph_source.recordings_for_day(DAY, "UTC")
    graph_source.close()
    assert len(teams_scan.recordings) == 1 and len(teams_scan.not_ready) == 1 and len(teams_scan.untranscribed) == 1

    zoom_source = ZoomSource(
        ZoomSettings(
            account_id=zoom["account_id"],
            client_id=zoom["client_id"],
            client_secret=Secret(zoom["client_secret"]),
            api_base_url=zoom["api_base_url"],
            oauth_base_url=zoom["oauth_base_url"],
            http=sandbox_http,
        )
    )
    zoom_scan = zoom_source.recordings_for_day(DAY, "UTC")
    zoom_source.close()
    assert len(zoom_scan.recordings) == 3 and len(zoom_scan.untranscribed) == 1 and len(zoom_scan.chats) == 3
    assert all(recording.participants for recording in zoom_scan.recordings)
