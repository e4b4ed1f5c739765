"""Sentinel secrets through the whole production line; none may surface anywhere the run leaves text behind.

The code location is built as in production (`bridge_pipeline.definitions.build_definitions` after the
secrets were loaded from Secrets Manager) and `meeting_line_job` runs on `deploy/dagster.prod.yaml`:
Dagster's runs, events and snapshots on a real PostgreSQL (pgserver), step logs and blobs on an S3
emulator (moto on 127.0.0.1), the project tables on PostgreSQL. The sources read the Graph and Zoom
fakes, decisions come from the OpenAI fake (BRIDGE_EXTRACTOR=openai, speech-to-text on too), summaries
are posted to the Teams and Zoom chat fakes. Two more runs fail on purpose with servers that echo the
presented credential back (the Graph token endpoint, OpenAI's 401), so exception messages are checked too.

Then every place is grepped for every secret: captured stdout/stderr, Python log records at DEBUG, the
JSON log stream, every table of both databases (run records, event log and compressed snapshots
included), every object of both buckets (exports, raw blobs, the answer cache, compute logs), every file
the run wrote locally, the posted chat messages, and the events and error chains of each run.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import logging
import os
import shutil
import time
import traceback
import uuid

import pytest
import sqlalchemy as sa
from dagster import DagsterEventType, DagsterInstance

from bridge_fakes import FakeGraphServer, FakeZoomServer
from bridge_fakes.environment import notifications_env, sources_env
from bridge_fakes.openai_fake import FakeOpenAIServer
from bridge_fakes.seed import seed_demo
from bridge_fakes.transcripts import DIALOGUES, zoom_vtt
from bridge_fakes.zoom_fake import FakeZoomMeeting
from bridge_pipeline.defs.pools.apply import apply_pool_limits
from bridge_pipeline.definitions import build_definitions
from bridge_pipeline.observability.json_logs import configure_json_logging
from bridge_pipeline.secret_env import load_secrets_into_environment
from bridge_pipeline.sources.environment import GRAPH_VARIABLES, ZOOM_VARIABLES
from bridge_pipeline_tests.line_fixtures import REPO
from bridge_pipeline_tests.ops.s3_server import ACCESS_KEY_ID, MotoServer
from bridge_pipeline_tests.postgres_server import PostgresTestServer
from bridge_pipeline_tests.security.leaks import dump_bucket, dump_database, dump_folder, joined, leaks

pytestmark = pytest.mark.postgres

DAY = dt.date(2026, 5, 14)
UTC = dt.timezone.utc
# Distinct, greppable values; none is a real credential. Each ends in a random part so no fixture text matches by chance.
RUN = uuid.uuid4().hex[:10]
SENTINELS = {
    "graph client secret": f"SENTINEL-graph-client-secret-{RUN}",
    "zoom client secret": f"SENTINEL-zoom-client-secret-{RUN}",
    "openai api key": f"sk-SENTINEL-openai-key-{RUN}",
    "project db password": f"SENTINEL-project-db-pw-{RUN}",
    "dagster db password": f"SENTINEL-dagster-db-pw-{RUN}",
    "aws secret access key": f"SENTINEL-aws-secret-key-{RUN}",
}


def _step_failures(instance: DagsterInstance, run_id: str) -> list[str]:
    failures = []
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is not None and event.event_type == DagsterEventType.STEP_FAILURE:
            failures.append(f"{event.step_key}: {event.event_specific_data.error.message.strip()}")
    return failures


def test_no_sentinel_secret_reaches_logs_events_metadata_exports_databases_or_errors(
    postgres_server: PostgresTestServer, moto_server: MotoServer, tmp_path, capfd, caplog
):
    started = time.perf_counter()
    monkeypatch = pytest.MonkeyPatch()
    project_db, dagster_db = postgres_server.create_database(), postgres_server.create_database()
    socket_dir = postgres_server.base_url.query["host"]
    # pgserver trusts local connections, so the passwords are never checked; they are carried everywhere a real one is.
    project_url = sa.make_url(postgres_server.url(project_db)).set(password=SENTINELS["project db password"])
    s3 = moto_server.client("s3")
    bucket, log_bucket = f"bridge-data-{RUN}", f"bridge-logs-{RUN}"
    for name in (bucket, log_bucket):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    json_logs = io.StringIO()
    handler = None
    try:
        with (
            FakeGraphServer(client_secret=SENTINELS["graph client secret"]) as graph,
            FakeZoomServer(client_secret=SENTINELS["zoom client secret"]) as zoom,
            FakeOpenAIServer(api_key=SENTINELS["openai api key"]) as openai,
        ):
            seed_demo(graph, zoom, [DAY])
            notify = notifications_env(graph, zoom)
            refresh_token = notify.pop("BRIDGE_GRAPH_CHAT_REFRESH_TOKEN")
            # The secrets come from Secrets Manager, as in production; the environment names only the secret.
            secret_values = {
                "BRIDGE_DATABASE_URL": project_url.render_as_string(hide_password=False),
                "OPENAI_API_KEY": SENTINELS["openai api key"],
                GRAPH_VARIABLES.client_secret: SENTINELS["graph client secret"],
                ZOOM_VARIABLES.client_secret: SENTINELS["zoom client secret"],
                "BRIDGE_GRAPH_CHAT_REFRESH_TOKEN": refresh_token,
            }
            secret_id = f"bridge/security/{RUN}"
            moto_server.client("secretsmanager").create_secret(Name=secret_id, SecretString=json.dumps(secret_values))
            # Every log record from here on, at DEBUG and from every library (the test's own set-up above is not the line's).
            caplog.set_level(logging.DEBUG)

            home = tmp_path / "dagster_home"
            home.mkdir()
            shutil.copy(REPO / "deploy" / "dagster.prod.yaml", home / "dagster.yaml")
            (tmp_path / "inbox").mkdir()
            env = {
                **moto_server.env(),
                "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY": SENTINELS["aws secret access key"],  # the emulator does not check signatures
                **sources_env(graph, zoom),
                **notify,
                **{name: "" for name in secret_values},  # set empty so the secret loader fills them
                "BRIDGE_SECRETS_ID": secret_id,
                "DAGSTER_HOME": str(home),
                "DAGSTER_PG_USERNAME": "postgres",
                "DAGSTER_PG_PASSWORD": SENTINELS["dagster db password"],
                "DAGSTER_PG_HOST": "",
                "PGHOST": socket_dir,
                "DAGSTER_PG_DB": dagster_db,
                "DAGSTER_PG_PORT": "5432",
                "DAGSTER_COMPUTE_LOG_BUCKET": log_bucket,
                "BRIDGE_BLOB_STORE": "s3",
                "BRIDGE_S3_BUCKET": bucket,
                "BRIDGE_S3_PREFIX": "prod",
                "BRIDGE_INBOX_DIR": str(tmp_path / "inbox"),
                "BRIDGE_DATA_DIR": str(tmp_path / "data"),
                "BRIDGE_EXTRACTOR": "openai",
                "BRIDGE_OPENAI_BASE_URL": openai.api_base_url,
                "BRIDGE_SPEECH_TO_TEXT": "openai",
            }
            for name, value in env.items():
                monkeypatch.setenv(name, value)
            assert sorted(load_secrets_into_environment()) == sorted(secret_values)
            handler = configure_json_logging(json_logs, level=logging.DEBUG)
            job = build_definitions(dict(os.environ)).get_job_def("meeting_line_job")

            with DagsterInstance.get() as instance:
                apply_pool_limits(instance)
                runs = [job.execute_in_process(partition_key=DAY.isoformat(), instance=instance)]
                assert runs[0].success
                posted = runs[0].asset_materializations_for_node("meeting_notifications")[0].metadata["posted"].value
                raw = runs[0].asset_materializations_for_node("raw_recordings")[0].metadata
                # The line really went through every service, so a clean grep means something.
                assert openai.calls() > 0 and openai.audio_uploads, "the language model and speech-to-text were not used"
                # Speech-to-text makes meetings of the recordings that came without a transcript too.
                assert raw["meetings_teams"].value >= 2 and raw["meetings_zoom"].value == 4
                assert graph.chats.chats and any(c.messages for c in graph.chats.chats.values()), "nothing posted to Teams"
                assert zoom.team_chat.messages, "nothing posted to Zoom"
                assert posted > 0

                # A language model that refuses the key and echoes it back in its 401 (a new meeting, so no cached answer).
                fresh = DIALOGUES[len(DIALOGUES) - 1]
                zoom.add_meeting(FakeZoomMeeting("KDcuGIm1QgePTO8WbOqwIQ", fresh.title, dt.datetime(2026, 5, 14, 16, tzinfo=UTC),
                                                 zoom_vtt(fresh), key=f"security/{RUN}/fresh"))
                openai.api_key = f"rotated-{RUN}"
                runs.append(job.execute_in_process(partition_key=DAY.isoformat(), instance=instance, raise_on_error=False))
                openai.api_key = SENTINELS["openai api key"]
                # The Graph token endpoint refusing the client secret and echoing it in its error (a careless server).
                graph.echo_credentials_in_errors = True
                graph.client_secret = f"rotated-{RUN}"
                graph.expire_tokens()
                runs.append(job.execute_in_process(partition_key=DAY.isoformat(), instance=instance, raise_on_error=False))

                assert any(r.status == 401 for r in openai.requests_to("chat.completions"))
                assert any(r.status == 401 for r in graph.requests_to("token"))
                failures = [f for r in runs for f in _step_failures(instance, r.run_id)]
                texts: dict[str, str] = {}
                for result in runs:
                    run = instance.get_run_by_id(result.run_id)
                    texts[f"run {result.run_id} record"] = joined([run.run_config, run.tags, run])
                    texts[f"run {result.run_id} events"] = joined(
                        f"{e.user_message}\n{e.dagster_event!r}" for e in instance.all_logs(result.run_id)
                    )
                    texts[f"run {result.run_id} result"] = joined(repr(e) for e in result.all_events)
                    for event in result.all_events:
                        error = getattr(event.event_specific_data, "error", None)
                        if error is not None:
                            texts[f"run {result.run_id} error {event.step_key}"] = joined([error.to_string(), error])

            texts |= dump_database(postgres_server.url(dagster_db), "dagster db")
            texts |= dump_database(project_url.render_as_string(hide_password=False), "project db")
            texts |= dump_bucket(s3, bucket)
            texts |= dump_bucket(s3, log_bucket)
            texts |= dump_folder(tmp_path)
            texts["teams chat messages"] = joined(m.content for chat in graph.chats.chats.values() for m in chat.messages)
            texts["zoom chat messages"] = joined(m.message for m in zoom.team_chat.messages)
            texts["json logs"] = json_logs.getvalue()
            texts["python log records"] = joined(
                f"{r.getMessage()}\n{traceback.format_exception(*r.exc_info) if r.exc_info else ''}" for r in caplog.records
            )
            captured = capfd.readouterr()
            texts["captured stdout"], texts["captured stderr"] = captured.out, captured.err

            secrets = dict(SENTINELS)
            secrets["zoom basic auth"] = base64.b64encode(f"{zoom.client_id}:{SENTINELS['zoom client secret']}".encode()).decode()
            secrets["secrets manager payload"] = json.dumps(secret_values)
            secrets |= {f"graph refresh token {n}": t for n, t in enumerate(graph.refresh_tokens_issued)}
            secrets |= {f"graph access token {n}": t for n, t in enumerate(graph.access_tokens_issued())}
            secrets |= {f"zoom access token {n}": t for n, t in enumerate(zoom.access_tokens_issued())}
            assert len(graph.refresh_tokens_issued) >= 2  # the posting account's token was redeemed and rotated

            seconds = time.perf_counter() - started
            print(f"\n{len(runs)} runs, {len(texts)} places grepped for {len(secrets)} secrets in {seconds:.1f} s")
            found = leaks(secrets, texts)
            assert found == {}, f"secrets leaked: { {name: places[:5] for name, places in found.items()} }"
            # The echoed credentials did reach the pipeline's messages, blanked: the checks above saw the error paths.
            assert "Incorrect API key provided: [redacted]" in texts["project db public.ingest_problems"]
            assert failures and all(f.startswith("raw_recordings") for f in failures)
            (graph_error,) = [t for where, t in texts.items() if where.endswith("error raw_recordings")]
            assert "Received client_secret=[redacted]" in graph_error
    finally:
        if handler is not None:
            logging.getLogger("bridge_pipeline").removeHandler(handler)
        monkeypatch.undo()
        postgres_server.drop_database(project_db)
        postgres_server.drop_database(dagster_db)
