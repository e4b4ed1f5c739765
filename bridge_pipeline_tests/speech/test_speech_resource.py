"""The speech-to-text resource: off unless BRIDGE_SPEECH_TO_TEXT=openai, key from OPENAI_API_KEY at run time."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import EnvVar, asset, materialize

from bridge_fakes.openai_fake import DEFAULT_API_KEY, FakeOpenAIServer
from bridge_pipeline.defs.language.speech import SpeechToTextResource, speech_usage_metadata
from bridge_pipeline.defs.resources_for_environment import speech_resource
from bridge_pipeline.defs.storage.resources import LocalBlobStorageResource
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.settings import load_settings
from bridge_pipeline.speech.transcribe import DEFAULT_SPEECH_MODEL, STT_CACHE_PREFIX, SpeechToText
from bridge_pipeline_tests.speech.audio import wav_bytes


def settings_with(tmp_path: Path, **env: str):
    return load_settings({"BRIDGE_DATA_DIR": str(tmp_path / "data"), **env})


def test_speech_to_text_is_off_unless_the_setting_names_openai(tmp_path):
    blobs = LocalBlobStorageResource(base_dir=str(tmp_path / "blobs"))
    settings = settings_with(tmp_path)
    resource = speech_resource(settings, blobs)
    assert settings.speech_to_text == "off"
    assert resource.enabled is False and resource.get_speech() is None
    assert speech_usage_metadata(resource.get_speech()) == {}


def test_openai_speech_takes_the_shared_base_url_and_its_own_model_and_language(tmp_path):
    blobs = LocalBlobStorageResource(base_dir=str(tmp_path / "blobs"))
    settings = settings_with(
        tmp_path, BRIDGE_SPEECH_TO_TEXT=" OpenAI ", BRIDGE_OPENAI_BASE_URL="http://127.0.0.1:9/v1", BRIDGE_SPEECH_LANGUAGE="de"
    )
    resource = speech_resource(settings, blobs)
    assert resource.enabled is True
    assert (resource.base_url, resource.model, resource.language) == ("http://127.0.0.1:9/v1", DEFAULT_SPEECH_MODEL, "de")
    other_model = speech_resource(settings_with(tmp_path, BRIDGE_SPEECH_TO_TEXT="openai", BRIDGE_SPEECH_MODEL="whisper-1"), blobs)
    assert other_model.model == "whisper-1" and other_model.base_url == ""


def test_an_unknown_speech_setting_is_a_configuration_error_naming_the_variable(tmp_path):
    blobs = LocalBlobStorageResource(base_dir=str(tmp_path / "blobs"))
    with pytest.raises(ConfigurationError, match="BRIDGE_SPEECH_TO_TEXT='whisper' is not one of off, openai"):
        speech_resource(settings_with(tmp_path, BRIDGE_SPEECH_TO_TEXT="whisper"), blobs)


def test_the_enabled_resource_reads_its_key_at_run_time_and_caches_transcripts_in_blob_storage(tmp_path, monkeypatch):
    blob_storage = LocalBlobStorageResource(base_dir=str(tmp_path / "blobs"))
    seen: list[SpeechToText | None] = []

    @asset
    def transcribed(speech: SpeechToTextResource) -> None:
        transcriber = speech.get_speech()
        assert transcriber is speech.get_speech()  # one transcriber for the whole run
        transcriber.transcribe("call-1", wav_bytes(0.2), "call-1.wav")
        seen.append(transcriber)

    with FakeOpenAIServer() as fake:
        monkeypatch.setenv("OPENAI_API_KEY", DEFAULT_API_KEY)
        settings = settings_with(tmp_path, BRIDGE_SPEECH_TO_TEXT="openai", BRIDGE_OPENAI_BASE_URL=fake.api_base_url)
        resource = speech_resource(settings, blob_storage)
        result = materialize([transcribed], resources={"speech": resource, "blob_storage": blob_storage})
        assert result.success and fake.calls("audio.transcriptions") == 1
    assert isinstance(resource.api_key, EnvVar)  # the definitions hold the variable's name, not the key
    assert len(blob_storage.get_blob_store().list(STT_CACHE_PREFIX)) == 1
    usage = speech_usage_metadata(seen[0])
    assert usage["stt_api_requests"].value == 1 and usage["stt_audio_minutes"].value == pytest.approx(0.15)


def test_an_enabled_resource_without_a_key_says_which_variable_is_empty(tmp_path):
    resource = SpeechToTextResource(blob_storage=LocalBlobStorageResource(base_dir=str(tmp_path)), enabled=True, api_key=" ")
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY is empty"):
        resource.get_speech()
