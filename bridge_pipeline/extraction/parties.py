"""Finds organisation names (by their legal-form suffix) and remembers them so later short mentions resolve.

"Nordlicht Analytics GmbH" said once makes later "Nordlicht" and "Nordlicht Analytics" mean that
company. A short name that is also part of a person's name ("Kowalczyk" in "Zofia Kowalczyk") is
only read as the company where it does not stand inside that person's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEGAL_SUFFIXES = tuple(sorted({
    # Europe
    "GmbH & Co. KG", "GmbH", "AG", "KG", "KGaA", "e.V.", "SE", "Sp. z o.o.", "sp. z o.o.", "Sp. z o. o.", "S.A.", "SA", "S.p.A.", "SpA", "S.r.l.",
    "Srl", "S.A.S.", "SAS", "SARL", "S.à r.l.", "S.L.", "S.L.U.", "B.V.", "BV", "N.V.", "NV", "Oyj", "Oy", "AB",
    "A/S", "ApS", "AS", "ASA", "s.r.o.", "a.s.", "d.o.o.", "Kft.", "Zrt.", "Nyrt.", "A.Ş.", "Ltd. Şti.", "OOO",
    "Lda.", "Ltda.", "Ltda", "S.A.R.L.", "Tbk", "Tbk.", "OÜ", "AS", "SIA", "UAB", "Sp.k.", "EOOD", "OOD", "AD",
    "S.R.L.", "SRL", "JSC", "PJSC", "TOO", "LLP", "A.E.", "Α.Ε.", "d.o.o. Beograd", "Zrt", "Kft", "Oy Ab",
    # English-speaking and Asia-Pacific
    "Ltd.", "Ltd", "Limited", "Pty Ltd", "Pty. Ltd.", "(Pty) Ltd", "Pte. Ltd.", "Pte Ltd", "Pvt. Ltd.", "Pvt Ltd",
    "Private Limited", "Co., Ltd.", "Co. Ltd.", "Sdn. Bhd.", "Sdn Bhd", "Bhd", "K.K.", "KK", "Inc.", "Inc",
    "LLC", "L.L.C.", "LLP", "L.P.", "LP", "PLC", "plc", "Corp.", "Corp", "Corporation",
    # The Americas
    "S.A. de C.V.", "S. de R.L.", "S.A.C.", "S.A.S", "Ltda. ME",
}, key=len, reverse=True))
"""Legal forms written after the name, longest first so "Sp. z o.o." wins over a bare "S"."""
_SUFFIX = "|".join(re.escape(suffix) for suffix in LEGAL_SUFFIXES)
_SUFFIX_AT = re.compile(rf"(?<=\s)(?:{_SUFFIX})(?=$|[\s,;:!?)\]]|\.(?:\s|$))")

# Capitalised words that start sentences or clauses rather than names.
_NOT_NAME_WORDS = frozenset(
    "a an and as at between but by for from hi hello if in it its let on or our ours so that the their then "
    "this to we with yes yeah okay ok and also for both dear thanks thank we're we've i'm it's that's here's "
    "there's sorry right well".split()
)
# A word ending a sentence ("Okay.", "Biolàser.") cannot be inside the name that follows it; short
# abbreviations ("Co.", "St.", "J.") can.
_SENTENCE_END_WORD = re.compile(r"^[^\W\d_][\w'’-]{3,}[.!?]$")
# Joining words allowed inside a name ("Banco de Crédito del Perú S.A.").
_NAME_JOINERS = frozenset("de del da do dos der van von of & ve y e et und".split())
_SUFFIX_WORDS = frozenset(word.rstrip(".,") for suffix in LEGAL_SUFFIXES for word in suffix.split() if word != "&")
# Generic first words that make poor short names on their own.
_GENERIC_NAME_WORDS = frozenset(
    "instituto institute banco bank the universidad university group grupo company compañía société "
    "gesellschaft fundación foundation centre center laboratorios laboratories".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’.&-]*|&")


# Institutions and legal forms written before the name: "Universitat Politècnica del Penedès",
# "Fundació Hospital Comarcal de Vallbona", "Công ty TNHH Phần mềm Sao Mai".
LEGAL_PREFIXES = (
    "Công ty TNHH", "Công ty Cổ phần", "PT", "UAB", "SIA", "AS", "TOO", "ТОО", "S.C.", "Universitat", "Universidad", "Università", "Universität", "Université",
    "University", "Universidade", "Fundació", "Fundación", "Fundação", "Fondazione", "Fondation", "Stiftung",
    "Stichting", "Foundation", "Institut", "Instituto", "Institute", "Hospital", "Hôpital", "Klinikum",
)
_PREFIX_AT = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in LEGAL_PREFIXES) + r")(?=\s)")
_PREFIX_JOINERS = _NAME_JOINERS | {"the", "la", "les", "für", "i", "y"}
# Vietnamese names keep lower-case words ("Phần mềm"); they run until punctuation or an English word.
_ENGLISH_BREAKS = frozenset("and or with is are was as for to in on at by from that which who the a an".split())


_QUOTED_NAME = re.compile(r'\s+["“„«](?P<name>[^"”“«»]{2,60}?)["”“»]')


def _prefixed_organisations(text: str) -> list[str]:
    """Names led by an institution word, up to the first word that is not capitalised or a joiner."""
    names = []
    covered = 0
    for match in _PREFIX_AT.finditer(text):
        if match.start() < covered:
            continue  # "Hospital" inside "Fundació Hospital Comarcal de Vallbona"
        # Vietnamese forms ("Công ty TNHH") go on with lower-case words; "PT Nusantara Serat" does not.
        lower_case_ok = any(word[0].islower() for word in match.group(0).split())
        kept: list[str] = []
        # 'UAB "Vėjas Cloud"': the name may stand in quotes after the legal form.
        quoted = _QUOTED_NAME.match(text, match.end())
        if quoted:
            name = f'{match.group(0)} "{quoted.group("name")}"'
            if name not in names:
                names.append(name)
                covered = quoted.end()
            continue
        for word in _WORD.finditer(text, match.end()):
            gap = text[(match.end() if not kept else kept_end):word.start()]
            if gap.strip():
                break
            token = word.group(0).rstrip(".,;:")
            if word.group(0)[0].isupper() or (kept and token.lower() in _PREFIX_JOINERS):
                kept.append(token)
            elif lower_case_ok and token.lower() not in _ENGLISH_BREAKS:
                kept.append(token)
            else:
                break
            kept_end = word.end()
            if word.group(0) != token or len(kept) >= 6:
                break
        while kept and kept[-1].lower() in _PREFIX_JOINERS:
            kept.pop()
        name = " ".join([match.group(0), *kept])
        if kept and name not in names:
            names.append(name)
            covered = kept_end
    return names


def find_organisations(text: str) -> list[str]:
    """Organisation names with a legal-form suffix or an institution prefix, in order, without repeats."""
    suffixed: list[str] = []
    for suffix_match in _SUFFIX_AT.finditer(text):
        words = _name_words_before(text, suffix_match.start())
        if not words:
            continue
        name = " ".join([*words, suffix_match.group(0)])
        if f"{' '.join(words)}, {suffix_match.group(0)}" in text:
            name = f"{' '.join(words)}, {suffix_match.group(0)}"
        if name not in suffixed:
            suffixed.append(name)
    prefixed = [] if not _PREFIX_AT.search(text) else _prefixed_organisations(text)
    # "Instituto Sakura KK" is one name: the suffix reading wins over the prefix reading inside it.
    names = suffixed + [p for p in prefixed if not any(p in n for n in suffixed)]
    return sorted(names, key=text.find)


def _name_words_before(text: str, end: int) -> list[str]:
    """The capitalised words (with joiners inside) that end right before position end."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text, 0, end)]
    words: list[str] = []
    expected_end = end
    for word, start, stop in reversed(tokens):
        gap = text[stop:expected_end].strip()
        # "Northstar Managed Services, Inc.": one comma may stand between the name and its legal form.
        if (gap and not (gap == "," and not words and expected_end == end)) or word.rstrip(".,") in _SUFFIX_WORDS:
            break
        if _SENTENCE_END_WORD.match(word) and words:
            break
        if word[0].isupper() and word.lower().replace("’", "'") not in _NOT_NAME_WORDS:
            words.insert(0, word)
        elif word.lower() in _NAME_JOINERS and words:
            words.insert(0, word)
        else:
            break
        expected_end = start
        if len(words) >= 6:
            break
    while words and words[0].lower() in _NAME_JOINERS:
        words.pop(0)
    return words


@dataclass(frozen=True)
class PartyMention:
    name: str
    """The organisation's full name."""
    start: int
    end: int


class PartyRoster:
    """Organisations named so far in one meeting, and the short names that refer to them."""

    def __init__(self, people: tuple[str, ...] = ()) -> None:
        self._names: list[str] = []
        self._aliases: dict[str, str] = {}
        self._ambiguous: set[str] = set()
        self._alias_pattern: re.Pattern[str] | None = None
        # Longest names first so "Zofia Kowalczyk" is masked before a shorter name could be.
        people_names = sorted({p.strip() for p in people if p.strip()}, key=len, reverse=True)
        self._people_pattern = re.compile("|".join(re.escape(p) for p in people_names)) if people_names else None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._names)

    def learn(self, text: str) -> list[str]:
        """Add the organisations named in text; returns them."""
        found = find_organisations(text) if _SUFFIX_AT.search(text) or _PREFIX_AT.search(text) else []
        for name in found:
            if name in self._names:
                continue
            bare = " ".join(_strip_suffix_words(name))
            if bare != name and bare in self._names:
                # "Instituto Sakura" said first, "Instituto Sakura KK" later: the legal name takes its place.
                self._names[self._names.index(bare)] = name
                self._aliases = {a: (name if n == bare else n) for a, n in self._aliases.items()}
                continue
            self._names.append(name)
            for alias in _aliases_of(name):
                claimed = self._aliases.get(alias.lower())
                if claimed is None and alias.lower() not in self._ambiguous:
                    self._aliases[alias.lower()] = name
                elif claimed is not None and _strip_suffix_words(claimed) != _strip_suffix_words(name):
                    # "Skovgaard" after "Skovgaard Holding A/S" and "Skovgaard Maritime A/S" could be either:
                    # a short name two organisations share names neither of them.
                    del self._aliases[alias.lower()]
                    self._ambiguous.add(alias.lower())
            alternation = "|".join(re.escape(a) for a in sorted(self._aliases, key=len, reverse=True))
            self._alias_pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)
        return found

    def mentioned_in(self, text: str) -> list[str]:
        """Known organisations mentioned in text by full or short name, in order of appearance."""
        ordered: list[str] = []
        for mention in self.mentions(text):
            if mention.name not in ordered:
                ordered.append(mention.name)
        return ordered

    def mentions(self, text: str) -> list[PartyMention]:
        """Every place text names a known organisation, with the full name it stands for."""
        if self._alias_pattern is None:
            return []
        masked = self._mask_people(text)
        return [
            PartyMention(name=self._aliases[match.group(0).lower()], start=match.start(), end=match.end())
            for match in self._alias_pattern.finditer(masked)
            if match.group(0)[0].isupper()
        ]

    def resolve(self, mention: str) -> str | None:
        """The full name a mention ('Nordlicht', 'Helios Cloud Ltd') refers to, if known."""
        cleaned = mention.strip()
        if cleaned in self._names:
            return cleaned
        return self._aliases.get(cleaned.lower())

    def _mask_people(self, text: str) -> str:
        if self._people_pattern is None:
            return text
        return self._people_pattern.sub(lambda m: "#" * len(m.group(0)), text)


def _aliases_of(name: str) -> list[str]:
    """Short names people use for an organisation: its distinctive first word and first two words."""
    words = _strip_suffix_words(name)
    aliases: list[str] = []
    distinctive = [w for w in words if w.lower() not in _GENERIC_NAME_WORDS and w.lower() not in _NAME_JOINERS]
    if distinctive and len(distinctive[0]) >= 3:
        aliases.append(distinctive[0])
    if len(words) >= 2:
        aliases.append(" ".join(words[:2]))
    if words:
        aliases.append(" ".join(words))
    aliases.append(name)
    return aliases


def _strip_suffix_words(name: str) -> list[str]:
    """The name's own words, without its legal form (before or after) and the quotes around it."""
    for suffix in LEGAL_SUFFIXES:
        if name.endswith(" " + suffix):
            return name[: -len(suffix) - 1].split()
    prefix = _PREFIX_AT.match(name)
    if prefix is not None and _QUOTED_NAME.match(name, prefix.end()):
        return name[prefix.end():].strip(' "“”„«»').split()
    return name.split()
