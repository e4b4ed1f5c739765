"""Per-stage timings: a day of the sample meetings, then one two-hour meeting drafted and exported.

Prints figures only; nothing here asserts. Run with `make bench`.
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bridge_pipeline import pipeline
from bridge_pipeline.drafting.drafter import draft_meeting
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline.models import MeetingInfo, Transcript, Utterance
from bridge_pipeline.parsing.transcripts import parse_transcript
from bridge_pipeline.qa.runner import run_qa
from bridge_pipeline.rendering.bundle import build_bundle, render_json
from bridge_pipeline.rendering.document import document_for_draft
from bridge_pipeline.rendering.docx import render_docx
from bridge_pipeline.rendering.markdown import render_markdown
from bridge_pipeline.rendering.pdf import render_pdf
from bridge_pipeline.sources.inbox import InboxSource
from bridge_pipeline.storage.blobs import LocalBlobStore
from bridge_pipeline.storage.store import PipelineStore

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DAYS = [dt.date(2026, 5, 14), dt.date(2026, 5, 15)]
VENDOR_CALL = REPO / "sample_inbox" / "2026-05-14" / "vendor-call-nordlicht-kowalczyk.vtt"


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def median_ms(fn, repeat: int = 7) -> float:
    fn()  # warm: lazy imports, font registration
    samples = []
    for _ in range(repeat):
        _, seconds = timed(fn)
        samples.append(seconds)
    return statistics.median(samples) * 1000


def bench_sample_days() -> None:
    print("== sample days, stage by stage (SQLite, local blobs; seconds) ==")
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        shutil.copytree(REPO / "sample_inbox", inbox)
        store = PipelineStore(f"sqlite:///{tmp}/bench.sqlite3")
        store.migrate()
        blobs = LocalBlobStore(Path(tmp) / "data")
        extractor = OfflineExtractor()
        print(f"{'day':<12}{'ingest':>9}{'parse':>9}{'extract':>9}{'draft':>9}{'qa':>9}{'export':>9}  meetings")
        for day in SAMPLE_DAYS:
            times = []
            report, t = timed(pipeline.ingest_day, day, [InboxSource(inbox)], store, blobs, "UTC")
            times.append(t)
            meetings = report.counts.get("meetings", 0)
            for stage, args in (
                (pipeline.parse_day, (day, store, blobs)),
                (pipeline.extract_day, (day, store, extractor, "UTC")),
                (pipeline.draft_day, (day, store, "UTC")),
                (pipeline.qa_day, (day, store)),
                (pipeline.export_day, (day, store, blobs)),
            ):
                _, t = timed(stage, *args)
                times.append(t)
            print(f"{day.isoformat():<12}" + "".join(f"{t:>9.3f}" for t in times) + f"  {meetings}")


def two_hour_transcript() -> tuple[MeetingInfo, Transcript]:
    """The sample vendor call repeated back to back until it lasts two hours."""
    base = parse_transcript(VENDOR_CALL.read_bytes(), "vtt", meeting_id="bench-2h", filename=VENDOR_CALL.name)
    length = max(u.end_s for u in base.utterances) + 5
    utterances: list[Utterance] = []
    offset = 0.0
    while offset < 7200:
        for u in base.utterances:
            utterances.append(
                Utterance(
                    index=len(utterances),
                    speaker=u.speaker,
                    start_s=u.start_s + offset,
                    end_s=u.end_s + offset,
                    text=u.text,
                )
            )
        offset += length
    meeting = MeetingInfo(
        meeting_id="bench-2h",
        partition_date=dt.date(2026, 5, 14),
        source="inbox",
        source_id="bench/two-hours.vtt",
        title="Two-hour vendor negotiation",
        started_at=dt.datetime(2026, 5, 14, 9, 0, tzinfo=dt.timezone.utc),
        organizer="Zofia Kowalczyk",
        participants=(),
        content_sha256="0" * 64,
        raw_blob_key="raw/bench",
    )
    return meeting, Transcript(meeting_id="bench-2h", utterances=tuple(utterances))


def bench_two_hour_meeting() -> None:
    meeting, transcript = two_hour_transcript()
    print(f"\n== one two-hour meeting: {len(transcript.utterances)} utterances (warm median of 7, ms) ==")
    extractor = OfflineExtractor()
    decisions = extractor.extract(meeting, transcript, "UTC")
    outcome = draft_meeting(meeting, decisions, timezone="UTC")
    draft = max(outcome.drafts, key=lambda d: len(d.fields))
    findings = run_qa(draft, decisions, meeting)
    document = document_for_draft(meeting, draft, findings, decisions)
    bundle = build_bundle(meeting, draft, decisions, findings, None)
    rows = [
        ("extract (offline)", lambda: extractor.extract(meeting, transcript, "UTC")),
        ("draft (all types)", lambda: draft_meeting(meeting, decisions, timezone="UTC")),
        ("qa", lambda: run_qa(draft, decisions, meeting)),
        ("export markdown", lambda: render_markdown(document_for_draft(meeting, draft, findings, decisions))),
        ("export docx", lambda: render_docx(document_for_draft(meeting, draft, findings, decisions))),
        ("export pdf", lambda: render_pdf(document_for_draft(meeting, draft, findings, decisions))),
        ("export json", lambda: render_json(build_bundle(meeting, draft, decisions, findings, None))),
    ]
    figures = {}
    for name, fn in rows:
        figures[name] = median_ms(fn)
        print(f"{name:<22}{figures[name]:>10.1f}")
    exports = sum(v for k, v in figures.items() if k.startswith("export"))
    print(f"{'all four exports':<22}{exports:>10.1f}   (target < 500)")
    print(f"{'draft':<22}{figures['draft (all types)']:>10.1f}   (target < 1000)")
    print(
        f"decisions={len(decisions.decisions)} drafts={[d.contract_type for d in outcome.drafts]} "
        f"fields={len(draft.fields)} findings={len(findings)} provenance_rows={len(document.provenance_rows)}"
    )
    del bundle


def bench_real_transcripts() -> None:
    """Parse and extract every labelled Zoom transcript of ../shared/data, when it is on this machine."""
    folder = Path(__file__).resolve().parents[2] / "shared" / "data" / "zoom_meetings"
    paths = sorted(folder.glob("*/transcript.vtt"))
    if not paths:
        print(f"\n(no transcripts under {folder}; real-transcript timings skipped)")
        return
    contents = [path.read_bytes() for path in paths]
    transcripts, seconds = timed(
        lambda: [parse_transcript(c, "vtt", meeting_id=f"m{i}", filename="t.vtt") for i, c in enumerate(contents)]
    )
    utterances = sum(len(t.utterances) for t in transcripts)
    print(f"\n== {len(paths)} real Zoom transcripts ==\nparse all: {seconds:.3f} s for {utterances} utterances")


if __name__ == "__main__":
    print(f"python {sys.version.split()[0]}")
    bench_sample_days()
    bench_two_hour_meeting()
    bench_real_transcripts()
