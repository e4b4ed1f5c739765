"""Export file names that are safe on every filesystem and object store, whatever text the id holds.

A name is lower-case ASCII letters, digits, '-', '_' and one '.' before the extension, at most
MAX_STEM characters before it, never a Windows device name (CON, NUL, COM1...), never hidden.
An id that is already safe keeps its name; any other id gets a short hash of the original appended,
so two different ids can never share a file name after cleaning.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from bridge_pipeline.errors import BadInputError
from bridge_pipeline.models import ContractDraft

EXTENSIONS = {"docx": "docx", "pdf": "pdf", "md": "md", "json": "json"}
MAX_STEM = 100
_HASH_LENGTH = 10
_UNSAFE_RUN = re.compile(r"[^a-z0-9_-]+")
# Letters that Unicode does not decompose into an ASCII base letter plus accents.
_LATIN_EXTRAS = str.maketrans(
    {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss", "Æ": "AE", "æ": "ae",
     "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "ı": "i"}
)
_WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$", "clock$"]
    + [f"com{n}" for n in range(10)]
    + [f"lpt{n}" for n in range(10)]
)


def safe_stem(text: str) -> str:
    """`text` reduced to a safe, stable file-name stem (no extension)."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRAS)).encode("ascii", "ignore").decode("ascii").lower()
    stem = _UNSAFE_RUN.sub("-", ascii_text).strip("-_")
    stem = re.sub(r"-{2,}", "-", stem)
    changed = stem != text
    if not stem:
        stem, changed = "document", True
    if stem in _WINDOWS_DEVICES:
        changed = True
    if changed or len(stem) > MAX_STEM:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LENGTH]
        stem = f"{stem[: MAX_STEM - _HASH_LENGTH - 1].rstrip('-_')}-{digest}"
    return stem


def export_filename(document_id: str, fmt: str) -> str:
    """'<safe stem>.<extension>' for one export format ('docx', 'pdf', 'md' or 'json')."""
    extension = EXTENSIONS.get(fmt)
    if extension is None:
        raise BadInputError(f"document {document_id!r}", f"unknown export format {fmt!r}; expected one of {sorted(EXTENSIONS)}")
    return f"{safe_stem(document_id)}.{extension}"


def draft_document_id(draft: ContractDraft) -> str:
    """The id a draft's exports are named by: the draft id for version 1, '<draft id>-v<N>' after that.

    Every version of a draft shares its draft id; the suffix keeps one version's files from replacing another's.
    """
    return draft.draft_id if draft.version == 1 else f"{draft.draft_id}-v{draft.version}"
