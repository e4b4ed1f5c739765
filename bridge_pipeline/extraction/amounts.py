"""Finds money amounts in spoken text ("€48,000", "48.000 €", "$1.2 million", "48k euros", "PLN 20 000").

Separators follow how people write numbers on both sides of the Atlantic: when a number has both ','
and '.', the last one is the decimal mark; a lone separator followed by exactly three digits groups
thousands ("48,000", "48.000"), otherwise it is the decimal mark ("1.5", "1,5"). A scale word
("1.2 million") always makes the separator a decimal mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from bridge_pipeline.models import Amount

CENT = Decimal("0.01")

# Written before the number: symbols and ISO codes.
_PREFIX_CURRENCIES = {
    "€": "EUR", "eur": "EUR", "$": "USD", "us$": "USD", "usd": "USD", "£": "GBP", "gbp": "GBP",
    "¥": "JPY", "jpy": "JPY", "pln": "PLN", "chf": "CHF", "sek": "SEK", "nok": "NOK", "dkk": "DKK",
    "c$": "CAD", "cad": "CAD", "a$": "AUD", "aud": "AUD", "₹": "INR", "inr": "INR", "r$": "BRL",
    "brl": "BRL", "zł": "PLN", "₩": "KRW", "krw": "KRW", "s$": "SGD", "sgd": "SGD", "nzd": "NZD", "nz$": "NZD",
    "hkd": "HKD", "hk$": "HKD", "mxn": "MXN", "zar": "ZAR", "czk": "CZK", "huf": "HUF",
}
# Written or said after the number: symbols, codes and currency words.
_SUFFIX_CURRENCIES = {
    **{code: iso for code, iso in _PREFIX_CURRENCIES.items() if not code.endswith("$")},
    "euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "us dollars": "USD",
    "pound": "GBP", "pounds": "GBP", "pounds sterling": "GBP", "yen": "JPY", "złoty": "PLN",
    "zloty": "PLN", "zlotys": "PLN", "zlotych": "PLN", "swiss francs": "CHF", "francs": "CHF",
    "kronor": "SEK", "kroner": "NOK", "rupees": "INR", "reais": "BRL",
    "canadian dollars": "CAD", "canadian": "CAD", "australian dollars": "AUD", "australian": "AUD",
    "aussie dollars": "AUD", "singapore dollars": "SGD", "new zealand dollars": "NZD", "hong kong dollars": "HKD",
    "korean won": "KRW", "won": "KRW", "pesos": "MXN", "rand": "ZAR", "koruna": "CZK", "forint": "HUF",
    "danish kroner": "DKK", "norwegian kroner": "NOK", "swedish kronor": "SEK",
}
_SCALES = {
    "k": Decimal(1000), "thousand": Decimal(1000), "m": Decimal(1_000_000), "mn": Decimal(1_000_000),
    "million": Decimal(1_000_000), "millions": Decimal(1_000_000), "bn": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
}


def _alternation(words: dict[str, str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_NUMBER = r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d+)?"
_SCALE = r"(?:\s?(?:k|m|mn|bn)\b|\s(?:thousand|millions?|billion)\b)"

_PREFIXED = re.compile(
    rf"(?<![\w$€£¥₹₩])(?P<currency>{_alternation(_PREFIX_CURRENCIES)})\s?(?P<number>{_NUMBER})(?P<scale>{_SCALE})?",
    re.IGNORECASE,
)
_SUFFIXED = re.compile(
    rf"(?<![\w.,])(?P<number>{_NUMBER})(?P<scale>{_SCALE})?\s?(?P<currency>{_alternation(_SUFFIX_CURRENCIES)})(?!\w)",
    re.IGNORECASE,
)
_BARE_SCALED = re.compile(rf"(?<![\w.,$€£¥])(?P<number>{_NUMBER})(?P<scale>{_SCALE})", re.IGNORECASE)
# A bare figure of four or more digits ("412500", "96,000"), as spoken numbers come out once written in digits.
_BARE_LARGE = re.compile(r"(?<![\w.,$€£¥%:/-])(?P<number>\d{1,3}(?:,\d{3})+|\d{4,})(?P<scale>)(?![\w%:/-]|[.,]\d)")
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class AmountMatch:
    """An amount together with where it sits in the text it was found in."""

    amount: Amount
    start: int
    end: int


def find_amounts(text: str, default_currency: str | None = None, *, bare_figures: bool = False) -> list[Amount]:
    """Every money amount in text, in order; see find_amount_matches for the options."""
    return [match.amount for match in find_amount_matches(text, default_currency, bare_figures=bare_figures)]


def find_amount_matches(text: str, default_currency: str | None = None, *, bare_figures: bool = False) -> list[AmountMatch]:
    """Every money amount in text with its position.

    Without a currency marker a number is only money when it carries a scale ("48k", "1.2 million")
    and the caller knows the meeting's currency (default_currency). A bare "48,000" is money only when
    the caller says the sentence talks about money (bare_figures) and knows the currency; years are not.
    """
    if not _may_name_money(text, default_currency, bare_figures):
        return []
    matches: list[AmountMatch] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], currency_table: dict[str, str] | None) -> None:
        if any(match.start() < end and start < match.end() for start, end in taken):
            return
        currency = default_currency if currency_table is None else currency_table[match.group("currency").lower()]
        value = _parse_number(match.group("number"), scaled=bool(match.group("scale")))
        if value is None or currency is None:
            return
        if match.group("scale"):
            value *= _SCALES[match.group("scale").strip().lower()]
        phrase = match.group(0).strip()
        matches.append(
            AmountMatch(
                amount=Amount(value=value.quantize(CENT, rounding=ROUND_HALF_UP), currency=currency, text=phrase),
                start=match.start(),
                end=match.end(),
            )
        )
        taken.append((match.start(), match.end()))

    for match in _PREFIXED.finditer(text):
        add(match, _PREFIX_CURRENCIES)
    for match in _SUFFIXED.finditer(text):
        add(match, _SUFFIX_CURRENCIES)
    if default_currency:
        for match in _BARE_SCALED.finditer(text):
            add(match, None)
        for match in _BARE_LARGE.finditer(text) if bare_figures else ():
            if not _YEAR.fullmatch(match.group("number")):
                add(match, None)
    return sorted(matches, key=lambda found: found.start)


_SYMBOLS = ("€", "$", "£", "¥", "₹", "zł", "₩")
_CURRENCY_WORDS = frozenset(
    word for name in (*_PREFIX_CURRENCIES, *_SUFFIX_CURRENCIES) for word in name.split() if word.isalpha()
)
_SCALE_WORDS = frozenset(("k", "m", "mn", "bn", "thousand", "million", "millions", "billion"))
_WORDS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")


def _may_name_money(text: str, default_currency: str | None, bare_figures: bool = False) -> bool:
    """Cheap test before the regular expressions: a currency symbol or word, or a scale when one is known."""
    if not _DIGIT.search(text):
        return False
    if bare_figures and default_currency is not None:
        return True
    if any(symbol in text for symbol in _SYMBOLS):
        return True
    words = set(_WORDS.findall(text.lower()))
    return bool(words & _CURRENCY_WORDS) or (default_currency is not None and bool(words & _SCALE_WORDS))


def _parse_number(raw: str, *, scaled: bool) -> Decimal | None:
    digits = raw.replace("\u00a0", " ").replace("\u202f", " ")
    if " " in digits:
        digits = digits.replace(" ", "")
    last_comma, last_dot = digits.rfind(","), digits.rfind(".")
    if last_comma >= 0 and last_dot >= 0:
        decimal_mark = "," if last_comma > last_dot else "."
        grouping = "." if decimal_mark == "," else ","
        digits = digits.replace(grouping, "").replace(decimal_mark, ".")
    elif last_comma >= 0 or last_dot >= 0:
        mark = "," if last_comma >= 0 else "."
        groups = digits.split(mark)
        groups_thousands = all(len(group) == 3 for group in groups[1:]) and 1 <= len(groups[0]) <= 3
        if groups_thousands and not scaled:
            digits = "".join(groups)
        elif len(groups) == 2:
            digits = f"{groups[0]}.{groups[1]}"
        else:
            return None
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def format_amount(amount: Amount) -> str:
    """'EUR 48000.00': how vocabulary.TERM_KEYS writes an amount."""
    return f"{amount.currency} {amount.value.quantize(CENT, rounding=ROUND_HALF_UP)}"
