"""PrewarmedRunLauncher: each run in a fresh process, started before the run needs it.

DefaultRunLauncher asks the code server to spawn a process per run, and that process imports Dagster and the
code location before the first step: 3 to 5 s on two cores, the least steady part of a meeting's latency
(bench/RESULTS.md). This launcher runs the worker (run_worker.py) itself. After handing a run to a worker it
starts the next one, which loads the same code location while nothing waits for it and then blocks on stdin
until a launch writes it a run. A run still gets a process of its own and executes as `dagster api
execute_run` does; with no standby ready (the first run, or two runs at once) it starts one cold.

Workers run on the daemon's machine, in the code location's Python, so the daemon needs the project
installed: the local instance (dagster.yaml). deploy/ keeps DefaultRunLauncher, where the daemon and the
code server are separate containers.

Each run gets the tag `bridge/run_worker` (host, pid, process start time). From it any process of the
instance can stop the worker (the UI's Terminate runs in the webserver) and run monitoring can see a dead
worker, which DefaultRunLauncher cannot. While the daemon that launched it lives, a worker that exits
without finishing its run has the run failed at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dagster import Field, _check as check
from dagster._core.launcher.base import CheckRunHealthResult, LaunchRunContext, RunLauncher, WorkerStatus
from dagster._core.storage.dagster_run import DagsterRun
from dagster._serdes import ConfigurableClass, serialize_value
from dagster._serdes.config_class import ConfigurableClassData

WORKER_TAG = "bridge/run_worker"
WORKER_MODULE = "bridge_pipeline.defs.run_worker"


@dataclass
class _Standby:
    process: subprocess.Popen
    executable: str
    started_at: float


def _process_stat(pid: int) -> list[str]:
    """Fields of /proc/<pid>/stat after the command name: [0] the state, [19] the start time (empty if none)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _process_start_ticks(pid: int) -> str:
    """The kernel's start time of `pid`: with the pid, it names one process."""
    fields = _process_stat(pid)
    return fields[19] if len(fields) > 19 else ""


def worker_tag_value(pid: int) -> str:
    return f"{socket.gethostname()}:{pid}:{_process_start_ticks(pid)}"


def _local_worker(tag_value: str) -> tuple[int, str] | None:
    """The pid and start time a run's tag names, when the worker ran on this host."""
    host, _, rest = tag_value.partition(":")
    pid_text, _, ticks = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    return int(pid_text), ticks


def worker_alive(tag_value: str) -> bool | None:
    """Whether the worker a run's tag names still runs: None when it ran on another host."""
    worker = _local_worker(tag_value)
    if worker is None:
        return None
    pid, ticks = worker
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    fields = _process_stat(pid)
    if not fields:  # without /proc (not Linux) the pid alone has to do
        return True
    # A reused pid has another start time; an exited worker not yet reaped is a zombie.
    return fields[0] != "Z" and (not ticks or fields[19] == ticks)


class PrewarmedRunLauncher(RunLauncher, ConfigurableClass):
    def __init__(self, standby_workers: int = 1, inst_data: ConfigurableClassData | None = None):
        self._inst_data = inst_data
        self._standby_workers = check.int_param(standby_workers, "standby_workers")
        self._standby: list[_Standby] = []
        self._lock = threading.Lock()
        super().__init__()

    @property
    def inst_data(self) -> ConfigurableClassData | None:
        return self._inst_data

    @classmethod
    def config_type(cls) -> dict[str, Field]:
        return {
            "standby_workers": Field(
                int, is_required=False, default_value=1,
                description="Workers kept loaded and waiting for the next runs (0: every run starts cold).",
            )
        }

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData, config_value: Mapping[str, Any]):
        return cls(inst_data=inst_data, **config_value)

    # --- launching ------------------------------------------------------------------------------------

    def launch_run(self, context: LaunchRunContext) -> None:
        from dagster._grpc.types import ExecuteRunArgs

        run = context.dagster_run
        origin = check.not_none(run.job_code_origin, f"Run {run.run_id} has no code origin to load.")
        executable = origin.executable_path or sys.executable
        run_args = serialize_value(ExecuteRunArgs(job_origin=origin, run_id=run.run_id,
                                                  instance_ref=self._instance.get_ref()))
        process, warmed_s = self._hand_to_standby(run.run_id, executable, run_args)
        if process is None:
            process = subprocess.Popen([executable, "-m", "dagster", "api", "execute_run", run_args])
            self._tag_worker(run.run_id, process)
        how = (f"a standby worker started {warmed_s:.1f} s before" if warmed_s is not None
               else "a new worker (no standby was ready)")
        self._instance.report_engine_event(f"Run handed to {how}, pid {process.pid}.", run, cls=self.__class__)
        threading.Thread(target=self._watch, args=(run.run_id, process), daemon=True,
                         name=f"run-worker-{process.pid}").start()
        self._replenish(executable, serialize_value(origin))

    def _tag_worker(self, run_id: str, process: subprocess.Popen) -> None:
        self._instance.add_run_tags(run_id, {WORKER_TAG: worker_tag_value(process.pid)})

    def _hand_to_standby(
        self, run_id: str, executable: str, run_args: str
    ) -> tuple[subprocess.Popen | None, float | None]:
        while True:
            with self._lock:
                standby = next((s for s in self._standby if s.executable == executable), None)
                if standby is None:
                    return None, None
                self._standby.remove(standby)
            if standby.process.poll() is not None:
                continue
            # Tagged before it gets the run, so run monitoring never sees the run started without its worker.
            self._tag_worker(run_id, standby.process)
            try:
                assert standby.process.stdin is not None
                standby.process.stdin.write(run_args.encode() + b"\n")
                standby.process.stdin.close()
            except (BrokenPipeError, OSError):  # it died between the poll and the write
                continue
            return standby.process, time.time() - standby.started_at

    def _replenish(self, executable: str, serialized_origin: str) -> None:
        with self._lock:
            self._standby = [s for s in self._standby if s.process.poll() is None]
            while len(self._standby) < self._standby_workers:
                process = subprocess.Popen([executable, "-m", WORKER_MODULE, serialized_origin], stdin=subprocess.PIPE)
                self._standby.append(_Standby(process, executable, time.time()))

    def _watch(self, run_id: str, process: subprocess.Popen) -> None:
        """A worker that exits while its run is unfinished died (killed, out of memory): fail the run now."""
        code = process.wait()
        run = self._instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            return
        from dagster._core.events import JobFailureData, RunFailureReason

        self._instance.report_run_failed(
            run, f"The run worker (pid {process.pid}) exited with code {code} before the run finished.",
            JobFailureData(error=None, failure_reason=RunFailureReason.UNEXPECTED_TERMINATION),
        )

    # --- stopping and health --------------------------------------------------------------------------

    def terminate(self, run_id: str) -> bool:
        run = self._instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            return False
        tag = run.tags.get(WORKER_TAG)
        worker = _local_worker(tag) if tag else None
        if worker is None or not worker_alive(tag):
            return False
        self._instance.report_run_canceling(run)
        # SIGTERM is Dagster's interrupt in the worker: the step stops and the run ends CANCELED.
        os.kill(worker[0], signal.SIGTERM)
        return True

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        """FAILED only for a worker this host started that is gone. Run monitoring fails a started run on any
        other answer, so a run it cannot judge (executed in-process by `dagster asset materialize`, launched by
        another launcher, or on another host) counts as running; max_runtime_seconds still bounds it."""
        tag = run.tags.get(WORKER_TAG)
        if not tag:
            return CheckRunHealthResult(WorkerStatus.RUNNING, "No worker of this launcher is recorded for the run.")
        alive = worker_alive(tag)
        if alive is None:
            return CheckRunHealthResult(WorkerStatus.RUNNING, f"The worker runs on another host ({tag}).")
        if alive:
            return CheckRunHealthResult(WorkerStatus.RUNNING, run_worker_id=tag)
        return CheckRunHealthResult(WorkerStatus.FAILED, f"The run worker {tag} is no longer running.",
                                    run_worker_id=tag)

    def dispose(self) -> None:
        """Standby workers read stdin: closing it ends them. Workers with a run carry on."""
        with self._lock:
            standby, self._standby = self._standby, []
        for item in standby:
            with contextlib.suppress(OSError):
                assert item.process.stdin is not None
                item.process.stdin.close()

