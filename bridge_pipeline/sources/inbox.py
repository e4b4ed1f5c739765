"""The local inbox source: transcript files dropped into one folder per day, no credentials needed.

Layout:

    <inbox>/<YYYY-MM-DD>/<name>.vtt | .txt | .json     a transcript (format from the extension)
    <inbox>/<YYYY-MM-DD>/<name>.meta.json              optional metadata for <name>

Sidecar fields, all optional: `title` (str), `started_at` (ISO 8601 str; naive times are read in the
timezone passed to the scan; stored converted to UTC), `organizer` (a person) and `participants` (a list
of persons). A person is a name string or an object in one of these shapes, as exported by the
meeting services (other keys are ignored):

    {"name": ..., "email": ...}                           either key may be missing
    {"name": ..., "user_email": ...}                      Zoom participants
    {"emailAddress": {"name": ..., "address": ...}}       Graph event organizer and attendees
    {"identity": {"user": {"displayName": ...}}, "upn": ...}   Graph online meeting participants

Objects are stored as their name, or their address when the name is missing or blank; an object with
none of these keys, or a value of the wrong type, is a wrong field.

Rules (each file or folder that cannot be used becomes an IngestProblem; the rest of the day goes on):
- meeting ids are `inbox-<YYYYMMDD>-<stem>` when the stem is already a slug of at most 60 characters,
  otherwise `inbox-<YYYYMMDD>-<slug of stem>-<8 hex digest of stem>`. The digest keeps ids unique
  when different stems slugify alike ("Acme Call" and "acme_call") without making one file's id depend
  on which other files exist, so ids never change when files are added.
- a bad sidecar (not JSON, not an object, unknown keys, wrong types, unreadable date) is ignored as a
  whole: the transcript is still ingested with default metadata, and the problem lists what is wrong.
- two transcripts with the same stem (`a.vtt` and `a.json`): neither is ingested. Picking one would
  depend on extension order, not on which file is right; the operator removes or renames one.
- empty (0-byte) transcripts, unsupported extensions, sidecars without a transcript, and folders
  inside a day folder are problems. Hidden entries (names starting with ".") and files still being
  copied in (`.part`, `.tmp`, `.partial`, `.crdownload`) are ignored.
- entries of the inbox root that are not `YYYY-MM-DD` folders cannot belong to a day. When their name
  still holds a date (`2026-5-14`, `20260514`, `2026_05_14 call`) the problem is reported in that day's
  scan only; otherwise in every scan, until the entry is moved. `misplaced_entries()` lists them all.
- a day without a folder, or an inbox folder that does not exist yet, gives an empty scan.
Recordings come out sorted by file name, problems by location.

Watching the inbox (`list_day_files`, `InboxCursor`, `advance_inbox`; the inbox sensor is a thin wrapper):
each poll lists the files of the day folders of the last `lookback_days` days (and any later day) with
their size and modification time, and compares them with the cursor, which holds one entry per file:
- a file is taken as complete once two polls in a row saw the same size and modification time (and it
  is not empty), or at the first poll that sees it when it was last modified at least `SETTLED_AFTER_S`
  before that poll (nothing has written to it since, so waiting a poll more would only add latency); until
  then it is `pending`. Its availability time is the poll that first saw that final size and time;
- a complete file whose content digest differs from the version last requested asks for its day;
  the same content (a file touched, or put back) asks for nothing;
- a complete file of a day that is not a partition (before the start date, or ahead of the clock) is
  `held`: reported once, and its day is requested when it becomes a partition;
- a file that disappears after its day was requested is kept as `deleted` and reported, and asks
  for nothing: a run of a day without the file would remove that meeting's rows and exports, so the
  sensor leaves that to the next run of the day (another file, the daily schedule, or by hand) and
  names the deleted files when it requests that day. A file that was never requested is just dropped;
- entries of days that leave the look-back window are dropped, which keeps the cursor small.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from bridge_pipeline.errors import BadInputError, ConfigurationError
from bridge_pipeline.models import IngestProblem, Recording, SourceName, TranscriptFormat
from bridge_pipeline.naming import is_slug, short_digest, slugify
from bridge_pipeline.sources.days import zone_named as _zone
from bridge_pipeline.sources.base import SourceScan

SIDECAR_SUFFIX = ".meta.json"
TRANSCRIPT_FORMATS: dict[str, TranscriptFormat] = {".vtt": "vtt", ".txt": "txt", ".json": "json"}
MEETING_SLUG_MAX_LEN = 60
_DIGEST_LEN = 8
# Names copiers and browsers give a file while it is still being written; the final name comes with a rename.
PARTIAL_SUFFIXES = (".part", ".tmp", ".partial", ".crdownload")

_DAY_FOLDER = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_WITH_SEPARATORS = re.compile(r"(?<!\d)(\d{4})([-_./])(\d{1,2})\2(\d{1,2})(?!\d)")
_DATE_DIGITS_ONLY = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")


@dataclass(frozen=True)
class MisplacedEntry:
    """Something in the inbox root that is not a day folder."""

    relative_path: str
    kind: Literal["folder", "file"]
    guessed_day: dt.date | None  # the day its name suggests, if any

    def describe(self) -> str:
        if self.kind == "folder":
            what = "folder name is not a YYYY-MM-DD date, so nothing in it is ingested"
        else:
            what = "file is not inside a YYYY-MM-DD folder, so it is not ingested"
        if self.guessed_day is None:
            return what
        return f"{what}; it looks like {self.guessed_day.isoformat()}: rename or move it into that day's folder"


_PERSON_KEYS = ("name", "email", "user_email", "emailAddress", "identity")
_IDENTITY_KINDS = ("user", "guest", "phone", "application", "device")


def _person_name(value: object) -> str:
    """The name of a person given as a string or an object (see the module docstring); the address when no name."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError("person_type", "input should be a valid string or an object with name and/or email")
    if not any(key in value for key in _PERSON_KEYS):
        raise PydanticCustomError(
            "person_keys",
            "object should have a name and/or an email (or Graph's emailAddress or identity, or Zoom's user_email)",
        )
    names = [_person_text(value, "name")]
    addresses = [_person_text(value, "email"), _person_text(value, "user_email")]
    if "emailAddress" in value:  # Graph events: organizer and attendees
        graph = _person_object(value, "emailAddress")
        if "name" not in graph and "address" not in graph:
            raise PydanticCustomError("person_keys", "emailAddress should have a name and/or an address")
        names.append(_person_text(graph, "name", "emailAddress.name"))
        addresses.append(_person_text(graph, "address", "emailAddress.address"))
    if "identity" in value:  # Graph online meetings: {"identity": {"user": {"displayName": ...}}, "upn": ...}
        identity = _person_object(value, "identity")
        # Graph lists the identity kinds that do not apply as null.
        for kind in (k for k in _IDENTITY_KINDS if identity.get(k) is not None):
            who = _person_object(identity, kind, f"identity.{kind}")
            names.append(_person_text(who, "displayName", f"identity.{kind}.displayName"))
        addresses.append(_person_text(value, "upn"))
    return next((name.strip() for name in names if name.strip()), "") or next((a for a in addresses if a.strip()), "")


def _person_text(value: dict, key: str, label: str | None = None) -> str:
    part = value.get(key)
    if part is not None and not isinstance(part, str):
        raise PydanticCustomError("person_part", "{key} should be a valid string or null", {"key": label or key})
    return part or ""


def _person_object(value: dict, key: str, label: str | None = None) -> dict:
    part = value.get(key)
    if not isinstance(part, dict):
        raise PydanticCustomError("person_part", "{key} should be an object", {"key": label or key})
    return part


_Person = Annotated[str, PlainValidator(_person_name)]


class _Sidecar(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    title: str | None = None
    started_at: str | None = None
    organizer: _Person | None = None
    participants: list[_Person] | None = None


@dataclass(frozen=True)
class _Metadata:
    title: str | None = None
    started_at: dt.datetime | None = None
    organizer: str | None = None
    participants: tuple[str, ...] = ()


class InboxSource:
    """Reads `<inbox>/<YYYY-MM-DD>/` folders; see the module docstring for the rules."""

    name: SourceName = "inbox"

    def __init__(self, inbox_dir: Path):
        self.inbox_dir = Path(inbox_dir)

    def day_folder(self, day: dt.date) -> Path:
        return self.inbox_dir / day.isoformat()

    def days_present(self) -> tuple[dt.date, ...]:
        """Days that have a correctly named folder, oldest first."""
        return tuple(sorted(day for entry in self._root_entries() if (day := _day_of_folder(entry)) is not None))

    def misplaced_entries(self) -> tuple[MisplacedEntry, ...]:
        misplaced = []
        for entry in self._root_entries():
            if _day_of_folder(entry) is not None:
                continue
            misplaced.append(
                MisplacedEntry(
                    relative_path=entry.name,
                    kind="folder" if entry.is_dir() else "file",
                    guessed_day=guess_day_from_name(entry.name),
                )
            )
        return tuple(misplaced)

    def recordings_for_day(self, day: dt.date, timezone: str) -> SourceScan:
        zone = _zone(timezone)
        problems = [
            self._problem(day, entry.relative_path, entry.describe())
            for entry in self.misplaced_entries()
            if entry.guessed_day in (None, day)
        ]
        folder = self.day_folder(day)
        # A plain file named like the day is already reported above as a misplaced entry.
        recordings = self._scan_day_folder(day, folder, zone, problems) if folder.is_dir() else []
        return SourceScan(
            recordings=tuple(sorted(recordings, key=lambda recording: recording.filename)),
            problems=tuple(sorted(problems, key=lambda problem: (problem.location, problem.problem))),
        )

    # --- one day ---------------------------------------------------------------------------------

    def _scan_day_folder(
        self, day: dt.date, folder: Path, zone: ZoneInfo, problems: list[IngestProblem]
    ) -> list[Recording]:
        transcripts: dict[str, list[Path]] = {}
        sidecars: dict[str, Path] = {}
        for entry in sorted(folder.iterdir(), key=lambda path: path.name):
            if is_in_transit(entry.name):
                continue
            if entry.is_dir():
                problems.append(
                    self._problem(
                        day,
                        self._relative(entry),
                        "is a folder inside a day folder; only files directly in it are read",
                    )
                )
            elif entry.name.lower().endswith(SIDECAR_SUFFIX):
                sidecars[entry.name[: -len(SIDECAR_SUFFIX)]] = entry
            elif entry.suffix.lower() in TRANSCRIPT_FORMATS:
                transcripts.setdefault(entry.stem, []).append(entry)
            else:
                supported = ", ".join(sorted(TRANSCRIPT_FORMATS))
                kind = entry.suffix or "(no extension)"
                problems.append(
                    self._problem(
                        day, self._relative(entry), f"unsupported file type {kind!r}; transcripts must be {supported}"
                    )
                )

        for stem, sidecar in sidecars.items():
            if stem not in transcripts:
                problems.append(
                    self._problem(
                        day,
                        self._relative(sidecar),
                        f"metadata sidecar without a transcript named {stem}.vtt, .txt or .json",
                    )
                )

        recordings = []
        for stem, paths in transcripts.items():
            if len(paths) > 1:
                names = ", ".join(path.name for path in paths)
                for path in paths:
                    problems.append(
                        self._problem(
                            day,
                            self._relative(path),
                            f"several transcripts share the name {stem!r} ({names}); "
                            "none of them is ingested until only one is left",
                        )
                    )
                continue
            recording = self._recording(day, paths[0], sidecars.get(stem), zone, problems)
            if recording is not None:
                recordings.append(recording)
        return recordings

    def _recording(
        self, day: dt.date, path: Path, sidecar: Path | None, zone: ZoneInfo, problems: list[IngestProblem]
    ) -> Recording | None:
        relative = self._relative(path)
        try:
            content = path.read_bytes()
        except OSError as exc:
            problems.append(self._problem(day, relative, f"could not be read: {exc.strerror or exc}"))
            return None
        if not content:
            problems.append(self._problem(day, relative, "is empty (0 bytes); nothing to ingest"))
            return None

        metadata = _Metadata()
        if sidecar is not None:
            try:
                metadata = read_sidecar(sidecar, zone)
            except BadInputError as exc:
                problems.append(
                    self._problem(
                        day,
                        self._relative(sidecar),
                        f"{exc.problem}; the sidecar was ignored and {path.name} ingested with default metadata",
                    )
                )

        return Recording(
            source="inbox",
            source_id=relative,
            meeting_id=inbox_meeting_id(day, path.stem),
            partition_date=day,
            filename=path.name,
            transcript_format=TRANSCRIPT_FORMATS[path.suffix.lower()],
            content=content,
            content_sha256=hashlib.sha256(content).hexdigest(),
            title=metadata.title or title_from_stem(path.stem),
            started_at=metadata.started_at,
            organizer=metadata.organizer,
            participants=metadata.participants,
        )

    # --- helpers ---------------------------------------------------------------------------------

    def _root_entries(self) -> list[Path]:
        if not self.inbox_dir.is_dir():
            return []
        visible = (entry for entry in self.inbox_dir.iterdir() if not entry.name.startswith("."))
        return sorted(visible, key=lambda entry: entry.name)

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.inbox_dir).as_posix()

    @staticmethod
    def _problem(day: dt.date, location: str, problem: str) -> IngestProblem:
        return IngestProblem(partition_date=day, stage="raw_recordings", location=location, problem=problem)


def inbox_meeting_id(day: dt.date, stem: str) -> str:
    """Stable, filesystem-safe meeting id; see the module docstring for why non-slug stems get a digest."""
    if is_slug(stem) and len(stem) <= MEETING_SLUG_MAX_LEN:
        slug = stem
    else:
        slug = f"{slugify(stem, MEETING_SLUG_MAX_LEN - _DIGEST_LEN - 1)}-{short_digest(stem, _DIGEST_LEN)}"
    return f"inbox-{day:%Y%m%d}-{slug}"


def title_from_stem(stem: str) -> str:
    return " ".join(stem.replace("-", " ").replace("_", " ").split()) or stem


def guess_day_from_name(name: str) -> dt.date | None:
    """The date a misnamed folder or file seems to mean, e.g. "2026-5-14" or "20260514 call"."""
    for pattern, groups in ((_DATE_WITH_SEPARATORS, (1, 3, 4)), (_DATE_DIGITS_ONLY, (1, 2, 3))):
        for match in pattern.finditer(name):
            year, month, day = (int(match.group(group)) for group in groups)
            try:
                return dt.date(year, month, day)
            except ValueError:
                continue
    return None


def read_sidecar(path: Path, zone: ZoneInfo) -> _Metadata:
    """The sidecar's metadata; BadInputError saying everything that is wrong with it otherwise."""

    def bad(problem: str) -> BadInputError:
        return BadInputError(location=path.name, problem=problem)

    try:
        raw = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise bad(f"could not be read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise bad(f"is not valid UTF-8 (byte offset {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise bad(f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    if not isinstance(raw, dict):
        raise bad(f"must be a JSON object, got {type(raw).__name__}")
    try:
        sidecar = _Sidecar.model_validate(raw)
    except ValidationError as exc:
        raise bad("has wrong fields: " + "; ".join(_describe_field_error(error) for error in exc.errors())) from exc

    started_at = None
    if sidecar.started_at is not None:
        try:
            started_at = dt.datetime.fromisoformat(sidecar.started_at.strip())
        except ValueError as exc:
            raise bad(f"has wrong fields: started_at {sidecar.started_at!r} is not an ISO 8601 date-time") from exc
        if started_at.tzinfo is None:
            started_at = started_at.replace(tzinfo=zone)
        started_at = started_at.astimezone(dt.timezone.utc)

    participants = tuple(name.strip() for name in sidecar.participants or () if name.strip())
    return _Metadata(
        title=(sidecar.title or "").strip() or None,
        started_at=started_at,
        organizer=(sidecar.organizer or "").strip() or None,
        participants=participants,
    )


def _describe_field_error(error: ErrorDetails) -> str:
    location = str(error["loc"][0]) + "".join(f"[{part}]" for part in error["loc"][1:])
    if error["type"] == "extra_forbidden":
        known = ", ".join(_Sidecar.model_fields)
        return f"{location}: unknown field (known fields: {known})"
    # Only the first letter: pydantic capitalises its messages, but field names such as emailAddress keep their case.
    message = error["msg"][:1].lower() + error["msg"][1:]
    return f"{location}: {message}, got {error['input']!r}"


def _day_of_folder(entry: Path) -> dt.date | None:
    if not entry.is_dir() or not _DAY_FOLDER.fullmatch(entry.name):
        return None
    try:
        return dt.date.fromisoformat(entry.name)
    except ValueError:
        return None


# --- watching the inbox for the sensor ------------------------------------------------------------

WATCH_CURSOR_VERSION = 1
FILE_DIGEST_LEN = 16
DEFAULT_LOOKBACK_DAYS = 7
# The digest of a complete file that cannot be read: its day is still requested, so the run reports it.
UNREADABLE = "unreadable"

FileStatus = Literal["pending", "ready", "held", "deleted"]


POLL_SECONDS_VARIABLE = "BRIDGE_INBOX_POLL_SECONDS"
LOOKBACK_DAYS_VARIABLE = "BRIDGE_INBOX_LOOKBACK_DAYS"
DEFAULT_POLL_SECONDS = 5
# A file untouched this long when a poll first sees it is complete: writers update the modification time as
# they write, and a copy that stalls longer than this is still caught, as its size or digest then changes.
SETTLED_AFTER_S = 2.0


@dataclass(frozen=True)
class InboxWatchSettings:
    poll_seconds: int = DEFAULT_POLL_SECONDS
    lookback_days: int = DEFAULT_LOOKBACK_DAYS


def inbox_watch_settings(env: Mapping[str, str]) -> InboxWatchSettings:
    """How often the inbox sensor polls and how many past days' folders it watches, from `env`."""
    return InboxWatchSettings(
        poll_seconds=_whole_number(env, POLL_SECONDS_VARIABLE, DEFAULT_POLL_SECONDS, minimum=1),
        lookback_days=_whole_number(env, LOOKBACK_DAYS_VARIABLE, DEFAULT_LOOKBACK_DAYS, minimum=0),
    )


def _whole_number(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ConfigurationError(f"{name}={text!r} is not a whole number") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {value}")
    return value


def is_in_transit(name: str) -> bool:
    """Hidden files and files still being copied in; neither the scan nor the sensor reads them."""
    return name.startswith(".") or name.lower().endswith(PARTIAL_SUFFIXES)


@dataclass(frozen=True)
class InboxFile:
    """One file of a day folder as a listing saw it."""

    path: str  # "<YYYY-MM-DD>/<name>", relative to the inbox
    day: dt.date
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class WatchedFile:
    """A file as the sensor's cursor remembers it.

    `digest` is, when `pending`, the digest of the version last requested (None if none was); when
    `ready`, of the current version, which was requested; when `held`, of the current version, not
    requested yet; when `deleted`, of the version last requested. `since` is, for `pending`, when the
    current size and time were first seen; for `ready` and `held`, when the complete file was first
    seen; for `deleted`, when the file was missed.
    """

    status: FileStatus
    since: dt.datetime
    size: int | None = None
    mtime_ns: int | None = None
    digest: str | None = None


@dataclass(frozen=True)
class InboxCursor:
    files: Mapping[str, WatchedFile] = field(default_factory=dict)

    def to_json(self) -> str:
        # One short list per file: the cursor is stored with every tick of a sensor that polls every few seconds.
        return json.dumps(
            {
                "version": WATCH_CURSOR_VERSION,
                "files": {
                    path: [f.status, f.size, f.mtime_ns, f.digest, _iso_utc(f.since)]
                    for path, f in sorted(self.files.items())
                },
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | None) -> tuple[InboxCursor, str | None]:
        """The cursor a string holds, and a problem when it could not be read (then every file is new again)."""
        if not text:
            return cls(), None
        try:
            raw = json.loads(text)
            if raw.get("version") != WATCH_CURSOR_VERSION:
                raise ValueError(f"cursor version {raw.get('version')!r}")
            files = {}
            for path, (status, size, mtime_ns, digest, since) in raw["files"].items():
                if status not in ("pending", "ready", "held", "deleted"):
                    raise ValueError(f"unknown status {status!r}")
                files[path] = WatchedFile(status, _parse_utc(since), size, mtime_ns, digest)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return cls(), f"the inbox cursor could not be read ({exc}); every file is taken as new"
        return cls(files=files), None


@dataclass(frozen=True)
class InboxAdvance:
    """What one poll found: the days to request, the cursor to store, and what to tell the operator."""

    requested: Mapping[dt.date, dt.datetime]  # day -> when its earliest new or changed file was first seen complete
    cursor: InboxCursor
    changed: tuple[str, ...] = ()  # files whose new content asks for their day
    held: tuple[str, ...] = ()  # complete files of days that are not partitions (reported once)
    deleted: tuple[str, ...] = ()  # files that disappeared after their day was requested (reported once)
    removed_by_request: tuple[str, ...] = ()  # deleted files of a requested day: that run removes their exports
    problems: tuple[str, ...] = ()


def file_digest(path: Path, expected_size: int) -> str | None:
    """Short sha256 of the file's content; UNREADABLE when it cannot be read; None when it no longer has
    the listed size (still being written)."""
    try:
        content = path.read_bytes()
    except OSError:
        return UNREADABLE
    if len(content) != expected_size:
        return None
    return hashlib.sha256(content).hexdigest()[:FILE_DIGEST_LEN]


def list_day_files(inbox_dir: Path, *, from_day: dt.date | None = None) -> tuple[InboxFile, ...]:
    """Files directly inside `<inbox>/<YYYY-MM-DD>/` folders of `from_day` or later, sorted by path.

    Hidden and in-transit names, sub-folders and anything outside a day folder are left out (the day's
    scan reports what cannot be used). A file that vanishes while being listed is simply not listed.
    """
    files: list[InboxFile] = []
    inbox = Path(inbox_dir)
    if not inbox.is_dir():
        return ()
    for folder in inbox.iterdir():
        if folder.name.startswith(".") or (day := _day_of_folder(folder)) is None:
            continue
        if from_day is not None and day < from_day:
            continue
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if is_in_transit(entry.name):
                continue
            try:
                if not entry.is_file(follow_symlinks=True):
                    continue
                stat = entry.stat(follow_symlinks=True)
            except OSError:
                continue
            files.append(InboxFile(f"{folder.name}/{entry.name}", day, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(files, key=lambda file: file.path))


def advance_inbox(
    cursor: InboxCursor,
    listing: Iterable[InboxFile],
    *,
    now: dt.datetime,
    from_day: dt.date,
    is_partition: Callable[[dt.date], bool],
    digest_of: Callable[[InboxFile], str | None],
    settled_after_s: float | None = SETTLED_AFTER_S,
) -> InboxAdvance:
    """One poll of the inbox against the cursor (see the module docstring). Pure apart from `digest_of`.

    `listing` holds the files of the days from `from_day` on; cursor entries of earlier days are dropped.
    `settled_after_s` None takes no file as complete at first sight: every file waits for a second poll.
    """
    files: dict[str, WatchedFile] = {}
    requested: dict[dt.date, dt.datetime] = {}
    changed: list[str] = []
    held: list[str] = []
    problems: list[str] = []

    def request(file: InboxFile, since: dt.datetime) -> None:
        requested[file.day] = min(requested.get(file.day, since), since)
        changed.append(file.path)

    listed: set[str] = set()
    for file in listing:
        listed.add(file.path)
        known = cursor.files.get(file.path)
        if known is None or known.status == "deleted" or (known.size, known.mtime_ns) != (file.size, file.mtime_ns):
            # New, back again, or changed: complete now if nothing wrote to it lately, else wait for a poll
            # that sees it unchanged.
            last_requested = known.digest if known is not None and known.status != "held" else None
            known = WatchedFile("pending", now, file.size, file.mtime_ns, last_requested)
            if settled_after_s is None or not _settled(file, now, settled_after_s):
                files[file.path] = known
                continue
        if known.status == "ready":
            files[file.path] = known
            continue
        if known.status == "held":
            if is_partition(file.day):
                request(file, known.since)
                files[file.path] = WatchedFile("ready", known.since, file.size, file.mtime_ns, known.digest)
            else:
                files[file.path] = known
            continue
        # Pending, and unchanged since the previous poll.
        if file.size == 0:
            files[file.path] = known  # created but not written yet
            continue
        digest = digest_of(file)
        if digest is None:
            # It changed while being read: look again at the next poll.
            files[file.path] = WatchedFile("pending", now, file.size, file.mtime_ns, known.digest)
            continue
        if digest == UNREADABLE:
            problems.append(f"{file.path} cannot be read; its day is requested so the run reports it")
        if digest == known.digest:
            files[file.path] = WatchedFile("ready", known.since, file.size, file.mtime_ns, digest)
        elif is_partition(file.day):
            request(file, known.since)
            files[file.path] = WatchedFile("ready", known.since, file.size, file.mtime_ns, digest)
        else:
            held.append(file.path)
            files[file.path] = WatchedFile("held", known.since, file.size, file.mtime_ns, digest)

    deleted: list[str] = []
    for path, known in cursor.files.items():
        if path in listed or _day_of_path(path) is None or _day_of_path(path) < from_day:
            continue  # listed above, or its day left the look-back window
        if known.status == "deleted":
            files[path] = known
        elif known.digest is not None and known.status in ("ready", "pending"):
            # Its day ran with this file: keep that in mind, so its exports are not removed unannounced.
            files[path] = WatchedFile("deleted", now, digest=known.digest)
            deleted.append(path)
        # Otherwise it never reached a run; nothing depends on it.

    # A requested day runs without its deleted files, which removes their exports; say so, and forget them.
    removed = sorted(path for path, f in files.items() if f.status == "deleted" and _day_of_path(path) in requested)
    for path in removed:
        del files[path]

    return InboxAdvance(
        requested=dict(sorted(requested.items())),
        cursor=InboxCursor(files=files),
        changed=tuple(sorted(changed)),
        held=tuple(sorted(held)),
        deleted=tuple(sorted(deleted)),
        removed_by_request=tuple(removed),
        problems=tuple(problems),
    )


def _age_s(mtime_ns: int, now: dt.datetime) -> float:
    """Seconds from a file's last modification to `now` (negative for a time ahead of `now`)."""
    return now.timestamp() - mtime_ns / 1e9


def _settled(file: InboxFile, now: dt.datetime, after_s: float) -> bool:
    """True when the file was last modified at least `after_s` before `now` (never for a future time)."""
    return _age_s(file.mtime_ns, now) >= after_s


def watch_inbox(
    inbox_dir: Path,
    cursor_text: str | None,
    *,
    now: dt.datetime,
    timezone: str,
    is_partition: Callable[[dt.date], bool],
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    settle_wait_s: float = 0.0,
    sleep: Callable[[float], None] = time.sleep,
) -> InboxAdvance:
    """List the inbox and advance the cursor stored as `cursor_text` (what the inbox sensor does each tick).

    With `settle_wait_s`, a file first seen less than `SETTLED_AFTER_S` after its last write is not left for
    the next poll: when it settles within `settle_wait_s`, the poll sleeps until then and looks again, so a
    transcript renamed in just before a poll is requested by that poll, not one poll later.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    cursor, problem = InboxCursor.from_json(cursor_text)
    from_day = now.astimezone(_zone(timezone)).date() - dt.timedelta(days=lookback_days)
    inbox = Path(inbox_dir)

    def poll(cursor: InboxCursor, at: dt.datetime) -> InboxAdvance:
        return advance_inbox(
            cursor,
            list_day_files(inbox, from_day=from_day),
            now=at,
            from_day=from_day,
            is_partition=is_partition,
            digest_of=lambda file: file_digest(inbox / file.path, file.size),
        )

    advance = poll(cursor, now)
    wait = _until_settled(advance.cursor, now)
    if wait is not None and wait <= settle_wait_s:
        sleep(wait)
        advance = _merged(advance, poll(advance.cursor, now + dt.timedelta(seconds=wait)))
    if problem is None:
        return advance
    return replace(advance, problems=(problem, *advance.problems))


def _until_settled(cursor: InboxCursor, now: dt.datetime) -> float | None:
    """Seconds until every non-empty file this poll first saw as still being written has been left alone
    `SETTLED_AFTER_S`; None when there is none."""
    ages = [
        _age_s(file.mtime_ns, now)
        for file in cursor.files.values()
        if file.status == "pending" and file.since == now and file.size
    ]
    if not ages:
        return None
    return max(0.0, SETTLED_AFTER_S - min(ages))


def _merged(first: InboxAdvance, second: InboxAdvance) -> InboxAdvance:
    """Two polls of one tick as one: the second poll's cursor, everything either found."""
    requested = dict(first.requested)
    for day, since in second.requested.items():
        requested[day] = min(requested.get(day, since), since)

    def both(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({*a, *b}))

    return InboxAdvance(
        requested=dict(sorted(requested.items())),
        cursor=second.cursor,
        changed=both(first.changed, second.changed),
        held=both(first.held, second.held),
        deleted=both(first.deleted, second.deleted),
        removed_by_request=both(first.removed_by_request, second.removed_by_request),
        problems=both(first.problems, second.problems),
    )


def _day_of_path(path: str) -> dt.date | None:
    folder = path.split("/", 1)[0]
    if not _DAY_FOLDER.fullmatch(folder):
        return None
    try:
        return dt.date.fromisoformat(folder)
    except ValueError:
        return None


def _iso_utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.timezone.utc).isoformat()


def _parse_utc(text: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
