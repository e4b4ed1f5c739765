"""A re-run of a day lists Teams and Zoom again but reads only transcripts it has not stored yet."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

from bridge_fakes import FakeTeamsMeeting
from bridge_fakes.transcripts import DIALOGUES, teams_vtt
from bridge_pipeline.observability import metrics
from bridge_pipeline_tests.speech.conftest import DAY, Line


def routes(fake, since: int) -> Counter:
    return Counter(request.route for request in list(fake.requests)[since:])


def by_id(line: Line) -> dict:
    return {meeting.meeting_id: meeting for meeting in line.store.load_meetings(DAY)}


def test_a_re_run_lists_the_day_and_reads_only_the_transcript_that_is_new(line: Line):
    line.ingest(None)
    settled = line.ingest(None)  # the seeded day has a transcript that is not ready at the first read
    stored = by_id(line)
    graph_seen, zoom_seen = len(line.graph.requests), len(line.zoom.requests)

    again = line.ingest(None)

    assert by_id(line) == stored and again.counts["meetings"] == settled.counts["meetings"] == len(stored)
    # Listings only: no transcript content or participant list is fetched again.
    assert routes(line.graph, graph_seen)["content"] == 0
    assert routes(line.zoom, zoom_seen)["participants"] == 0
    assert routes(line.graph, graph_seen)["transcripts"] > 0 and routes(line.zoom, zoom_seen)["recordings"] > 0

    organizer = sorted(line.graph.organizer_upns)[0]
    created = dt.datetime.combine(DAY, dt.time(16, 0), dt.timezone.utc)
    line.graph.add_meeting(FakeTeamsMeeting(organizer, "Late call", created - dt.timedelta(minutes=30),
                                            teams_vtt(DIALOGUES[0]), transcript_created=created, key="late"))
    graph_seen = len(line.graph.requests)
    with_new = line.ingest(None)

    after = by_id(line)
    assert with_new.counts["meetings"] == len(stored) + 1
    assert {k: v for k, v in after.items() if k in stored} == stored
    (new,) = [m for k, m in after.items() if k not in stored]
    assert new.title == "Late call" and line.blobs.get(new.raw_blob_key) == teams_vtt(DIALOGUES[0]).encode()
    assert routes(line.graph, graph_seen)["content"] == 1


def test_a_stored_meeting_whose_raw_copy_is_gone_is_read_again(line: Line):
    line.ingest(None)
    line.ingest(None)
    stored = by_id(line)
    lost = next(m for m in stored.values() if m.source == "teams")
    (line.blobs.root / lost.raw_blob_key).unlink()
    graph_seen = len(line.graph.requests)

    line.ingest(None)

    assert by_id(line) == stored
    assert line.blobs.exists(lost.raw_blob_key)
    assert routes(line.graph, graph_seen)["content"] == 1


def test_teams_and_zoom_are_scanned_side_by_side_and_their_calls_still_counted(line: Line, monkeypatch):
    threads: dict[str, str] = {}
    for source in (line.teams_source, line.zoom_source):
        scan = source.recordings_for_day

        def recording_thread(*args, _scan=scan, _name=source.name, **kwargs):
            threads[_name] = threading.current_thread().name
            return _scan(*args, **kwargs)

        monkeypatch.setattr(source, "recordings_for_day", recording_thread)

    with metrics.collecting() as tally:
        report = line.ingest(None)

    # Each remote scan ran in a thread of its own, not the caller's.
    assert len({*threads.values(), threading.current_thread().name}) == 3
    # The downloads made in those threads reached the caller's tally: one per transcript stored.
    stored = line.store.load_meetings(DAY)
    for name in ("teams", "zoom"):
        assert tally.value(metrics.TRANSCRIPT_DOWNLOADS, source=name) == sum(m.source == name for m in stored) > 0
    assert report.counts["meetings"] == len(stored)
