"""Builds the `Recording` records and meeting ids both remote sources hand downstream."""

from __future__ import annotations

import datetime as dt
import hashlib

from bridge_pipeline.models import IngestProblem, Recording, SourceName
from bridge_pipeline.naming import short_digest

MEETING_KEY_DIGEST_LEN = 12


def remote_meeting_id(source: SourceName, day: dt.date, artifact_key: str) -> str:
    """`<source>-<YYYYMMDD>-<12 hex>`: stable for the artifact, safe in any file system or URL.

    The digest of the source's own id (a Graph transcript id, a Zoom meeting UUID plus file id) keeps
    ids stable when titles change, and the date keeps them readable in file listings.
    """
    return f"{source}-{day:%Y%m%d}-{short_digest(artifact_key, MEETING_KEY_DIGEST_LEN)}"


def remote_recording(
    *,
    source: SourceName,
    source_id: str,
    meeting_id: str,
    day: dt.date,
    content: bytes,
    title: str,
    started_at: dt.datetime | None,
    organizer: str | None,
    participants: tuple[str, ...],
) -> Recording:
    return Recording(
        source=source,
        source_id=source_id,
        meeting_id=meeting_id,
        partition_date=day,
        filename=f"{meeting_id}.vtt",
        transcript_format="vtt",
        content=content,
        content_sha256=hashlib.sha256(content).hexdigest(),
        title=title,
        started_at=started_at,
        organizer=organizer,
        participants=participants,
    )


def scan_problem(day: dt.date, location: str, problem: str) -> IngestProblem:
    return IngestProblem(partition_date=day, stage="raw_recordings", location=location, problem=problem)
