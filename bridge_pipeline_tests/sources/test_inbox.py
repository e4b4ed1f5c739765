"""The local inbox source: one folder per day, sidecar metadata, and a problem for each file it cannot use."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.sources.base import RecordingSource, SourceScan
from bridge_pipeline.sources.inbox import InboxSource, MisplacedEntry, inbox_meeting_id

DAY = dt.date(2026, 5, 14)
VTT = b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAna: hello\n"


def make_inbox(root: Path, files: dict[str, bytes | str]) -> InboxSource:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return InboxSource(root)


def scan(source: InboxSource, day: dt.date = DAY, timezone: str = "UTC") -> SourceScan:
    return source.recordings_for_day(day, timezone)


def problems_by_location(result: SourceScan) -> dict[str, str]:
    return {problem.location: problem.problem for problem in result.problems}


def test_inbox_source_implements_the_recording_source_interface(tmp_path):
    source = InboxSource(tmp_path)
    assert isinstance(source, RecordingSource)
    assert source.name == "inbox"


def test_day_without_folder_gives_an_empty_scan(tmp_path):
    source = make_inbox(tmp_path, {"2026-05-15/other.vtt": VTT})
    assert scan(source) == SourceScan(recordings=(), problems=())


def test_inbox_folder_that_does_not_exist_yet_gives_an_empty_scan(tmp_path):
    assert scan(InboxSource(tmp_path / "not-created")) == SourceScan(recordings=(), problems=())


def test_each_transcript_becomes_a_recording_sorted_by_file_name(tmp_path):
    source = make_inbox(
        tmp_path,
        {
            "2026-05-14/weekly_standup.txt": "Ana: hi\n",
            "2026-05-14/acme-nda-call.vtt": VTT,
            "2026-05-14/partner-call.JSON": "[]",
        },
    )
    result = scan(source)
    assert result.problems == ()
    assert [r.filename for r in result.recordings] == ["acme-nda-call.vtt", "partner-call.JSON", "weekly_standup.txt"]
    assert [r.transcript_format for r in result.recordings] == ["vtt", "json", "txt"]

    first = result.recordings[0]
    assert first.source == "inbox"
    assert first.source_id == "2026-05-14/acme-nda-call.vtt"
    assert first.meeting_id == "inbox-20260514-acme-nda-call"
    assert first.partition_date == DAY
    assert first.content == VTT
    assert first.content_sha256 == hashlib.sha256(VTT).hexdigest()
    assert (first.title, first.started_at, first.organizer, first.participants) == ("acme nda call", None, None, ())
    assert result.recordings[2].title == "weekly standup"


def test_sidecar_metadata_is_applied_and_naive_start_times_read_in_the_scan_timezone(tmp_path):
    sidecar = {
        "title": "Acme / Nordlicht NDA",
        "started_at": "2026-05-14T10:00:00",
        "organizer": "Zofia Kowalczyk",
        "participants": ["Zofia Kowalczyk", " Jürgen Maaß ", ""],
    }
    source = make_inbox(
        tmp_path, {"2026-05-14/acme.vtt": VTT, "2026-05-14/acme.meta.json": json.dumps(sidecar, ensure_ascii=False)}
    )
    result = scan(source, timezone="Europe/Berlin")
    assert result.problems == ()
    (recording,) = result.recordings
    assert recording.title == "Acme / Nordlicht NDA"
    assert recording.started_at == dt.datetime(2026, 5, 14, 8, 0, tzinfo=dt.timezone.utc)
    assert recording.organizer == "Zofia Kowalczyk"
    assert recording.participants == ("Zofia Kowalczyk", "Jürgen Maaß")


def test_sidecar_start_time_with_offset_keeps_its_instant(tmp_path):
    source = make_inbox(
        tmp_path,
        {"2026-05-14/a.vtt": VTT, "2026-05-14/a.meta.json": '{"started_at": "2026-05-14T09:30:00.1234567-04:00"}'},
    )
    (recording,) = scan(source, timezone="Asia/Tokyo").recordings
    assert recording.started_at == dt.datetime(2026, 5, 14, 13, 30, 0, 123456, tzinfo=dt.timezone.utc)


def test_sidecar_with_bad_json_is_a_problem_and_the_transcript_still_ingests_with_defaults(tmp_path):
    source = make_inbox(
        tmp_path,
        {
            "2026-05-14/weekly-standup.txt": "Ana: hi\n",
            "2026-05-14/weekly-standup.meta.json": "{not json",
        },
    )
    result = scan(source)
    (recording,) = result.recordings
    assert recording.title == "weekly standup"
    problem = problems_by_location(result)["2026-05-14/weekly-standup.meta.json"]
    assert problem.startswith("is not valid JSON")
    assert "sidecar was ignored and weekly-standup.txt ingested with default metadata" in problem
    assert result.problems[0].stage == "raw_recordings"
    assert result.problems[0].partition_date == DAY


def test_sidecar_with_wrong_field_types_names_every_wrong_field(tmp_path):
    sidecar = {"title": 42, "participants": ["Ana", 7], "started": "2026-05-14"}
    source = make_inbox(tmp_path, {"2026-05-14/a.vtt": VTT, "2026-05-14/a.meta.json": json.dumps(sidecar)})
    result = scan(source)
    (recording,) = result.recordings
    assert recording.title == "a" and recording.participants == ()
    problem = problems_by_location(result)["2026-05-14/a.meta.json"]
    assert "title: input should be a valid string, got 42" in problem
    assert "participants[1]: input should be a valid string or an object with name and/or email, got 7" in problem
    assert "started: unknown field" in problem


def test_sidecar_people_may_be_objects_with_name_or_email_and_are_stored_as_names(tmp_path):
    sidecar = {
        "organizer": {"name": " Zofia Kowalczyk ", "email": "zofia@example.org", "id": "u-1"},
        "participants": [
            "Ana",
            {"email": "ben@example.org"},
            {"name": "", "email": "cai@example.org", "role": "attendee"},
            {"name": None, "email": ""},
        ],
    }
    source = make_inbox(tmp_path, {"2026-05-14/a.vtt": VTT, "2026-05-14/a.meta.json": json.dumps(sidecar)})
    result = scan(source)
    (recording,) = result.recordings
    assert result.problems == ()
    assert recording.organizer == "Zofia Kowalczyk"
    assert recording.participants == ("Ana", "ben@example.org", "cai@example.org")


def test_sidecar_organizer_object_without_a_name_falls_back_to_the_email(tmp_path):
    sidecar = {"organizer": {"email": "zofia@example.org"}}
    source = make_inbox(tmp_path, {"2026-05-14/a.vtt": VTT, "2026-05-14/a.meta.json": json.dumps(sidecar)})
    (recording,) = scan(source).recordings
    assert recording.organizer == "zofia@example.org"


def test_sidecar_people_in_the_graph_and_zoom_shapes_are_stored_as_names(tmp_path):
    sidecar = {
        # Graph event: organizer and attendees carry an emailAddress object.
        "organizer": {"emailAddress": {"name": "Zofia Kowalczyk", "address": "zofia@example.org"}},
        "participants": [
            {"emailAddress": {"name": " Jürgen Maaß ", "address": "jm@example.org"}, "type": "required"},
            {"emailAddress": {"name": "", "address": "ben@example.org"}, "status": {"response": "none"}},
            # Graph online meeting participants: identity set (kinds that do not apply are null), upn.
            {"identity": {"user": {"displayName": "Cai Wen", "id": "u-3"}, "application": None}, "upn": "cai@x.org"},
            {"identity": {"user": None, "guest": {"displayName": "Dana Guest"}}, "role": "attendee"},
            {"identity": {"user": {"displayName": None, "id": "u-5"}}, "upn": "eve@example.org"},
            # Zoom participants.
            {"name": "Farah Haddad", "user_email": "farah@example.org", "join_time": "2026-05-14T09:00:00Z"},
            {"name": "", "user_email": "gus@example.org"},
            {"emailAddress": {"name": None, "address": None}},
        ],
    }
    source = make_inbox(tmp_path, {"2026-05-14/a.vtt": VTT, "2026-05-14/a.meta.json": json.dumps(sidecar)})
    result = scan(source)
    (recording,) = result.recordings
    assert result.problems == ()
    assert recording.organizer == "Zofia Kowalczyk"
    assert recording.participants == (
        "Jürgen Maaß",
        "ben@example.org",
        "Cai Wen",
        "Dana Guest",
        "eve@example.org",
        "Farah Haddad",
        "gus@example.org",
    )


def test_sidecar_graph_organizer_without_a_name_falls_back_to_the_address(tmp_path):
    sidecar = {"organizer": {"emailAddress": {"address": "zofia@example.org"}}}
    source = make_inbox(tmp_path, {"2026-05-14/a.vtt": VTT, "2026-05-14/a.meta.json": json.dumps(sidecar)})
    (recording,) = scan(source).recordings
    assert recording.organizer == "zofia@example.org"


@pytest.mark.parametrize(
    ("sidecar", "expected"),
    [
        ({"organizer": 7}, "organizer: input should be a valid string or an object with name and/or email, got 7"),
        ({"organizer": {"name": 5}}, "organizer: name should be a valid string or null, got {'name': 5}"),
        (
            {"participants": ["Ana", {"email": ["a@x"]}]},
            "participants[1]: email should be a valid string or null, got {'email': ['a@x']}",
        ),
        (
            {"participants": [{"id": "u-1"}]},
            "participants[0]: object should have a name and/or an email (or Graph's emailAddress or identity, "
            "or Zoom's user_email), got {'id': 'u-1'}",
        ),
        (
            {"organizer": {"emailAddress": "zofia@example.org"}},
            "organizer: emailAddress should be an object, got {'emailAddress': 'zofia@example.org'}",
        ),
        (
            {"organizer": {"emailAddress": {"id": "u-1"}}},
            "organizer: emailAddress should have a name and/or an address",
        ),
        (
            {"participants": [{"emailAddress": {"address": 5}}]},
            "participants[0]: emailAddress.address should be a valid string or null",
        ),
        (
            {"participants": [{"identity": {"user": {"displayName": ["Ana"]}}}]},
            "participants[0]: identity.user.displayName should be a valid string or null",
        ),
        ({"participants": [{"identity": "Ana"}]}, "participants[0]: identity should be an object"),
        (
            {"participants": [{"name": None, "user_email": 7}]},
            "participants[0]: user_email should be a valid string or null",
        ),
        ({"participants": {"name": "Ana"}}, "participants: input should be a valid list, got {'name': 'Ana'}"),
    ],
)
def test_sidecar_people_of_the_wrong_shape_are_problems_naming_the_field(tmp_path, sidecar, expected):
    source = make_inbox(tmp_path, {"2026-05-14/a.vtt": VTT, "2026-05-14/a.meta.json": json.dumps(sidecar)})
    result = scan(source)
    (recording,) = result.recordings
    assert (recording.organizer, recording.participants) == (None, ())
    assert expected in problems_by_location(result)["2026-05-14/a.meta.json"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"started_at": "next Tuesday"}', "started_at 'next Tuesday' is not an ISO 8601 date-time"),
        ('["title"]', "must be a JSON object, got list"),
        (b'{"title": "Caf\xe9"}', "is not valid UTF-8 (byte offset 14)"),
    ],
)
def test_other_unusable_sidecars_are_problems_with_the_reason(tmp_path, content, expected):
    source = make_inbox(tmp_path, {"2026-05-14/a.vtt": VTT, "2026-05-14/a.meta.json": content})
    result = scan(source)
    assert len(result.recordings) == 1
    assert expected in problems_by_location(result)["2026-05-14/a.meta.json"]


def test_file_with_unsupported_extension_is_a_problem(tmp_path):
    source = make_inbox(
        tmp_path,
        {
            "2026-05-14/a.vtt": VTT,
            "2026-05-14/recording.mp4": b"\x00\x00",
            "2026-05-14/README": "x",
        },
    )
    result = scan(source)
    assert [r.filename for r in result.recordings] == ["a.vtt"]
    problems = problems_by_location(result)
    assert problems["2026-05-14/recording.mp4"].startswith("unsupported file type '.mp4'; transcripts must be")
    assert problems["2026-05-14/README"].startswith("unsupported file type '(no extension)'")


def test_empty_transcript_file_is_a_problem_and_not_ingested(tmp_path):
    source = make_inbox(
        tmp_path,
        {
            "2026-05-14/a.vtt": VTT,
            "2026-05-14/empty.vtt": b"",
            "2026-05-14/empty.meta.json": "{}",
        },
    )
    result = scan(source)
    assert [r.filename for r in result.recordings] == ["a.vtt"]
    assert problems_by_location(result) == {"2026-05-14/empty.vtt": "is empty (0 bytes); nothing to ingest"}


def test_transcripts_sharing_a_stem_are_both_refused_and_each_reported(tmp_path):
    source = make_inbox(
        tmp_path,
        {
            "2026-05-14/a.vtt": VTT,
            "2026-05-14/a.json": "[]",
            "2026-05-14/a.meta.json": "{}",
            "2026-05-14/b.txt": "Ana: hi\n",
        },
    )
    result = scan(source)
    assert [r.filename for r in result.recordings] == ["b.txt"]
    problems = problems_by_location(result)
    assert set(problems) == {"2026-05-14/a.json", "2026-05-14/a.vtt"}
    assert "several transcripts share the name 'a' (a.json, a.vtt)" in problems["2026-05-14/a.vtt"]


def test_sidecar_without_transcript_is_a_problem(tmp_path):
    source = make_inbox(tmp_path, {"2026-05-14/a.vtt": VTT, "2026-05-14/lost.meta.json": "{}"})
    result = scan(source)
    assert len(result.recordings) == 1
    assert problems_by_location(result) == {
        "2026-05-14/lost.meta.json": "metadata sidecar without a transcript named lost.vtt, .txt or .json"
    }


def test_sidecar_is_never_taken_for_a_json_transcript(tmp_path):
    source = make_inbox(tmp_path, {"2026-05-14/a.json": "[]", "2026-05-14/a.meta.json": '{"title": "A"}'})
    result = scan(source)
    assert [(r.filename, r.transcript_format, r.title) for r in result.recordings] == [("a.json", "json", "A")]


def test_folders_inside_a_day_are_problems_and_hidden_entries_are_ignored(tmp_path):
    source = make_inbox(
        tmp_path,
        {"2026-05-14/a.vtt": VTT, "2026-05-14/.DS_Store": b"\x00", "2026-05-14/old/b.vtt": VTT, ".git/config": "x"},
    )
    result = scan(source)
    assert [r.filename for r in result.recordings] == ["a.vtt"]
    assert set(problems_by_location(result)) == {"2026-05-14/old"}


def test_meeting_ids_are_slugs_with_a_digest_when_the_stem_is_not_already_a_slug(tmp_path):
    source = make_inbox(
        tmp_path,
        {"2026-05-14/Acme Call.vtt": VTT, "2026-05-14/acme_call.vtt": VTT, "2026-05-14/acme-call.vtt": VTT},
    )
    ids = [r.meeting_id for r in scan(source).recordings]
    assert len(set(ids)) == 3
    assert "inbox-20260514-acme-call" in ids
    assert all(i.startswith("inbox-20260514-acme-call") for i in ids)
    assert all(i == i.lower() and " " not in i and "_" not in i for i in ids)


def test_meeting_ids_do_not_change_when_other_files_arrive(tmp_path):
    source = make_inbox(tmp_path, {"2026-05-14/Zürich Call.vtt": VTT})
    before = scan(source).recordings[0].meeting_id
    make_inbox(tmp_path, {"2026-05-14/zurich-call.vtt": VTT, "2026-05-14/Zurich_Call.vtt": VTT})
    after = {r.filename: r.meeting_id for r in scan(source).recordings}
    assert after["Zürich Call.vtt"] == before
    assert len(set(after.values())) == 3


def test_meeting_id_includes_the_day_and_is_bounded_in_length():
    long_stem = "quarterly business review " * 10
    first, second = inbox_meeting_id(DAY, long_stem), inbox_meeting_id(DAY + dt.timedelta(days=1), long_stem)
    assert first.startswith("inbox-20260514-") and second.startswith("inbox-20260515-")
    assert len(first) <= len("inbox-20260514-") + 60


def test_misnamed_folder_with_a_recognisable_date_is_reported_on_that_day_only(tmp_path):
    source = make_inbox(tmp_path, {"2026-5-14/a.vtt": VTT, "2026-05-14/b.vtt": VTT, "2026-05-20/c.vtt": VTT})
    on_day = scan(source)
    assert [r.filename for r in on_day.recordings] == ["b.vtt"]
    assert "looks like 2026-05-14" in problems_by_location(on_day)["2026-5-14"]
    assert scan(source, dt.date(2026, 5, 20)).problems == ()


def test_entries_with_no_recognisable_date_are_reported_in_every_scan(tmp_path):
    source = make_inbox(tmp_path, {"misc/a.vtt": VTT, "loose.vtt": VTT, "2026-13-45/x.vtt": VTT})
    for day in (DAY, dt.date(2026, 1, 1)):
        problems = problems_by_location(scan(source, day))
        assert set(problems) == {"misc", "loose.vtt", "2026-13-45"}
        assert "folder name is not a YYYY-MM-DD date" in problems["misc"]
        assert "file is not inside a YYYY-MM-DD folder" in problems["loose.vtt"]


def test_misplaced_entries_and_days_present_describe_the_inbox_root(tmp_path):
    source = make_inbox(
        tmp_path,
        {
            "20260514 call/a.vtt": VTT,
            "2026-05-15/b.vtt": VTT,
            "2026-05-14/c.vtt": VTT,
            "notes.txt": "x",
        },
    )
    assert source.days_present() == (DAY, dt.date(2026, 5, 15))
    assert source.misplaced_entries() == (
        MisplacedEntry(relative_path="20260514 call", kind="folder", guessed_day=DAY),
        MisplacedEntry(relative_path="notes.txt", kind="file", guessed_day=None),
    )


def test_unknown_timezone_is_a_configuration_error(tmp_path):
    with pytest.raises(ConfigurationError, match="unknown timezone 'Mars/Olympus'"):
        scan(make_inbox(tmp_path, {"2026-05-14/a.vtt": VTT}), timezone="Mars/Olympus")


def test_scans_are_deterministic(tmp_path):
    source = make_inbox(
        tmp_path,
        {
            "2026-05-14/b.vtt": VTT,
            "2026-05-14/a.txt": "Ana: x\n",
            "2026-05-14/z.doc": "x",
            "2026-05-14/c.meta.json": "{}",
        },
    )
    first, second = scan(source), scan(source)
    assert first == second
    assert [p.location for p in first.problems] == sorted(p.location for p in first.problems)


def test_file_named_like_a_day_is_reported_once_as_misplaced(tmp_path):
    source = make_inbox(tmp_path, {"2026-05-14": "Ana: hi\n"})
    result = scan(source)
    assert result.recordings == ()
    assert [p.location for p in result.problems] == ["2026-05-14"]
    assert "file is not inside a YYYY-MM-DD folder" in result.problems[0].problem
