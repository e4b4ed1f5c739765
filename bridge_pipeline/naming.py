"""Turns free text (file stems, titles, meeting ids) into ids and file names that are safe everywhere.

Slugs are ASCII lowercase letters, digits and single dashes, so they survive URLs, S3 keys, SQL,
Windows and macOS file systems alike. Accented letters are transliterated ("Zürich" -> "zurich"),
letters with no ASCII form are dropped, and a slug is never empty.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

DEFAULT_SLUG_MAX_LEN = 60
DEFAULT_FILENAME_MAX_LEN = 120

# Letters that Unicode decomposition leaves alone but that have a customary ASCII spelling.
_EXTRA_TRANSLITERATIONS = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
        "&": " and ",
    }
)

_NOT_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_SLUG_FORM = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,10}")

# Names Windows refuses as a file name whatever the extension ("con.docx" cannot be created).
_WINDOWS_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}
)


def to_ascii(text: str) -> str:
    """Transliterate to ASCII where a customary spelling exists; drop what has none."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_TRANSLITERATIONS))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def slugify(text: str, max_len: int = DEFAULT_SLUG_MAX_LEN, *, fallback: str = "untitled") -> str:
    """Lowercase ASCII a-z, 0-9 and single dashes, at most max_len long, never empty.

    Long slugs are cut at a dash when one is near the limit, so words stay whole.
    """
    if max_len < 1:
        raise ValueError(f"max_len must be at least 1, got {max_len}")
    slug = _NOT_SLUG_CHARS.sub("-", to_ascii(text).lower()).strip("-")
    if len(slug) > max_len:
        cut = slug[:max_len]
        last_dash = cut.rfind("-")
        # Only back off to a word boundary when it keeps most of the slug.
        slug = cut[:last_dash] if last_dash >= max_len // 2 else cut
        slug = slug.strip("-")
    if slug:
        return slug
    fallback_slug = _NOT_SLUG_CHARS.sub("-", to_ascii(fallback).lower()).strip("-")[:max_len].strip("-")
    return fallback_slug or "x"


def is_slug(text: str) -> bool:
    """True when text is already in slug form (what slugify would return for it, length aside)."""
    return _SLUG_FORM.fullmatch(text) is not None


def short_digest(text: str, length: int = 8) -> str:
    """A short, stable hex digest of text, for telling apart names that slugify alike."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def safe_filename(name: str, max_len: int = DEFAULT_FILENAME_MAX_LEN) -> str:
    """A portable file name for `name`, at most max_len characters: "Acme NDA (v2).DOCX" -> "acme-nda-v2.docx".

    A short alphanumeric part after the last dot is kept, lowercased, as the extension; everything
    before it becomes a slug. Names Windows reserves (con, nul, com1...) get a "-file" suffix so the
    result can be created on any system.
    """
    stem, extension = _split_extension(name)
    suffix = f".{extension}" if extension else ""
    stem_budget = max_len - len(suffix)
    if stem_budget < 1:
        raise ValueError(f"max_len {max_len} leaves no room for a name before {suffix!r}")
    safe_stem = slugify(stem, stem_budget)
    if safe_stem in _WINDOWS_RESERVED_NAMES:
        safe_stem = slugify(f"{safe_stem}-file", stem_budget)
    return f"{safe_stem}{suffix}"


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, extension = name.strip().rpartition(".")
    if dot and stem.strip() and _EXTENSION.fullmatch(extension):
        return stem, extension.lower()
    return name, ""
