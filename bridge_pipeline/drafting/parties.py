"""Recognising the same organisation under different spellings, and whether a name looks like a legal name."""

from __future__ import annotations

import re
import unicodedata

from bridge_pipeline.extraction import parties as legal_forms

# Legal-form words, compared after punctuation is removed and case folded: the forms extraction
# recognises in speech, plus the spelled-out words people also write. Longer forms first so "sp z o o"
# is stripped before a lone "o" could match anything.
_SPELLED_OUT_FORMS = ("s a r l", "limited liability company", "incorporated", "corporation", "limited", "company", "kg", "lp", "co", "pte")


def plain_words(name: str) -> str:
    """Lower-case ASCII words only: the form names and quotes are compared in."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").casefold()
    folded = folded.replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


LEGAL_SUFFIXES: tuple[str, ...] = tuple(
    sorted({plain_words(f) for f in (*legal_forms.LEGAL_SUFFIXES, *_SPELLED_OUT_FORMS)} - {""},
           key=lambda f: (-len(f.split()), -len(f), f))
)
# "Universitat ...", "Fundació ...", "Công ty TNHH ...": legal names whose form comes first.
LEGAL_PREFIXES: tuple[str, ...] = tuple(plain_words(f) for f in legal_forms.LEGAL_PREFIXES)


def _strip_suffixes(words: str) -> tuple[str, bool]:
    stripped = False
    changed = True
    while changed:
        changed = False
        for suffix in LEGAL_SUFFIXES:
            if words.endswith(" " + suffix):
                words = words[: -len(suffix) - 1].rstrip()
                stripped = changed = True
                break
    return words, stripped


def org_key(name: str) -> str:
    """Key under which 'ACME Corp.', 'Acme corp' and 'Acme' count as the same organisation."""
    words = plain_words(name)
    if words.startswith("the "):
        words = words[4:]
    core, _ = _strip_suffixes(words)
    return core or words


def has_legal_suffix(name: str) -> bool:
    """True when the name carries a legal form: a suffix such as Inc, GmbH or Sp. z o.o., or a leading
    institution form such as Universitat or Công ty TNHH."""
    words = plain_words(name)
    _, stripped = _strip_suffixes(words)
    return stripped or any(words.startswith(prefix + " ") for prefix in LEGAL_PREFIXES)


def is_short_form(short_key: str, full_key: str) -> bool:
    """True when `short_key` is the leading words of `full_key` ('kowalczyk' of 'kowalczyk logistics')."""
    return bool(short_key) and full_key.startswith(short_key + " ")
