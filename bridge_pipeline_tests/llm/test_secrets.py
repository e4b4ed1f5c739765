"""The API key never appears in logs, exception messages or reprs, even when the server echoes it back."""

from __future__ import annotations

import logging

import pytest

from bridge_pipeline.errors import BridgeError
from bridge_pipeline.extraction.llm.settings import LanguageModelSettings
from bridge_pipeline_tests.llm.meetings import vendor_call

WRONG_KEY = "sk-live-wrong-key-aaaabbbbccccdddd"


def test_key_the_server_echoes_is_redacted_from_the_error_and_logs(fake, make_extractor, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(BridgeError) as raised:
        make_extractor(api_key=WRONG_KEY).extract(*vendor_call(), "UTC")
    # The fake put the presented key in its 401 body; the message keeps the rest of what it said.
    assert "Incorrect API key provided" in str(raised.value)
    assert WRONG_KEY not in str(raised.value)
    assert WRONG_KEY not in repr(raised.value)
    assert WRONG_KEY not in caplog.text


def test_key_is_not_logged_on_retries_or_failures(fake, make_extractor, settings, caplog):
    caplog.set_level(logging.DEBUG)
    fake.fail_chat(500, times=None)
    extractor = make_extractor()
    with pytest.raises(BridgeError) as raised:
        extractor.extract(*vendor_call(), "UTC")
    assert "attempt 1 failed" in caplog.text  # the retries were logged ...
    assert settings.api_key not in caplog.text  # ... without the key
    assert settings.api_key not in str(raised.value)
    assert settings.api_key not in repr(extractor) and settings.api_key not in repr(extractor.settings)


def test_settings_without_a_key_name_the_variable_to_set():
    with pytest.raises(BridgeError, match="OPENAI_API_KEY"):
        LanguageModelSettings(api_key="  ")
