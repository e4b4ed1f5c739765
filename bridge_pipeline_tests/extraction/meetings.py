"""Loads the sample inbox and the real Zoom meetings as (MeetingInfo, Transcript) pairs for extraction tests."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from bridge_pipeline.models import MeetingInfo, Transcript, Utterance
from bridge_pipeline.parsing.transcripts import parse_transcript

REPO = Path(__file__).resolve().parents[2]
SAMPLE_INBOX = REPO / "sample_inbox"
ZOOM_MEETINGS = REPO.parent / "shared" / "data" / "zoom_meetings"


def sample_meeting(stem: str) -> tuple[MeetingInfo, Transcript]:
    """One meeting of sample_inbox by file stem, with its sidecar metadata."""
    path = next(p for p in sorted(SAMPLE_INBOX.glob(f"*/{stem}.*")) if not p.name.endswith(".meta.json"))
    meta = json.loads(path.with_name(f"{stem}.meta.json").read_text(encoding="utf-8"))
    info = MeetingInfo(
        meeting_id=stem,
        partition_date=dt.date.fromisoformat(path.parent.name),
        source="inbox",
        source_id=f"{path.parent.name}/{path.name}",
        title=meta["title"],
        started_at=dt.datetime.fromisoformat(meta["started_at"]),
        organizer=meta["organizer"],
        participants=tuple(meta["participants"]),
        content_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        raw_blob_key=f"raw/{path.name}",
    )
    transcript = parse_transcript(path.read_bytes(), path.suffix[1:], meeting_id=stem, filename=path.name)
    return info, transcript


def sample_stems() -> list[str]:
    return sorted(p.stem for p in SAMPLE_INBOX.glob("*/*") if p.suffix in (".vtt", ".txt", ".json")
                  and not p.name.endswith(".meta.json"))


def zoom_meeting(folder: Path) -> tuple[MeetingInfo, Transcript, dict]:
    """A real Zoom meeting folder: its transcript, a MeetingInfo without a start time, and its tldr.json."""
    info = MeetingInfo(
        meeting_id=folder.name,
        partition_date=dt.date.fromisoformat(folder.name.split("_")[1]),
        source="zoom",
        source_id=folder.name,
        title=folder.name,
        content_sha256="0" * 64,
        raw_blob_key=f"raw/{folder.name}",
    )
    content = (folder / "transcript.vtt").read_bytes()
    transcript = parse_transcript(content, "vtt", meeting_id=folder.name, filename="transcript.vtt")
    return info, transcript, json.loads((folder / "tldr.json").read_text(encoding="utf-8"))


def synthetic_meeting(lines: list[tuple[str, str]], *, started_at: str = "2026-05-14T10:00:00+00:00",
                      title: str = "Test call", meeting_id: str = "test-call") -> tuple[MeetingInfo, Transcript]:
    """A small meeting written inline: (speaker, text) pairs, ten seconds apart."""
    utterances = tuple(
        Utterance(index=i, speaker=speaker, start_s=10.0 * i, end_s=10.0 * i + 8, text=text)
        for i, (speaker, text) in enumerate(lines)
    )
    info = MeetingInfo(
        meeting_id=meeting_id,
        partition_date=dt.date(2026, 5, 14),
        source="inbox",
        source_id=f"{meeting_id}.txt",
        title=title,
        started_at=dt.datetime.fromisoformat(started_at),
        participants=tuple(dict.fromkeys(speaker for speaker, _ in lines)),
        content_sha256="0" * 64,
        raw_blob_key=f"raw/{meeting_id}",
    )
    return info, Transcript(meeting_id=meeting_id, utterances=utterances)
