"""JSON log lines: context fields, no transcript text at INFO, secrets blanked."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bridge_pipeline.observability.json_logs import (
    OMITTED,
    configure_json_logging,
    get_logger,
    log_context,
    log_event,
    secret_values_from_env,
)


@pytest.fixture
def lines():
    stream = io.StringIO()
    handler = configure_json_logging(stream, level=logging.DEBUG, env={"BRIDGE_TEST_API_KEY": "key-0f9e8d7c6b5a"})
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger("bridge_pipeline").removeHandler(handler)


def test_event_carries_run_partition_and_meeting_fields(lines):
    with log_context(run_id="run-1", partition="2026-05-14", stage="raw_recordings"):
        log_event(get_logger("t"), "meeting_ingested", meeting_id="m1", source="zoom")
    (line,) = lines()
    assert line["event"] == "meeting_ingested"
    assert {k: line[k] for k in ("run_id", "partition", "stage", "meeting_id", "source")} == {
        "run_id": "run-1", "partition": "2026-05-14", "stage": "raw_recordings", "meeting_id": "m1", "source": "zoom",
    }
    assert line["level"] == "info" and line["logger"] == "bridge_pipeline.t"


def test_transcript_text_is_omitted_at_info_and_kept_at_debug(lines):
    log_event(get_logger("t"), "parsed", text="We agree to a mutual NDA", utterances=3)
    log_event(get_logger("t"), "parsed", logging.DEBUG, text="We agree to a mutual NDA")
    info, debug = lines()
    assert info["text"] == OMITTED and info["utterances"] == OMITTED
    assert "mutual NDA" not in json.dumps(info)
    assert debug["text"] == "We agree to a mutual NDA"


def test_known_secret_values_are_blanked_even_inside_other_text(lines):
    log_event(get_logger("t"), "token_refused", detail="Authorization: key-0f9e8d7c6b5a was refused")
    logging.getLogger("bridge_pipeline.t").warning("plain logger call with key-0f9e8d7c6b5a")
    text = "\n".join(json.dumps(line) for line in lines())
    assert "key-0f9e8d7c6b5a" not in text
    assert text.count("[redacted]") == 2


def test_context_is_restored_after_the_block(lines):
    with log_context(run_id="run-1"):
        pass
    log_event(get_logger("t"), "outside")
    assert "run_id" not in lines()[0]


def test_secret_values_are_found_by_name_and_inside_database_urls():
    env = {
        "OPENAI_API_KEY": "sk-test-1234567",
        "BRIDGE_DATABASE_URL": "postgresql://app:s3cr3t-pw@db:5432/bridge",
        "DAGSTER_PG_PASSWORD": "pg-pass-987",
        "BRIDGE_TIMEZONE": "Europe/Berlin",
        "EMPTY_TOKEN": "",
    }
    assert sorted(secret_values_from_env(env)) == ["pg-pass-987", "s3cr3t-pw", "sk-test-1234567"]


def test_configuring_twice_does_not_double_the_lines():
    stream = io.StringIO()
    configure_json_logging(stream)
    handler = configure_json_logging(stream)
    try:
        log_event(get_logger("t"), "once")
        assert len(stream.getvalue().splitlines()) == 1
    finally:
        logging.getLogger("bridge_pipeline").removeHandler(handler)
