"""A tiny folder of labelled meetings in the shape of ../shared/data/zoom_meetings, written by the test."""

from __future__ import annotations

import json
from pathlib import Path

VTT = """WEBVTT

1
00:00:01.000 --> 00:00:05.000
Ana: We agreed to ship the beta on devnet next week.

2
00:00:06.000 --> 00:00:09.000
Ben: I'll send the release notes by Friday.

3
00:00:10.000 --> 00:00:12.000
Ana: Thanks everyone.
"""

LABELS = {
    "decisions": [{"timestamp": "00:00:02", "decision": "Ship the beta on devnet next week"}],
    "action_items": [{"timestamp": "00:00:07", "action": "Send the release notes", "owner": "Ben"}],
    "highlights": {},
    "targets": [],
}


def write_labelled_meetings(root: Path, names=("demo_2026-05-14_001", "other_2026-05-15_002")) -> Path:
    for name in names:
        folder = root / name
        folder.mkdir(parents=True)
        (folder / "transcript.vtt").write_text(VTT.replace("\n", "\r\n"), encoding="utf-8")
        (folder / "tldr.json").write_text(json.dumps(LABELS), encoding="utf-8")
    (root / "notes_without_labels").mkdir()
    return root
