"""Every source's scan of one day, the remote ones side by side.

Teams and Zoom each wait on their own API's client-side rate limit; scanned one after the other, a day's
ingestion waits for both in turn. Each remote scan runs in a thread of its own (with the caller's metrics
context, so their API calls are still counted); the inbox, a local folder, is read in the caller's thread.
Scans come back in the order of `sources`, so what is stored does not depend on which finished first.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from bridge_pipeline.models import MeetingInfo
from bridge_pipeline.sources.base import RecordingSource, SourceScan
from bridge_pipeline.sources.remote import RemoteSource


def scan_sources(
    day: dt.date,
    sources: Sequence[RecordingSource],
    timezone: str,
    stored: Mapping[str, Mapping[str, MeetingInfo]],
) -> list[SourceScan]:
    """`stored` holds, per source name, the meetings an earlier run stored by source id (see DayFindings.reuse)."""

    def scan(source: RecordingSource) -> SourceScan:
        if isinstance(source, RemoteSource):
            return source.recordings_for_day(day, timezone, known=stored.get(source.name, {}))
        return source.recordings_for_day(day, timezone)

    remote = [source for source in sources if isinstance(source, RemoteSource)]
    if len(remote) < 2:
        return [scan(source) for source in sources]
    with ThreadPoolExecutor(max_workers=len(remote), thread_name_prefix="scan") as pool:
        running = {id(source): pool.submit(contextvars.copy_context().run, scan, source) for source in remote}
        # A failing scan raises here, in source order, as it would have one after the other.
        return [running[id(source)].result() if id(source) in running else scan(source) for source in sources]
