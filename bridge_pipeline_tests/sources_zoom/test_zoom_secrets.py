import logging
import traceback

import pytest

from bridge_pipeline.http.errors import AuthFailedError
from bridge_pipeline.http.secrets import Secret, basic_auth_value
from bridge_pipeline.sources.zoom import ZoomSource

from bridge_pipeline_tests.http.fast_settings import FAST_HTTP

from .conftest import DAY, HOST

WRONG_SECRET = "zoom-Wrong-secret-0123456789"


def test_client_secret_and_its_basic_encoding_never_reach_logs_or_exceptions(zoom, caplog):
    caplog.set_level(logging.DEBUG)
    settings = zoom.source_settings(http=FAST_HTTP, user_ids=(HOST,), client_secret=Secret(WRONG_SECRET))
    source = ZoomSource(settings)
    with pytest.raises(AuthFailedError, match="Invalid client_id or client_secret") as caught:
        source.recordings_for_day(DAY, "UTC")
    source.close()
    texts = "".join(traceback.format_exception(caught.value)) + repr(caught.value) + caplog.text
    texts += repr(settings) + repr(source) + repr(source.client)
    assert WRONG_SECRET not in texts
    assert basic_auth_value(zoom.client_id, Secret(WRONG_SECRET)) not in texts
    assert len(zoom.requests_to("token")) == 1  # refused credentials are not retried
