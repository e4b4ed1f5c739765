"""Two small jobs for the run launcher's tests: each records which process ran it (in the run worker
itself, as meeting_line_job runs), one takes its time."""

import json
import os
import sys
import time
from pathlib import Path

from dagster import Field, OpExecutionContext, in_process_executor, job, op


def _record(context: OpExecutionContext) -> None:
    out = Path(context.op_config["out"])
    out.write_text(json.dumps({"pid": os.getpid(), "argv0": sys.argv[0]}))


@op(config_schema={"out": str})
def record_worker(context: OpExecutionContext) -> None:
    _record(context)


@op(config_schema={"out": str, "seconds": Field(float, default_value=60.0)})
def record_and_wait(context: OpExecutionContext) -> None:
    _record(context)
    deadline = time.monotonic() + context.op_config["seconds"]
    while time.monotonic() < deadline:
        time.sleep(0.1)


@job(executor_def=in_process_executor)
def quick_job() -> None:
    record_worker()


@job(executor_def=in_process_executor)
def slow_job() -> None:
    record_and_wait()
