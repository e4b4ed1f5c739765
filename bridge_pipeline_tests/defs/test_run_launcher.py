"""PrewarmedRunLauncher on a real instance: runs execute in worker processes it starts, the next one loaded ahead."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRunStatus, reconstructable
from dagster._core.launcher import WorkerStatus
from dagster._core.test_utils import instance_for_test

from bridge_pipeline.defs.run_launcher import WORKER_TAG, PrewarmedRunLauncher, worker_alive, worker_tag_value
from bridge_pipeline_tests.defs import launcher_jobs

LAUNCHER = {"module": "bridge_pipeline.defs.run_launcher", "class": "PrewarmedRunLauncher",
            "config": {"standby_workers": 1}}
FINISHED = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


@pytest.fixture
def instance(tmp_path) -> Iterator[DagsterInstance]:
    (tmp_path / "home").mkdir()
    with instance_for_test(overrides={"run_launcher": LAUNCHER}, temp_dir=str(tmp_path / "home")) as instance:
        yield instance


def launch(instance: DagsterInstance, job, out: Path, **config) -> str:
    run = instance.create_run_for_job(
        job_def=job,
        run_config={"ops": {job.nodes[0].name: {"config": {"out": str(out), **config}}}},
        job_code_origin=reconstructable(getattr(launcher_jobs, job.name)).get_python_origin(),
    )
    instance.launch_run(run.run_id, workspace=None)  # type: ignore[arg-type]
    return run.run_id


def wait_for(condition, timeout_s: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if (value := condition()):
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def finished(instance: DagsterInstance, run_id: str):
    run = instance.get_run_by_id(run_id)
    return run if run is not None and run.status in FINISHED else None


def handed_to(instance: DagsterInstance, run_id: str) -> str:
    (message,) = [e.message for e in instance.all_logs(run_id) if "Run handed to" in (e.message or "")]
    return message


def test_the_instance_file_uses_the_launcher(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text((Path(__file__).parents[2] / "dagster.yaml").read_text())
    with DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.run_launcher, PrewarmedRunLauncher)


def test_each_run_gets_a_fresh_worker_and_the_second_one_was_loaded_ahead(instance, tmp_path):
    first_id = launch(instance, launcher_jobs.quick_job, tmp_path / "first.json")
    first = wait_for(lambda: finished(instance, first_id), what="the first run")
    # Give the standby started after the first launch time to load; a launch meanwhile would only wait less.
    time.sleep(1.0)
    second_id = launch(instance, launcher_jobs.quick_job, tmp_path / "second.json")
    second = wait_for(lambda: finished(instance, second_id), what="the second run")

    assert first.status == second.status == DagsterRunStatus.SUCCESS
    assert "no standby was ready" in handed_to(instance, first_id)
    assert "a standby worker started" in handed_to(instance, second_id)
    ran = [json.loads((tmp_path / name).read_text()) for name in ("first.json", "second.json")]
    assert len({ran[0]["pid"], ran[1]["pid"], os.getpid()}) == 3
    assert ran[1]["argv0"].endswith("run_worker.py")  # the standby ran it in its own process
    # Each run's tag names its worker, which has exited.
    for run, record in zip((first, second), ran):
        assert run.tags[WORKER_TAG].startswith(f"{socket.gethostname()}:{record['pid']}:")
        wait_for(lambda: instance.run_launcher.check_run_worker_health(run).status == WorkerStatus.FAILED,
                 timeout_s=10, what="the worker to exit")


def test_a_standby_whose_code_changed_runs_the_run_from_a_fresh_import(instance, tmp_path):
    first_id = launch(instance, launcher_jobs.quick_job, tmp_path / "a.json")
    wait_for(lambda: finished(instance, first_id))
    time.sleep(1.0)
    module = Path(launcher_jobs.__file__)
    later = time.time() + 1
    os.utime(module, (later, later))  # an edit after the standby imported it
    run_id = launch(instance, launcher_jobs.quick_job, tmp_path / "b.json")
    run = wait_for(lambda: finished(instance, run_id))

    assert run.status == DagsterRunStatus.SUCCESS
    assert "a standby worker started" in handed_to(instance, run_id)
    assert json.loads((tmp_path / "b.json").read_text())["argv0"].endswith(os.path.join("dagster", "__main__.py"))


def test_a_killed_worker_fails_its_run_at_once(instance, tmp_path):
    out = tmp_path / "slow.json"
    run_id = launch(instance, launcher_jobs.slow_job, out)
    wait_for(out.exists, what="the step to start")
    run = instance.get_run_by_id(run_id)
    assert instance.run_launcher.check_run_worker_health(run).status == WorkerStatus.RUNNING

    os.kill(json.loads(out.read_text())["pid"], signal.SIGKILL)
    killed_at = time.monotonic()
    run = wait_for(lambda: finished(instance, run_id), timeout_s=15, what="the run to fail")

    assert run.status == DagsterRunStatus.FAILURE
    assert time.monotonic() - killed_at < 5
    failure = [e.message for e in instance.all_logs(run_id) if "exited with code -9" in (e.message or "")]
    assert failure, "the failure names the dead worker"
    assert instance.run_launcher.check_run_worker_health(run).status == WorkerStatus.FAILED


def test_terminate_from_another_process_of_the_instance_cancels_the_run(instance, tmp_path):
    out = tmp_path / "slow.json"
    run_id = launch(instance, launcher_jobs.slow_job, out)
    wait_for(out.exists, what="the step to start")

    # The UI's Terminate runs in the webserver, whose launcher did not start the worker: it goes by the tag.
    with DagsterInstance.from_ref(instance.get_ref()) as webserver:
        assert webserver.run_launcher.terminate(run_id) is True
    run = wait_for(lambda: finished(instance, run_id), timeout_s=30, what="the run to stop")

    assert run.status == DagsterRunStatus.CANCELED
    assert instance.run_launcher.terminate(run_id) is False  # already finished


def test_a_worker_tag_names_one_process():
    assert worker_alive(worker_tag_value(os.getpid())) is True
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    tag = worker_tag_value(done.pid)
    done.wait()
    assert worker_alive(tag) is False
    host, pid, _ticks = worker_tag_value(os.getpid()).split(":")
    assert worker_alive(f"{host}:{pid}:1") is False  # same pid, another process start: a reused pid
    assert worker_alive(f"another-host:{pid}:") is None


def test_a_run_the_launcher_cannot_judge_counts_as_running(instance, tmp_path):
    # Run monitoring fails a started run on any answer but RUNNING: a run executed in-process (no worker
    # tag) or on another host must not be failed while it may still be going.
    run = instance.create_run_for_job(job_def=launcher_jobs.quick_job,
                                      run_config={"ops": {"record_worker": {"config": {"out": str(tmp_path / "x")}}}})
    launcher = instance.run_launcher
    assert launcher.check_run_worker_health(run).status == WorkerStatus.RUNNING
    instance.add_run_tags(run.run_id, {WORKER_TAG: "another-host:1:1"})
    assert launcher.check_run_worker_health(instance.get_run_by_id(run.run_id)).status == WorkerStatus.RUNNING
    assert launcher.terminate(run.run_id) is False  # nothing here to stop
