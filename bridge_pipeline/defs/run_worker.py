"""A run worker started ahead of its run: `python -m bridge_pipeline.defs.run_worker <origin>`.

Started by `PrewarmedRunLauncher` (run_launcher.py) with the serialized job origin of the last run. It loads
that job's code location while no run waits for it, then blocks on stdin. The launcher writes one line, the
run's serialized `ExecuteRunArgs`, and the worker executes the run exactly as `dagster api execute_run` does,
in this same process. An empty stdin (the launcher went away, or let its standby go) ends the worker.

If a source file the warm-up imported changed after the warm-up began, the loaded code is stale: the worker
replaces itself (same pid) with a cold `dagster api execute_run`, which imports the code as it is now.
"""

from __future__ import annotations

import os
import sys
import time


def _project_files() -> list[str]:
    """Files of loaded modules outside the interpreter's installation: the code a developer edits."""
    installed = tuple({os.path.realpath(p) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})
    files = []
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and not os.path.realpath(path).startswith(installed):
            files.append(path)
    return files


def _changed_since(files: list[str], since: float) -> str | None:
    for path in files:
        try:
            if os.stat(path).st_mtime > since:
                return path
        except OSError:  # removed or renamed: the code changed
            return path
    return None


def _warm(serialized_origin: str) -> None:
    """Import the code location and build its job, as the run will; a failure here is the run's to report."""
    from dagster._serdes import deserialize_value
    from dagster._utils.hosted_user_process import recon_job_from_origin

    try:
        recon_job_from_origin(deserialize_value(serialized_origin)).get_definition()
    except Exception:  # noqa: BLE001 - the run re-raises it where Dagster records it
        pass


def main(argv: list[str]) -> None:
    warm_started = time.time()
    try:
        from dagster._cli.api import execute_run_command

        if argv:
            _warm(argv[0])
        loaded = _project_files()
        run_args = sys.stdin.readline().strip()
    except KeyboardInterrupt:  # Ctrl-C in `dagster dev` reaches the whole process group; no run was lost
        return
    if not run_args:
        return
    sys.stdin.close()
    if _changed_since(loaded, warm_started) is not None:
        os.execv(sys.executable, [sys.executable, "-m", "dagster", "api", "execute_run", run_args])
    execute_run_command.main(args=[run_args], prog_name="dagster api execute_run", standalone_mode=True)


if __name__ == "__main__":
    main(sys.argv[1:])
