"""Retention: raw recordings and transcripts (personal data) older than N days are deleted; what was made of them stays.

For every day before the cutoff (today minus N days, in the partition timezone) the job deletes:
- the raw recordings under `raw/<day>/` in blob storage, and the speech-to-text cache entries of those
  made from audio (the cache holds the same transcript);
- the day's `transcripts` and `utterances` rows.
Meetings (title, organizer, participants), decisions (whose citations keep their quotes), drafts, QA
findings, exports and stage inputs stay. Each deleted recording, cache entry and transcript gets a
`purged` entry in the audit trail, written before the blobs go, so a run that dies half way is finished
by the next one without recording anything twice.

A purged day is closed to the stages that need transcripts: re-materializing it reads no source and
re-creates nothing (bridge_pipeline.pipeline), and its drafts and exports stay as they are. The inbox
folder and the copies Teams and Zoom keep are not the pipeline's to delete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from bridge_pipeline.models import MeetingInfo
from bridge_pipeline.speech.recordings import speech_filename
from bridge_pipeline.storage.audit import AuditEntry
from bridge_pipeline.storage.blobs import BlobStore, sha256_hex
from bridge_pipeline.storage.personal_data import days_with_transcripts_before, purge_transcripts
from bridge_pipeline.storage.store import PipelineStore

RAW_PREFIX = "raw"


def cutoff_day(today: dt.date, days: int) -> dt.date:
    """The first day kept: days before it are purged, so a day is kept for `days` full days after it."""
    return today - dt.timedelta(days=days)


@dataclass
class PurgeReport:
    cutoff: dt.date
    days: list[dt.date] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def purge_expired(
    store: PipelineStore, blobs: BlobStore, *, days: int, today: dt.date, run_id: str | None = None
) -> PurgeReport:
    """Delete raw recordings and transcripts of every day before the cutoff; see the module docstring."""
    report = PurgeReport(cutoff=cutoff_day(today, days))
    for name in ("raw_recordings", "speech_cache", "transcripts", "utterances", "audit_entries"):
        report.counts[name] = 0
    raw = _raw_keys_by_day(blobs, report.cutoff)
    detail = {"retention_days": days, "cutoff": report.cutoff.isoformat()}
    for day in sorted(set(raw) | set(days_with_transcripts_before(store.engine, report.cutoff))):
        _purge_day(store, blobs, day, raw.get(day, []), run_id, detail, report)
        report.days.append(day)
    return report


def _purge_day(
    store: PipelineStore,
    blobs: BlobStore,
    day: dt.date,
    raw_keys: list[str],
    run_id: str | None,
    detail: Mapping[str, object],
    report: PurgeReport,
) -> None:
    meetings = {m.raw_blob_key: m for m in store.load_meetings(day)}
    entries = [
        AuditEntry(
            day=day,
            artifact_kind="raw_recording",
            action="purged",
            path=key,
            run_id=run_id,
            meeting_id=meetings[key].meeting_id if key in meetings else _meeting_of(key),
            content_sha256=meetings[key].content_sha256 if key in meetings else None,
            detail=detail,
        )
        for key in raw_keys
    ]
    cache_keys = _speech_cache_keys(blobs, [meetings[k] for k in raw_keys if k in meetings])
    entries += [
        AuditEntry(day, "speech_cache", "purged", key, run_id=run_id, meeting_id=meeting_id, content_sha256=sha,
                   detail=detail)
        for key, (meeting_id, sha) in sorted(cache_keys.items())
    ]
    # The audit entries (blobs included) are committed with the row deletions, before the blobs go.
    utterances, recorded = purge_transcripts(store.engine, day, run_id=run_id, detail=detail, other_entries=entries)
    for key in raw_keys:
        blobs.delete_prefix(key)
    day_folder = f"{RAW_PREFIX}/{day.isoformat()}"
    if not blobs.list(day_folder):
        # Nothing left (a file written meanwhile waits for the next run): this only clears empty folders.
        blobs.delete_prefix(day_folder)
    for key in cache_keys:
        blobs.delete_prefix(key)
    report.add("raw_recordings", len(raw_keys))
    report.add("speech_cache", len(cache_keys))
    report.add("transcripts", len(utterances))
    report.add("utterances", sum(utterances.values()))
    report.add("audit_entries", recorded)


def _raw_keys_by_day(blobs: BlobStore, cutoff: dt.date) -> dict[dt.date, list[str]]:
    """Raw blob keys (`raw/<day>/<meeting>/<file>`) of days before `cutoff`, by day."""
    found: dict[dt.date, list[str]] = {}
    for key in blobs.list(RAW_PREFIX):
        parts = key.split("/")
        try:
            day = dt.date.fromisoformat(parts[1])
        except (IndexError, ValueError):
            continue  # not a day folder; nothing the line wrote
        if day < cutoff:
            found.setdefault(day, []).append(key)
    return found


def _speech_cache_keys(blobs: BlobStore, meetings: list[MeetingInfo]) -> dict[str, tuple[str, str]]:
    """Speech-to-text cache entries holding the transcript of one of these meetings: key -> (meeting id, sha256).

    The cache is keyed by the audio, which is not kept, so entries are found by content: a transcribed
    meeting's raw file is exactly the cached document.
    """
    transcribed = [m for m in meetings if m.raw_blob_key.endswith("/" + speech_filename(m.meeting_id))]
    wanted = {m.content_sha256: m.meeting_id for m in transcribed}
    if not wanted:
        return {}
    from bridge_pipeline.speech.transcribe import STT_CACHE_PREFIX  # only where speech-to-text was used

    found = {}
    for key in blobs.list(STT_CACHE_PREFIX):
        sha = sha256_hex(blobs.get(key))
        if sha in wanted:
            found[key] = (wanted[sha], sha)
    return found


def _meeting_of(raw_key: str) -> str | None:
    parts = raw_key.split("/")
    return parts[2] if len(parts) >= 4 else None
