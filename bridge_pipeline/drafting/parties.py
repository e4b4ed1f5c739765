"""Recognising the same organisation under different spellings, and whether a name looks like a legal name."""

from __future__ import annotations

import re
import unicodedata

# Legal-form words, compared after punctuation is removed and case folded. Multi-word forms first so
# "sp z o o" is stripped before a lone "o" could match anything.
LEGAL_SUFFIXES: tuple[str, ...] = (
    "sp z o o",
    "s a r l",
    "s p a",
    "s r l",
    "s a s",
    "s a",
    "s l",
    "b v",
    "n v",
    "pty ltd",
    "co ltd",
    "limited liability company",
    "incorporated",
    "corporation",
    "limited",
    "company",
    "gmbh",
    "ag",
    "kg",
    "inc",
    "corp",
    "llc",
    "llp",
    "ltd",
    "plc",
    "sarl",
    "sas",
    "sa",
    "sl",
    "bv",
    "nv",
    "ab",
    "as",
    "oy",
    "spa",
    "srl",
    "se",
    "lp",
    "co",
    "pte",
    "kk",
)


def plain_words(name: str) -> str:
    """Lower-case ASCII words only: the form names and quotes are compared in."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").casefold()
    folded = folded.replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


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
    """True when the name ends in a legal-form word such as Inc, GmbH or Sp. z o.o."""
    _, stripped = _strip_suffixes(plain_words(name))
    return stripped


def is_short_form(short_key: str, full_key: str) -> bool:
    """True when `short_key` is the leading words of `full_key` ('kowalczyk' of 'kowalczyk logistics')."""
    return bool(short_key) and full_key.startswith(short_key + " ")
