"""The desk in a real browser, on a day Dagster materialized, through the re-draft the review sensor requests.

Chromium (Debian's /usr/bin/chromium) drives the pages as counsel would: the desk, the draft, filling an open
point, approving. Then the review sensor is evaluated as the daemon would and the run it requests is executed
in process; the new exports must carry the filled value and the approval, and the desk must show it approved.
Screenshots go to BRIDGE_SCREENSHOT_DIR when set.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

from dagster import DagsterInstance, build_sensor_context  # noqa: E402
import uvicorn  # noqa: E402

from bridge_pipeline.definitions import build_definitions  # noqa: E402
from bridge_pipeline.storage.backends import blob_store_for  # noqa: E402
from bridge_pipeline.review_desk.server import build_app  # noqa: E402
from bridge_pipeline.settings import load_settings  # noqa: E402
from bridge_pipeline.storage.store import PipelineStore  # noqa: E402
from bridge_pipeline_tests.review_desk.desk_fixtures import CALL_ID, DAY_1, DRAFT_ID, write_nda_call  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REVIEWER = "counsel@acme.example"
FILLED_VALUE = "2 years"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium")


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("BRIDGE_SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    inbox = tmp_path / "inbox"
    write_nda_call(inbox)
    return {
        "BRIDGE_INBOX_DIR": str(inbox),
        "BRIDGE_DATA_DIR": str(tmp_path / "data"),
        "BRIDGE_REVIEWERS": REVIEWER,
        "BRIDGE_REVIEW_SECRET": "browser-test-secret",
    }


@pytest.fixture
def desk_url(env: dict[str, str]) -> Iterator[str]:
    """The desk as the command builds it, served by uvicorn on a free loopback port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(build_app(env, host="127.0.0.1"), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the desk did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


def test_counsel_fills_an_open_point_approves_and_the_redrafted_export_says_so(env, desk_url, screenshots):
    defs = build_definitions(env)
    job = defs.resolve_job_def("meeting_line_job")
    with DagsterInstance.ephemeral() as instance:
        job.execute_in_process(partition_key=DAY_1.isoformat(), instance=instance)
        sensor = defs.resolve_sensor_def("review_sensor")
        sensor_resources = {"store": defs.resources["store"]}  # the code location's store, as the daemon binds it
        idle = sensor(build_sensor_context(instance=instance, resources=sensor_resources))
        assert idle.run_requests == []

        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            # The signing-in proxy's header, on every request the browser makes.
            context = browser.new_context(
                viewport={"width": 1400, "height": 900}, extra_http_headers={"X-Forwarded-User": REVIEWER}
            )
            page = context.new_page()
            expect = playwright_api.expect

            page.goto(f"{desk_url}/")
            rows = page.locator("table.drafts tbody tr")
            expect(rows).to_have_count(1)
            expect(rows.first.locator(".badge.status-draft")).to_have_text("Not reviewed")
            page.screenshot(path=screenshots / "1-desk.png", full_page=True)

            rows.first.locator("a.draft-link").click()
            page.wait_for_url(f"**/drafts/{DRAFT_ID}/v/1")
            term = page.locator("#field-term")
            expect(term.locator(".badge.tbd")).to_be_visible()
            quote = page.locator("#field-purpose blockquote").first
            expect(quote).to_have_text("The purpose is evaluating the routing pilot.")
            page.screenshot(path=screenshots / "2-draft.png", full_page=True)

            term.locator("input[name=value]").fill(FILLED_VALUE)
            term.locator("input[name=note]").fill("agreed by e-mail after the call")
            term.get_by_role("button", name="Fill in").click()
            page.wait_for_url("**done=filled**")
            expect(page.locator(".notice")).to_contain_text("Agreement term filled in.")
            expect(page.locator("#field-term .value")).to_have_text(FILLED_VALUE)
            expect(page.locator("#field-term .tag-pending")).to_be_visible()
            page.screenshot(path=screenshots / "3-filled.png")

            page.get_by_role("button", name="Approve version 1").click()
            page.wait_for_url("**done=approved**")
            expect(page.locator("#review .badge.status-approved").first).to_be_visible()
            expect(page.get_by_role("button", name="Approve version 1")).to_have_count(0)
            page.screenshot(path=screenshots / "4-approved.png")

            # What the daemon does next: the sensor sees the two actions and requests the day's re-draft. It
            # runs on a thread of its own, as the daemon runs apart from the desk, away from the browser's loop.
            def redraft() -> list[str]:
                result = sensor(build_sensor_context(instance=instance, resources=sensor_resources, cursor=idle.cursor))
                for request in result.run_requests:
                    run = job.execute_in_process(
                        partition_key=request.partition_key,
                        instance=instance,
                        asset_selection=list(request.asset_selection or []),
                        tags=request.tags,
                    )
                    assert run.success
                return [r.partition_key for r in result.run_requests]

            with ThreadPoolExecutor(max_workers=1) as daemon:
                assert daemon.submit(redraft).result(timeout=120) == [DAY_1.isoformat()]

            page.goto(f"{desk_url}/")
            row = page.locator("table.drafts tbody tr").first
            expect(row.locator(".badge.status-approved")).to_have_text("Approved")
            expect(row.locator(".tag-pending")).to_have_count(0)
            markdown_link = row.locator("a.file-link", has_text="MD")
            served_markdown = context.request.get(f"{desk_url}{markdown_link.get_attribute('href')}").text()
            page.screenshot(path=screenshots / "5-desk-after-redraft.png", full_page=True)
            browser.close()

    settings = load_settings(env)
    store = PipelineStore(settings.database_url)
    approval = next(a for a in store.reviews.latest() if a.action == "approve")
    exported, _ = store.load_exports(DAY_1)
    files = {f.format: blob_store_for(settings).get(f.blob_key) for f in exported if f.document_id == DRAFT_ID}
    markdown = files["md"].decode("utf-8")
    bundle = json.loads(files["json"])
    store.dispose()

    assert served_markdown == markdown
    term_field = next(f for f in bundle["fields"] if f["name"] == "term")
    assert term_field["value"] == FILLED_VALUE and term_field["review"]["reviewer"] == REVIEWER
    assert FILLED_VALUE in markdown
    approved_line = f"Approved by {REVIEWER} on {approval.recorded_at.date().isoformat()}"
    assert approved_line in markdown, (
        f"the re-drafted Markdown export of {CALL_ID} does not say {approved_line!r}; "
        "the approval line is rendered by bridge_pipeline/rendering (document.review_line)"
    )
    assert bundle["review"]["status"] == "approved" and bundle["review"]["reviewer"] == REVIEWER
