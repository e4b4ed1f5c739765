import datetime as dt
import logging
import traceback

import pytest

from bridge_pipeline.apis.graph import GraphClient
from bridge_pipeline.http.errors import AuthFailedError
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.sources.teams import GraphSource

from bridge_pipeline_tests.http.fast_settings import FAST_HTTP

from .conftest import DAY, ORGANIZER_A

WRONG_SECRET = "wrong-Secret~value/with+symbols"


def every_text_of(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc.__dict__)


def test_client_secret_never_reaches_logs_or_exceptions_on_auth_failure(graph, caplog):
    graph.echo_credentials_in_errors = True  # a server that repeats the secret back must not make us leak it
    settings = graph.source_settings(http=FAST_HTTP, client_secret=Secret(WRONG_SECRET))
    caplog.set_level(logging.DEBUG)
    source = GraphSource(settings)
    with pytest.raises(AuthFailedError) as caught:
        source.recordings_for_day(DAY, "UTC")
    source.close()

    assert "AADSTS7000215" in str(caught.value)  # the server's reason is kept...
    texts = every_text_of(caught.value) + caplog.text + repr(settings) + repr(source) + repr(source.client)
    assert WRONG_SECRET not in texts  # ...its copy of the secret is not
    assert "wrong-Secret~value%2Fwith%2Bsymbols" not in texts
    assert "[redacted]" in str(caught.value)


def test_access_tokens_do_not_appear_in_retry_logs(graph, caplog):
    caplog.set_level(logging.DEBUG)
    with GraphClient(graph.source_settings(http=FAST_HTTP)) as client:
        client.list_transcripts(ORGANIZER_A, dt.datetime(2026, 5, 14, tzinfo=dt.timezone.utc))
        graph.fail("transcripts", 503, headers={"Retry-After": "0"})
        client.list_transcripts(ORGANIZER_A, dt.datetime(2026, 5, 14, tzinfo=dt.timezone.utc))
        token = client.api.token_cache.get(lambda: pytest.fail("token should be cached")).value.reveal()
    assert "retry 1" in caplog.text
    assert token not in caplog.text
