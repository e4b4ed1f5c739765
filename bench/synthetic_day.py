"""A synthetic inbox day of N meetings built from the sample transcripts, for benchmarks and tests.

Every group of five meetings is a vendor call, its follow-up later the same day (same deal, so version 2
of its SOW), a service review, a partnership call and a stand-up. Each group gets its own company and
person surnames, so groups do not link to each other as deals; start times rise with the index.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_inbox"

# (sample file, its sidecar) in the order a group is laid out.
TEMPLATES: tuple[tuple[str, str], ...] = (
    ("2026-05-14/vendor-call-nordlicht-kowalczyk.vtt", "vendor-call"),
    ("2026-05-15/vendor-followup-nordlicht-kowalczyk.vtt", "vendor-followup"),
    ("2026-05-14/service-review-helios.vtt", "service-review"),
    ("2026-05-15/partnership-call-aurora.json", "partnership-call"),
    ("2026-05-14/weekly-standup.txt", "weekly-standup"),
)
# Names replaced per group, so each group's parties and deal name are its own.
BRANDS = ("Nordlicht", "Kowalczyk", "Helios", "Miraflores", "Aurora", "Sakura")
_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"
FIRST_START = dt.time(6, 0)
DAY_SPAN = dt.timedelta(hours=16)


def group_word(brand: str, group: int) -> str:
    """A pronounceable word unique to (brand, group): ('Nordlicht', 3) -> 'Norbobabat'."""
    syllables = []
    n = group
    for _ in range(3):
        n, rest = divmod(n, len(_CONSONANTS) * len(_VOWELS))
        syllables.append(_CONSONANTS[rest // len(_VOWELS)] + _VOWELS[rest % len(_VOWELS)])
    return brand[:3] + "".join(syllables) + brand[-1]


def _vary(text: str, group: int) -> str:
    for brand in BRANDS:
        text = text.replace(brand, group_word(brand, group))
    return text


def meeting_start(day: dt.date, index: int, total: int) -> dt.datetime:
    offset = DAY_SPAN * index / max(total, 1)
    return dt.datetime.combine(day, FIRST_START, tzinfo=dt.timezone.utc) + offset


def write_meeting(folder: Path, day: dt.date, index: int, started_at: dt.datetime) -> str:
    """Write meeting `index` (transcript and sidecar) into `folder`; returns the transcript's stem."""
    sample, label = TEMPLATES[index % len(TEMPLATES)]
    group = index // len(TEMPLATES)
    source = SAMPLES / sample
    stem = f"{label}-{index:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    text = _vary(source.read_text(encoding="utf-8"), group)
    (folder / f"{stem}{source.suffix}").write_text(text, encoding="utf-8")
    sidecar = json.loads(_vary(source.with_suffix(".meta.json").read_text(encoding="utf-8"), group))
    sidecar["started_at"] = started_at.isoformat()
    (folder / f"{stem}.meta.json").write_text(json.dumps(sidecar, ensure_ascii=False, indent=2), encoding="utf-8")
    return stem


def build_day(inbox: Path, day: dt.date, meetings: int) -> list[str]:
    """Meetings 0..meetings-1 of `day` under `inbox/<day>/`; returns their stems in index order."""
    folder = inbox / day.isoformat()
    return [write_meeting(folder, day, i, meeting_start(day, i, meetings)) for i in range(meetings)]
