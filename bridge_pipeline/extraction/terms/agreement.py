"""Rules for terms every agreement has: NDA specifics, term and renewal, governing law and venue, dates, parties."""

from __future__ import annotations

import re

from bridge_pipeline.extraction.dates import resolve_date_phrases
from bridge_pipeline.extraction.durations import Duration, find_durations
from bridge_pipeline.extraction.terms.base import PARTY_KEY, Fact, TermContext, ci, has_any, is_short_answer, tidy
from bridge_pipeline.extraction.terms.contract_names import contracts_mentioned

# --- NDA --------------------------------------------------------------------------------------------

_MUTUAL = ci(r"\bmutual\b")
_ONE_WAY = ci(r"\b(?:one[- ]way|unilateral)\b")
_DISCLOSER = ci(r"\b(?:disclosing|as (?:the )?disclos\w+|is (?:the )?disclos\w+)")
_CONFIDENTIAL = ci(r"\bconfidential")
_PURPOSE = ci(
    r"\bpurpose\b(?:\s+of\s+(?:the|this)\s+\w+)?\s*(?:is|would be|will be|should be|being|:)\s+(?P<value>[^.!?;]+)"
    r"|\bfor the purpose of\s+(?P<value2>[^.!?;]+)"
)


_NDA_HINTS = ("mutual", "one-way", "one way", "unilateral", "disclos", "confidential", "purpose")


def nda_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    if not has_any(sentence, _NDA_HINTS):
        # "Three years works." answering a confidentiality proposal, when the agreement's term is not the subject.
        if is_short_answer(sentence, 8) and context.discussed(_CONFIDENTIAL) and not context.discussed(_TERM_TOPIC):
            period = next((d for d in find_durations(sentence) if d.unit in ("year", "month")), None)
            if period is not None:
                facts.append(Fact(key="confidentiality_period", value=period.normalised))
        return facts
    nda_here = "NDA" in contracts_mentioned(sentence) or context.contract == "NDA"
    if nda_here and _MUTUAL.search(sentence):
        facts.append(Fact(key="nda_direction", value="mutual"))
    elif nda_here and _ONE_WAY.search(sentence):
        facts.append(Fact(key="nda_direction", value="one_way"))
    disclose = _DISCLOSER.search(sentence)
    if disclose and nda_here:
        named = context.roster.mentioned_in(sentence[: disclose.start()])
        if named:
            facts.append(Fact(key="discloser", value=named[-1], parties=(named[-1],)))
    confidential = _CONFIDENTIAL.search(sentence)
    if confidential:
        periods = [d for d in find_durations(sentence) if d.unit in ("year", "month")]
        if periods:
            # "two-year term, three years of confidentiality": the period closest to the word is the one.
            period = min(periods, key=lambda d: min(abs(d.start - confidential.end()), abs(d.end - confidential.start())))
            facts.append(Fact(key="confidentiality_period", value=period.normalised))
    purpose = _PURPOSE.search(sentence)
    if purpose:
        text = tidy(purpose.group("value") or purpose.group("value2"))
        if text:
            facts.append(Fact(key="purpose", value=text))
    return facts


# --- term, renewal, notice -------------------------------------------------------------------------

# "term sheet" is a document and "fixed for the term" speaks of the term without saying how long it is.
_TERM_WORD = ci(r"(?<![-\w])term\b(?![-\w])(?!\s+sheets?\b)(?!(?<=for the term)\s*(?:[.;!?]|$))")
_TERM_AFTER_DURATION = ci(r"^\s*(?:initial\s+)?term\b")
_RUN_FOR = ci(r"\b(?:runs?|lasts?|valid|running|lasting)\s+for\s+$|\bfor a period of\s+$")
_TERM_TOPIC = ci(r"(?<![-\w])term\b(?![-\w])(?!\s+sheets?\b)(?!(?<=for the term)\s*(?:[.;!?]|$))|\bhow long\b|\bduration\b|\bshould it run\b|\brun for\b")
# "7,800 a month" is a rate and "twelve months of fees" an amount of money; neither is how long a contract runs.
_RATE_BEFORE = ci(r"\d\s*(?:k|thousand|million)?\s*$")
_MONEY_MEASURE_AFTER = ci(r"^\s*(?:of\s+(?:the\s+)?(?:\w+\s+)?(?:fees?|charges|revenue|payments?|billing)|'?s?\s+(?:worth\s+of\s+)?fees)\b")
_NOT_AGREEMENT_TERM = ci(r"confidential|notice|payment|invoice|exclusiv|pilot|trial|accept|renew")
_RENEWAL = ci(
    r"\b(?:renew\w*\s+automatically|automatic(?:ally)?\s+renew\w*|auto-?renew\w*)\s+(?:for\s+)?(?:another\s+|a further\s+)?$"
)
_NO_RENEWAL = ci(r"\bno (?:auto(?:matic)?[- ]?)?renewal\b|\b(?:does|will) not (?:auto-?)?renew\b")
_NOTICE_AFTER = ci(r"^\s*(?:of\s+)?(?:prior\s+|written\s+)?notice\b")


def term_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    durations = [d for d in find_durations(sentence) if d.unit in ("month", "year", "week", "day", "business day")
                 and not _MONEY_MEASURE_AFTER.search(sentence[d.end:])
                 and not (d.text.lower().startswith(("a ", "an ", "per ")) and _RATE_BEFORE.search(sentence[: d.start]))]
    if not durations:
        return [Fact(key="renewal", value="no renewal")] if has_any(sentence, ("renew",)) and _NO_RENEWAL.search(sentence) else []
    term: Duration | None = None
    term_word = _TERM_WORD.search(sentence)
    for duration in durations:
        before, after = sentence[: duration.start], sentence[duration.end:]
        if _NOTICE_AFTER.search(after) and duration.unit in ("day", "business day", "week", "month"):
            facts.append(Fact(key="termination_notice", value=duration.normalised))
        elif _RENEWAL.search(before):
            facts.append(Fact(key="renewal", value=f"auto-renews for {duration.normalised}"))
        elif term is None and duration.unit in ("month", "year"):
            if _TERM_AFTER_DURATION.search(after) or _RUN_FOR.search(before):
                term = duration
            elif term_word and term_word.end() <= duration.start and duration.start - term_word.end() < 45:
                term = duration
    if term is None and is_short_answer(sentence, 12) and context.discussed(_TERM_TOPIC):
        if not _NOT_AGREEMENT_TERM.search(sentence):
            term = next((d for d in durations if d.unit in ("month", "year")), None)
    if term is not None and not _CONFIDENTIAL.search(sentence[max(0, term.start - 30): term.end + 20]):
        facts.insert(0, Fact(key="term", value=term.normalised))
    if _NO_RENEWAL.search(sentence):
        facts.append(Fact(key="renewal", value="no renewal"))
    return facts


# --- governing law and venue -----------------------------------------------------------------------

_US_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
    "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
    "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska",
    "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
    "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
    "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
)
_PROVINCES = ("Ontario", "Quebec", "British Columbia", "Alberta", "Manitoba", "Nova Scotia", "Saskatchewan",
              "New Brunswick", "Newfoundland and Labrador", "Prince Edward Island", "New South Wales", "Victoria",
              "Queensland", "Tasmania", "South Australia", "Western Australia", "Northern Territory",
              "Australian Capital Territory", "Northern Ireland", "Hong Kong", "Dubai", "Abu Dhabi")
# "<adjective> law": the jurisdiction it names. US states and provinces are said as their own names.
_LAW_ADJECTIVES = {
    "german": "Germany", "english": "England and Wales", "finnish": "Finland", "polish": "Poland",
    "japanese": "Japan", "peruvian": "Peru", "swiss": "Switzerland", "french": "France",
    "dutch": "the Netherlands", "swedish": "Sweden", "danish": "Denmark", "norwegian": "Norway",
    "spanish": "Spain", "irish": "Ireland", "scottish": "Scotland", "austrian": "Austria", "italian": "Italy",
    "belgian": "Belgium", "estonian": "Estonia", "portuguese": "Portugal", "brazilian": "Brazil",
    "mexican": "Mexico", "canadian": "Canada", "australian": "Australia", "indian": "India",
    "singapore": "Singapore", "singaporean": "Singapore", "californian": "California", "korean": "South Korea",
    "vietnamese": "Vietnam", "turkish": "Turkey", "chinese": "China", "israeli": "Israel", "czech": "the Czech Republic",
    "hungarian": "Hungary", "romanian": "Romania", "greek": "Greece", "luxembourg": "Luxembourg",
    "new zealand": "New Zealand", "chilean": "Chile", "colombian": "Colombia", "argentine": "Argentina",
    "argentinian": "Argentina", "kenyan": "Kenya", "south african": "South Africa", "nigerian": "Nigeria",
    "emirati": "the United Arab Emirates", "uae": "the United Arab Emirates", "omani": "Oman",
    "saudi": "Saudi Arabia", "egyptian": "Egypt", "lithuanian": "Lithuania", "latvian": "Latvia",
    "slovak": "Slovakia", "slovenian": "Slovenia", "croatian": "Croatia", "bulgarian": "Bulgaria",
    "ukrainian": "Ukraine", "icelandic": "Iceland", "thai": "Thailand", "malaysian": "Malaysia",
    "indonesian": "Indonesia", "philippine": "the Philippines", "taiwanese": "Taiwan", "tasmanian": "Tasmania",
    "queensland": "Queensland", "victorian": "Victoria", "ontarian": "Ontario", "quebecois": "Quebec",
    **{place.lower(): place for place in (*_US_STATES, *_PROVINCES)},
}
JURISDICTIONS = tuple(dict.fromkeys((
    "England and Wales", "Germany", "Finland", "Poland", "Japan", "Peru", "Switzerland", "France",
    "the Netherlands", "Sweden", "Denmark", "Norway", "Spain", "Ireland", "Scotland", "Austria", "Italy",
    "Belgium", "Estonia", "Portugal", "Brazil", "Mexico", "Canada", "Australia", "India", "Singapore",
    *{value for key, value in _LAW_ADJECTIVES.items()},
)))
_ADJECTIVE_ALTERNATION = "|".join(sorted(_LAW_ADJECTIVES, key=len, reverse=True))
_JURISDICTION_ALTERNATION = "|".join(re.escape(j) for j in sorted(JURISDICTIONS, key=len, reverse=True))
_ADJECTIVE_LAW = ci(rf"\b(?P<adjective>{_ADJECTIVE_ALTERNATION})\s+law\b")
_LAWS_OF = ci(
    rf"\b(?:laws?\s+of|laws?\s+and\s+(?:the\s+)?courts?\s+of|governed\s+by|governing\s+law\s+(?:is|would be|will be|:)?)\s*(?:the\s+)?(?:laws?\s+of\s+)?"
    rf"(?:the\s+)?(?:state\s+of\s+)?(?P<place>{_JURISDICTION_ALTERNATION})\b"
)
_BARE_JURISDICTION = re.compile(rf"\b(?P<place>{_JURISDICTION_ALTERNATION})\b")
_LAW_TOPIC = ci(r"\blaw\b|\bjurisdiction\b")
_COURTS_OF = re.compile(r"\b[Cc]ourts?\s+(?:of|in)\s+(?:the\s+)?(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")
_PLACE_COURTS = re.compile(r"\b(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+courts\b")
# A court named in its own language: "Tribunal de commerce de Paris", "Landgericht München I".
_NAMED_COURT = re.compile(
    r"\b(?P<court>(?:Tribunal|Tribunale|Landgericht|Amtsgericht|Handelsgericht|Rechtbank|Juzgado|Juízo|Sąd)\b"
    r"(?:\s+(?:[a-zà-ÿ]+|[A-Z][\w'’-]+|[IVX]+)){1,5})"
)
# "SCC arbitration in Stockholm", "arbitration seated in Singapore": the institution is kept when named.
_ARBITRATION = re.compile(
    r"(?:\b(?P<institution>[A-Z]{2,6})\s+)?\barbitration\s+(?:\w+\s+){0,3}?(?:in|seated in|with (?:the|its) seat in)\s+"
    r"(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
)
# "SIAC in Singapore": a known arbitral institution and its seat, without the word.
_INSTITUTION_SEAT = re.compile(
    r"\b(?P<institution>SIAC|ICC|LCIA|SCC|HKIAC|DIS|ICDR|JAMS|CIETAC|VIAC|DIAC|DIFC-LCIA|SCAI|KCAB|JCAA|CRCICA|NAI|CEPANI)\s+"
    r"(?:in|seated in|with (?:the|its) seat in)\s+(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
)
# "CAM Santiago arbitration": the institution and its city, then the word.
_INSTITUTION_ARBITRATION = re.compile(r"\b(?P<institution>[A-Z]{2,6})\s+(?P<place>[A-Z][\w'’-]+)\s+arbitration\b")


def law_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    lowered = sentence.lower()
    if not any(word in lowered for word in ("law", "court", "arbitra", "govern", "tribunal", "gericht", "siac", "icc", "lcia", "scc")) and not (
        is_short_answer(sentence, 10) and _BARE_JURISDICTION.search(sentence)
    ):
        return facts
    laws: list[tuple[int, str]] = []
    laws += [(m.start(), _LAW_ADJECTIVES[m.group("adjective").lower()]) for m in _ADJECTIVE_LAW.finditer(sentence)]
    laws += [(m.start(), _canonical_place(m.group("place"))) for m in _LAWS_OF.finditer(sentence)]
    if not laws and is_short_answer(sentence, 10) and (context.discussed(_LAW_TOPIC) or _LAW_TOPIC.search(sentence)):
        laws += [(m.start(), _canonical_place(m.group("place"))) for m in _BARE_JURISDICTION.finditer(sentence)]
    if laws:
        # When one sentence names two laws ("they wanted X, but Y is acceptable") the last one stands.
        facts.append(Fact(key="governing_law", value=max(laws)[1]))
    venues: list[tuple[int, str]] = []
    venues += [(m.start(), f"courts of {m.group('place')}") for m in _COURTS_OF.finditer(sentence)]
    for match in _PLACE_COURTS.finditer(sentence):
        place = _LAW_ADJECTIVES.get(match.group("place").lower(), match.group("place"))
        if place.lower() not in ("the", "our", "their", "local", "state", "federal"):
            venues.append((match.start(), f"courts of {place}"))
    for m in _ARBITRATION.finditer(sentence):
        institution = f"{m.group('institution')} " if m.group("institution") else ""
        venues.append((m.start(), f"{institution}arbitration in {m.group('place')}"))
    venues += [(m.start(), f"{m.group('institution')} {m.group('place')} arbitration") for m in _INSTITUTION_ARBITRATION.finditer(sentence)]
    venues += [(m.start(), f"{m.group('institution')} arbitration in {m.group('place')}") for m in _INSTITUTION_SEAT.finditer(sentence)]
    venues += [(m.start(), m.group("court")) for m in _NAMED_COURT.finditer(sentence)]
    if venues:
        facts.append(Fact(key="venue", value=max(venues)[1]))
    return facts


def _canonical_place(place: str) -> str:
    for jurisdiction in JURISDICTIONS:
        if jurisdiction.lower() == place.lower():
            return jurisdiction
    return place


# --- dates -----------------------------------------------------------------------------------------

_START_WORDS = ci(r"\b(?:start(?:s|ing)?|effective|commenc\w*|begin(?:s|ning)?|kicks? off)\s+(?:date\s+)?(?:is\s+|will be\s+|would be\s+)?(?:on\s+|from\s+|as of\s+)?(?:the\s+)?$")
# "April sixth, kickoff and effective date.": the date first, then what it is.
_START_AFTER = ci(r"^[\s,]*(?:(?:as|is)\s+)?(?:the\s+)?(?:[\w-]+\s+and\s+)?(?:the\s+)?(?:effective|start|commencement)\s+date\b")
_END_WORDS = ci(r"\b(?:end(?:s|ing)?|expir\w+|terminat\w+)\s+(?:date\s+)?(?:is\s+|will be\s+)?(?:on\s+)?$")
_START_TOPIC = ci(
    r"\bwhen (?:does|do|will|would|should|can) (?:it|we|this|that|the \w+) (?:start|begin|kick off|take effect)\b|"
    r"\bstart(?:s|ing)? (?:on|from|date)\b|\bstart date\b|\beffective\b|\bcommenc\w*|\bbegin(?:s|ning)? on\b|\bkick-?off date\b"
    r"|\b(?:runs?|lasts?|running) for\b"
)


# "until January 11th" ends the agreement only when the sentence is about the agreement running, not a
# holiday freeze or a weekend.
_AGREEMENT_RUNS = ci(r"\b(?:agreement|contract|nda|sow|sla|mou|memorandum|term|runs?|valid|in force|expires?)\b")
_DATE_FACT_HINT = ci(r"\b(?:start|effective|commenc|begin|kick|end|expir|terminat|until|till|runs?\b|lasts?\b)")


# "I'll come back to you on the effective date by Friday": the date is when someone reports back, not a term.
_REPORT_BACK = ci(
    r"\b(?:I|we|they|he|she)(?:'ll| will| can| shall| need to| have to)\s+(?:\w+\s+)?(?:come back|get back|revert|"
    r"confirm|follow up|let (?:you|us) know|send|circulate|report back)\b"
    r"|\b(?:confirms?|comes? back|gets? back|reverts?|reports? back)\b.*\bby\b"
)


def date_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    mentions = resolve_date_phrases(sentence, context.reference_date)
    if not mentions or _REPORT_BACK.search(sentence):
        return facts
    hinted = bool(_DATE_FACT_HINT.search(sentence))
    short_answer = not hinted and is_short_answer(sentence, 6) and context.discussed(_START_TOPIC)
    if not hinted and not short_answer:
        return facts
    for mention in mentions:
        position = sentence.find(mention.text)
        before = sentence[:position]
        spoken = mention.text.split()[0].lower()
        after = sentence[position + len(mention.text):]
        if _START_WORDS.search(before) or (spoken == "from" and _START_TOPIC.search(before)) or _START_AFTER.search(after):
            facts.append(Fact(key="effective_date", value=mention.value.isoformat(), due=mention))
        elif _END_WORDS.search(before) or (spoken in ("until", "till") and _AGREEMENT_RUNS.search(before)):
            facts.append(Fact(key="end_date", value=mention.value.isoformat(), due=mention))
        elif short_answer:
            facts.append(Fact(key="effective_date", value=mention.value.isoformat(), due=mention))
    return facts[:2]


# --- parties ---------------------------------------------------------------------------------------

_PARTY_CUE = ci(
    r"\b(?:parties|party|contracting entit(?:y|ies)|entit(?:y|ies)|between|signing|signs|sign as|counterparty|"
    r"on (?:our|their) side|on ours)\b"
)
_ROLE_AFTER = ci(
    r"^\s*(?:as|is|will be|acts as|would be|stays|remains)\s+(?:the\s+)?(?:service\s+)?"
    r"(?P<role>provider|vendor|supplier|contractor|customer|client)\b"
)
_PROVIDER_ROLES = ("provider", "vendor", "supplier", "contractor")


def party_facts(sentence: str, context: TermContext) -> list[Fact]:
    facts: list[Fact] = []
    mentions = context.roster.mentions(sentence)
    if not mentions:
        return facts
    for mention in mentions:
        role = _ROLE_AFTER.search(sentence[mention.end:])
        if role:
            key = "provider" if role.group("role").lower() in _PROVIDER_ROLES else "customer"
            facts.append(Fact(key=key, value=mention.name, parties=(mention.name,)))
    if _PARTY_CUE.search(sentence) or facts or context.discussed(_PARTY_CUE):
        for name in dict.fromkeys(m.name for m in mentions):
            facts.append(Fact(key=PARTY_KEY, value=name, qualifier=name, parties=(name,)))
    return facts
