"""What each OS process of the cross-process token tests runs: a Zoom client making many calls.

Kept out of the test module so a spawned process imports only this (spawn re-imports the target's module).
"""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass
from typing import Any

from bridge_pipeline.apis.zoom import ZoomClient, ZoomSettings


@dataclass(frozen=True)
class WorkerReport:
    pid: int
    calls: int
    tokens_fetched: int
    error: str | None


def make_calls(settings: ZoomSettings, barrier: Any, calls: int, seconds: float, reports: Any) -> None:
    """Both processes ask for their first token at the same moment, then both call at the same time:
    `calls` calls, or as many as fit in `seconds` when that is set."""
    done = 0
    client = None
    try:
        client = ZoomClient(settings)
        barrier.wait(timeout=120)
        client.list_users()  # the first call gets (or fetches) this process's token
        done += 1
        barrier.wait(timeout=120)  # each process now holds a token; from here on both call concurrently
        deadline = time.monotonic() + seconds
        while done < calls or (seconds and time.monotonic() < deadline):
            client.list_users()
            done += 1
        error = None
    except BaseException as exc:  # reported to the test, which shows it
        barrier.abort()  # the other process must not wait for this one
        error = "".join(traceback.format_exception_only(exc)).strip()
        traceback.print_exc()
    finally:
        fetched = getattr(client.api.token_cache, "fetch_count", -1) if client is not None else 0
        if client is not None:
            client.close()
    reports.put(WorkerReport(os.getpid(), done, fetched, error))
