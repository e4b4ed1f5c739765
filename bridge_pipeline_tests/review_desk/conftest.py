"""The desk over a copy of a store the real line filled, reached in process through Starlette's TestClient."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bridge_pipeline.review_desk import create_app
from bridge_pipeline.review_desk.config import DeskSettings
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline_tests.review_desk.desk_fixtures import DeskLine, build_line

REVIEWER = "counsel@acme.example"
OTHER_REVIEWER = "dana@acme.example"
HEADER = "X-Forwarded-User"
SECRET = "test-secret-not-for-production"


@pytest.fixture(scope="session")
def built_line(tmp_path_factory: pytest.TempPathFactory) -> DeskLine:
    return build_line(tmp_path_factory.mktemp("desk") / "line")


@pytest.fixture
def line(built_line: DeskLine, tmp_path: Path) -> DeskLine:
    """A copy for one test, so actions of one test never show in another."""
    return built_line.copy(tmp_path / "line")


@pytest.fixture
def store(line: DeskLine) -> Iterator[PipelineStore]:
    store = line.store()
    yield store
    store.dispose()


@pytest.fixture
def settings() -> DeskSettings:
    # Configured with other capitals than the header sends: the allow-list is case-insensitive.
    return DeskSettings(reviewers=("Counsel@Acme.example", OTHER_REVIEWER), secret=SECRET)


@pytest.fixture
def make_client(line: DeskLine, store: PipelineStore) -> Callable[..., TestClient]:
    def make(settings: DeskSettings, *, reviewer: str | None = None, client=("127.0.0.1", 50000)) -> TestClient:
        app = create_app(store, line.blobs(), settings)
        headers = {HEADER: reviewer} if reviewer else {}
        return TestClient(app, headers=headers, client=client, follow_redirects=False)

    return make


@pytest.fixture
def client(make_client, settings: DeskSettings) -> TestClient:
    """Signed in as REVIEWER through the proxy's header."""
    return make_client(settings, reviewer=REVIEWER)
