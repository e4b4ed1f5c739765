"""The line as production runs it, against the fakes: the Dagster daemon's sensors poll Teams and Zoom.

    python -m bridge_fakes.sources_demo --workdir .demo_data/sources

Starts both fakes seeded with yesterday's meetings (UTC), points the sources at them through the
environment, switches speech-to-text on against the OpenAI fake, opts every organizer in to chat summaries, and runs the real `dagster-daemon run` on a
fresh instance folder. The sensors tick, request the day, the queued runs ingest from the fakes, export
and post each meeting's summary; the demo waits until every seeded transcript has its exports (or a QA
notice) and no run is left in the queue, then stops the daemon and lists the files and posts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bridge_fakes.environment import notifications_env, sources_env
from bridge_fakes.openai_fake import FakeOpenAIServer
from bridge_fakes.seed import seed_demo
from bridge_fakes.teams_fake import FakeGraphServer
from bridge_fakes.zoom_fake import FakeZoomServer
from bridge_pipeline.settings import load_settings
from bridge_pipeline.sources.environment import POLL_INTERVAL_VARIABLE
from bridge_pipeline.storage.store import PipelineStore

REPO = Path(__file__).resolve().parents[1]
INSTANCE_FILE = REPO / "dagster.yaml"
# Per seeded day (bridge_fakes.seed.seed_demo): two Teams and three Zoom transcripts, and one
# recording without transcript on each, which speech-to-text (the OpenAI fake) turns into a meeting.
MEETINGS_PER_DAY = {"teams": 3, "zoom": 4}


@dataclass
class DemoOutcome:
    day: dt.date
    finished: bool
    seconds: float
    meetings: dict[str, int]  # source -> meetings ingested for the day
    done_meetings: int  # exported, or withheld by QA
    export_files: list[str]
    runs: dict[str, int]  # run status -> count
    sensor_runs: dict[str, int]  # sensor name -> runs it requested
    chat_posts: dict[str, int]  # source -> summaries found in the fake's chats after the demo
    transcription_calls: int  # speech-to-text requests the OpenAI fake answered
    log_files: list[Path] = field(default_factory=list)
    secrets: tuple[str, ...] = field(default=(), repr=False)


def _sandbox_key() -> str:
    # Fresh per demo, so the secret grep of the logs means something.
    return f"sk-sandbox-{secrets.token_hex(12)}"


def _daemon_env(workdir: Path, fakes_env: Mapping[str, str], poll_interval_s: int) -> dict[str, str]:
    inbox = workdir / "inbox"  # empty: every meeting of the demo comes from the fakes
    inbox.mkdir(parents=True, exist_ok=True)
    home = workdir / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(INSTANCE_FILE, home / "dagster.yaml")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BRIDGE_", "DAGSTER_"))}
    env.update(fakes_env)
    env.update({
        "BRIDGE_INBOX_DIR": str(inbox),
        "BRIDGE_DATA_DIR": str(workdir / "data"),
        "DAGSTER_HOME": str(home),
        POLL_INTERVAL_VARIABLE: str(poll_interval_s),
        # Loopback calls must not be routed through a proxy the machine may define.
        "NO_PROXY": "127.0.0.1,localhost",
    })
    return env


def _count_runs(home: Path) -> tuple[dict[str, int], dict[str, int]]:
    from dagster import DagsterInstance

    statuses: dict[str, int] = {}
    sensors: dict[str, int] = {}
    with DagsterInstance.from_config(str(home)) as instance:
        for run in instance.get_runs():
            statuses[run.status.value] = statuses.get(run.status.value, 0) + 1
            sensor = run.tags.get("dagster/sensor_name")
            if sensor:
                sensors[sensor] = sensors.get(sensor, 0) + 1
    return statuses, sensors


def _progress(store: PipelineStore, day: dt.date) -> tuple[dict[str, int], int, list[str]]:
    meetings: dict[str, int] = {}
    for meeting in store.load_meetings(day):
        meetings[meeting.source] = meetings.get(meeting.source, 0) + 1
    files, withheld = store.load_exports(day)
    # A meeting is done when its files are out, or its draft was withheld by QA (the notice says why).
    done = {f.meeting_id for f in files} | {w.meeting_id for w in withheld}
    return meetings, len(done), sorted(f.blob_key for f in files) + sorted(f"withheld: {w.draft_id}" for w in withheld)


def run_demo(
    workdir: Path,
    *,
    day: dt.date | None = None,
    timeout_s: float = 240.0,
    poll_interval_s: int = 3,
    report: Callable[[str], None] = lambda line: None,
) -> DemoOutcome:
    """Runs fakes + daemon until the day is exported (or `timeout_s` passes); always stops the daemon."""
    workdir = workdir.resolve()
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    day = day or dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)
    with FakeGraphServer() as graph, FakeZoomServer() as zoom, FakeOpenAIServer(api_key=_sandbox_key()) as openai:
        seed_demo(graph, zoom, [day])
        # Yesterday's meetings can be up to two days old: look back far enough on the first poll.
        fakes_env = {
            **sources_env(graph, zoom, lookback_hours=72),
            **notifications_env(graph, zoom),
            "BRIDGE_SPEECH_TO_TEXT": "openai",
            "BRIDGE_OPENAI_BASE_URL": openai.api_base_url,
            "OPENAI_API_KEY": openai.api_key,
        }
        env = _daemon_env(workdir, fakes_env, poll_interval_s)
        home = Path(env["DAGSTER_HOME"])
        settings = load_settings(env)
        logs = [workdir / "daemon.out.log", workdir / "daemon.err.log"]
        report(f"fakes: Graph {graph.base_url}, Zoom {zoom.base_url}; seeded {day}")
        report(f"starting dagster-daemon (DAGSTER_HOME={home})")
        started = time.monotonic()
        with logs[0].open("wb") as out, logs[1].open("wb") as err:
            daemon = subprocess.Popen(
                [str(Path(sys.executable).with_name("dagster-daemon")), "run", "-m", "bridge_pipeline.definitions"],
                cwd=workdir,
                env=env,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
            try:
                finished = _wait_for_exports(settings.database_url, home, day, started, timeout_s, daemon, report)
            finally:
                _stop(daemon)
        seconds = time.monotonic() - started
        store = PipelineStore(settings.database_url)
        store.migrate()
        meetings, exported, files = _progress(store, day)
        store.dispose()
        runs, sensors = _count_runs(home)
        return DemoOutcome(
            day=day,
            finished=finished,
            seconds=seconds,
            meetings=meetings,
            done_meetings=exported,
            export_files=files,
            runs=runs,
            sensor_runs=sensors,
            chat_posts={
                "teams": sum(1 for chat in graph.chats.chats.values() for m in chat.messages if not m.deleted),
                "zoom": sum(1 for m in zoom.team_chat.messages if not m.deleted),
            },
            log_files=[*logs, *sorted(home.rglob("*.out")), *sorted(home.rglob("*.err"))],
            secrets=(graph.client_secret, zoom.client_secret, fakes_env["BRIDGE_GRAPH_CHAT_REFRESH_TOKEN"], openai.api_key),
            transcription_calls=openai.calls("audio.transcriptions"),
        )


def _wait_for_exports(
    database_url: str,
    home: Path,
    day: dt.date,
    started: float,
    timeout_s: float,
    daemon: subprocess.Popen,
    report: Callable[[str], None],
) -> bool:
    expected = sum(MEETINGS_PER_DAY.values())
    last = ""
    while time.monotonic() - started < timeout_s:
        if daemon.poll() is not None:
            report(f"dagster-daemon exited with code {daemon.returncode}")
            return False
        time.sleep(2.0)
        if not (home / "storage").exists() or not Path(database_url.removeprefix("sqlite:///")).exists():
            continue
        store = PipelineStore(database_url)
        try:
            meetings, exported, _files = _progress(store, day)
        finally:
            store.dispose()
        runs, _sensors = _count_runs(home)
        line = f"{time.monotonic() - started:5.1f} s: meetings {meetings or '{}'}, done {exported}/{expected}, runs {runs}"
        if line.split(": ", 1)[1] != last:
            report(line)
            last = line.split(": ", 1)[1]
        active = sum(count for status, count in runs.items() if status in ("QUEUED", "NOT_STARTED", "STARTING", "STARTED"))
        if exported >= expected and not active:
            return True
    return False


def _stop(daemon: subprocess.Popen) -> None:
    """The daemon, its code server and any run process share one session: stop them together."""
    if daemon.poll() is None:
        os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait(timeout=10)
    try:
        os.killpg(daemon.pid, signal.SIGKILL)  # stragglers (code server) left in the session
    except ProcessLookupError:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bridge_fakes.sources_demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=Path(".demo_data/sources"),
                        help="instance, data and logs of the demo (emptied first)")
    parser.add_argument("--day", type=dt.date.fromisoformat, default=None, help="day to seed (default: yesterday, UTC)")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds to wait for the exports")
    args = parser.parse_args(argv)
    outcome = run_demo(args.workdir, day=args.day, timeout_s=args.timeout, report=lambda line: print(line, flush=True))
    print()
    print(f"{'done' if outcome.finished else 'NOT finished'} in {outcome.seconds:.1f} s: meetings {outcome.meetings}, "
          f"{outcome.done_meetings} done, runs {outcome.runs}, requested by {outcome.sensor_runs}, "
          f"summaries posted {outcome.chat_posts}, speech-to-text requests {outcome.transcription_calls}")
    for name in outcome.export_files:
        print(f"  {name}")
    print(f"\nexports under {args.workdir.resolve() / 'data' / 'exports' / outcome.day.isoformat()}")
    return 0 if outcome.finished else 1


if __name__ == "__main__":
    sys.exit(main())
