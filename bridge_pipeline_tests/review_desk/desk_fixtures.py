"""A small store for the desk's tests: an NDA call with open points, and a follow-up that makes version 2.

The days are run through the real pipeline functions (offline extractor) on a temporary inbox. Also a
parser for the desk's forms, so tests post exactly what the page offers, hidden fields included.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from bridge_pipeline import pipeline
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline.sources.inbox import InboxSource
from bridge_pipeline.storage.blobs import LocalBlobStore
from bridge_pipeline.storage.store import PipelineStore

DAY_1, DAY_2 = dt.date(2026, 5, 14), dt.date(2026, 5, 15)
CALL_ID = "inbox-20260514-nda-call-ostwind"
FOLLOW_UP_ID = "inbox-20260515-nda-followup-ostwind"
DRAFT_ID = f"{CALL_ID}-nda"

NDA_CALL = [
    "[00:00:05] Anna Berg: Thanks for joining. We want to share our roadmap with Ostwind Logistics GmbH before "
    "the pilot, so we need an NDA in place.",
    "[00:00:14] Jonas Keller: Agreed, a mutual NDA works for us at Ostwind Logistics GmbH.",
    "[00:00:22] Anna Berg: Good. Berg Analytics Ltd and Ostwind Logistics GmbH, mutual NDA, confidentiality for "
    "three years.",
    "[00:00:31] Jonas Keller: Three years is fine. Agreed.",
    "[00:00:40] Anna Berg: The purpose is evaluating the routing pilot.",
    "[00:00:46] Jonas Keller: Yes, evaluating the routing pilot. Agreed.",
    "[00:00:55] Anna Berg: Governing law we leave open for now, our lawyers will come back on that.",
    "[00:01:02] Jonas Keller: Fine, we leave governing law open.",
]
FOLLOW_UP = [
    "[00:00:04] Anna Berg: Quick follow-up on the NDA with Ostwind Logistics GmbH.",
    "[00:00:10] Jonas Keller: Our board wants the confidentiality period at five years instead of three.",
    "[00:00:18] Anna Berg: Five years works for Berg Analytics Ltd. Agreed.",
    "[00:00:25] Jonas Keller: Great, five years then.",
]


def write_meeting(inbox: Path, day: dt.date, stem: str, title: str, lines: list[str], hour: int) -> None:
    folder = inbox / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    meta = {
        "title": title,
        "started_at": f"{day.isoformat()}T{hour:02d}:00:00+00:00",
        "organizer": "Anna Berg",
        "participants": ["Anna Berg", "Jonas Keller"],
    }
    (folder / f"{stem}.meta.json").write_text(json.dumps(meta), encoding="utf-8")


def write_nda_call(inbox: Path) -> None:
    write_meeting(inbox, DAY_1, "nda-call-ostwind", "NDA call with Ostwind Logistics", NDA_CALL, 10)


def write_follow_up(inbox: Path) -> None:
    write_meeting(inbox, DAY_2, "nda-followup-ostwind", "NDA follow-up with Ostwind Logistics", FOLLOW_UP, 11)


@dataclass
class DeskLine:
    """An inbox, a SQLite store and a blob folder under `root`."""

    root: Path

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.root / 'bridge.sqlite3'}"

    def store(self) -> PipelineStore:
        store = PipelineStore(self.database_url)
        store.migrate()
        return store

    def blobs(self) -> LocalBlobStore:
        return LocalBlobStore(self.root / "data")

    def run(self, day: dt.date) -> None:
        """Every stage of the line for `day`, as the assets run them."""
        store, blobs = self.store(), self.blobs()
        pipeline.ingest_day(day, [InboxSource(self.inbox)], store, blobs, "UTC")
        pipeline.parse_day(day, store, blobs)
        pipeline.extract_day(day, store, OfflineExtractor(), "UTC")
        pipeline.draft_day(day, store, "UTC")
        pipeline.qa_day(day, store)
        pipeline.export_day(day, store, blobs)
        store.dispose()

    def copy(self, root: Path) -> "DeskLine":
        shutil.copytree(self.root, root)
        return DeskLine(root)


def build_line(root: Path) -> DeskLine:
    """Day 1: the NDA call (version 1, open points); day 2: the follow-up (version 2)."""
    line = DeskLine(root)
    write_nda_call(line.inbox)
    write_follow_up(line.inbox)
    line.run(DAY_1)
    line.run(DAY_2)
    return line


# --- the page's forms ----------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = Form(values.get("action", ""), values.get("method", "get").lower(), {})
            self.forms.append(self._current)
        elif tag in ("input", "textarea") and self._current is not None and "name" in values:
            if values.get("type") != "checkbox":
                self._current.fields[values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_for(html: str, action_suffix: str, field_name: str | None = None) -> Form:
    """The page's POST form whose action ends with `action_suffix` (and names `field_name`, when given)."""
    found = [
        f
        for f in forms_of(html)
        if f.method == "post"
        and f.action.endswith(action_suffix)
        and (field_name is None or f.fields.get("field_name") == field_name)
    ]
    assert len(found) == 1, f"expected one form for {action_suffix} {field_name or ''}, found {len(found)}"
    return found[0]
