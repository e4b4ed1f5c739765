"""The real `dagster-daemon run` polls the fakes with both sensors until the day's exports and chat summaries are out."""

from __future__ import annotations

from bridge_fakes.sources_demo import MEETINGS_PER_DAY, run_demo


def test_daemon_sensors_bring_teams_and_zoom_meetings_to_exports(tmp_path):
    outcome = run_demo(tmp_path / "demo", timeout_s=240, poll_interval_s=2)

    logs = "\n".join(path.read_text(errors="replace") for path in outcome.log_files if path.exists())
    assert outcome.finished, f"not exported within the time limit: {outcome}\n{logs[-4000:]}"
    assert outcome.meetings == MEETINGS_PER_DAY
    assert outcome.done_meetings == sum(MEETINGS_PER_DAY.values())
    # Each recording without transcript was transcribed once, however many runs its day had.
    assert outcome.transcription_calls == 2
    assert any(name.endswith(".pdf") for name in outcome.export_files)
    assert set(outcome.runs) == {"SUCCESS"}
    assert set(outcome.sensor_runs) == {"teams_sensor", "zoom_sensor"}
    # One summary per meeting, although the day ran again for the late Teams transcript.
    assert outcome.chat_posts == MEETINGS_PER_DAY
    # Nothing the daemon, its code server or the runs wrote (logs, instance storage, exports) holds a secret.
    for path in (tmp_path / "demo").rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for secret in outcome.secrets:
                assert secret.encode() not in content, f"secret found in {path}"
