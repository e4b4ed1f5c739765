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
  inside a day folder are problems. Hidden entries (names starting with ".") are ignored.
- entries of the inbox root that are not `YYYY-MM-DD` folders cannot belong to a day. When their name
  still holds a date (`2026-5-14`, `20260514`, `2026_05_14 call`) the problem is reported in that day's
  scan only; otherwise in every scan, until the entry is moved. `misplaced_entries()` lists them all.
- a day without a folder, or an inbox folder that does not exist yet, gives an empty scan.
Recordings come out sorted by file name, problems by location.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from bridge_pipeline.errors import BadInputError, ConfigurationError
from bridge_pipeline.models import IngestProblem, Recording, SourceName, TranscriptFormat
from bridge_pipeline.naming import is_slug, short_digest, slugify
from bridge_pipeline.sources.base import SourceScan

SIDECAR_SUFFIX = ".meta.json"
TRANSCRIPT_FORMATS: dict[str, TranscriptFormat] = {".vtt": "vtt", ".txt": "txt", ".json": "json"}
MEETING_SLUG_MAX_LEN = 60
_DIGEST_LEN = 8

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
            if entry.name.startswith("."):
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


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigurationError(
            f"unknown timezone {timezone!r}; use an IANA name such as 'UTC' or 'Europe/Berlin'"
        ) from exc
