"""The deployment's resources point every Zoom client (the sensor's source, the runs' source and chat poster)
at the project database for the account's token; tools built without it keep a token per process."""

from __future__ import annotations

import dagster
import pytest
import sqlalchemy as sa
from dagster import EnvVar

from bridge_fakes import FakeZoomServer
from bridge_fakes.environment import sources_env
from bridge_pipeline.defs.resources_for_environment import build_resources, zoom_source_resource
from bridge_pipeline.notifications.environment import ZOOM_ORGANIZERS, ZOOM_SENDER
from bridge_pipeline.settings import load_settings
from bridge_pipeline.storage.engine import create_store_engine
from bridge_pipeline.storage.tables import api_access_tokens

SENDER = "tokenWiringSender"


@pytest.fixture
def zoom():
    with FakeZoomServer() as fake:
        fake.add_user(SENDER, "notes@sandbox.example")
        yield fake


def deployment_env(zoom: FakeZoomServer, tmp_path, monkeypatch) -> dict[str, str]:
    env = {**sources_env(None, zoom), "BRIDGE_DATA_DIR": str(tmp_path / "data"), ZOOM_ORGANIZERS: "*", ZOOM_SENDER: SENDER}
    for name, value in env.items():
        monkeypatch.setenv(name, value)  # EnvVar fields resolve from the process environment
    return env


def test_sensor_source_and_chat_poster_share_the_token_in_the_project_database(zoom, tmp_path, monkeypatch):
    env = deployment_env(zoom, tmp_path, monkeypatch)
    settings = load_settings(env)
    resources = build_resources(env, settings)
    assert resources["zoom"].token_store_url == settings.database_url

    wanted = {key: resources[key] for key in ("zoom", "teams", "notifications")}
    with dagster.build_resources(wanted) as initialized:
        source = initialized.zoom.get_source()
        poster = initialized.notifications.posters(initialized.teams, initialized.zoom)["zoom"]
    try:
        assert source.settings.token_store_url == poster.settings.token_store_url == settings.database_url
        source.client.list_users()
        poster.api.bearer_token()
    finally:
        source.close()
        poster.close()

    assert zoom.tokens_issued == 1
    engine = create_store_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(api_access_tokens.c.source, api_access_tokens.c.serial)).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [("zoom", 1)]


def test_a_database_url_from_the_environment_stays_an_env_var(zoom, tmp_path, monkeypatch):
    env = deployment_env(zoom, tmp_path, monkeypatch)
    env["BRIDGE_DATABASE_URL"] = "postgresql://bridge:SENTINEL-db-password@db.example/bridge"

    field = build_resources(env)["zoom"].token_store_url

    assert isinstance(field, EnvVar) and field.env_var_name == "BRIDGE_DATABASE_URL"
    settings = zoom.source_settings(token_store_url=env["BRIDGE_DATABASE_URL"])
    assert "SENTINEL-db-password" not in repr(settings)


def test_a_source_resource_built_alone_keeps_its_token_in_the_process(zoom, tmp_path, monkeypatch):
    resource = zoom_source_resource(deployment_env(zoom, tmp_path, monkeypatch))

    assert resource.token_store_url == ""
