"""The shared vocabulary between extraction and drafting.

An extractor (offline rules or a language model) tags each decision with one topic and a set of
contract terms; the drafter maps those terms onto cover-page fields. Both sides import these names so
they can never drift apart.
"""

from __future__ import annotations

import re

# What a decision is mainly about. "general" is anything that is not a contract term.
TOPICS: dict[str, str] = {
    "nda": "confidentiality / non-disclosure agreement",
    "mou": "memorandum of understanding, partnership or collaboration",
    "sow": "statement of work: services, deliverables, milestones",
    "sla": "service levels: uptime, response times, service credits",
    "fees": "prices, fees, payment terms",
    "term": "duration, renewal, termination",
    "law": "governing law and venue",
    "parties": "who the contracting parties are",
    "dates": "effective date, start and end dates",
    "general": "a decision or action item that is not a contract term",
}

# Contract facts a decision may state. Values are normalised strings:
#   dates ISO 8601 (YYYY-MM-DD), durations "<n> <unit>" (e.g. "2 years", "30 days"),
#   percentages as a bare number ("99.9"), amounts as "<ISO currency> <value>" ("EUR 48000.00"),
#   free text otherwise, kept short and taken from the cited utterances.
TERM_KEYS: dict[str, str] = {
    "contract_type": "one of NDA, MOU, SOW, SLA: the agreement the meeting says it wants",
    "nda_direction": "mutual | one_way",
    "provider": "party that provides the services or deliverables",
    "customer": "party that receives and pays for them",
    "discloser": "one-way NDA: the disclosing party",
    "effective_date": "date the agreement starts (ISO)",
    "end_date": "date the agreement ends (ISO)",
    "term": "duration of the agreement ('2 years')",
    "renewal": "renewal rule ('auto-renews for 1 year', 'no renewal')",
    "termination_notice": "notice period to terminate ('30 days')",
    "confidentiality_period": "how long confidentiality lasts ('3 years')",
    "purpose": "why the parties share information or collaborate",
    "governing_law": "jurisdiction whose law governs ('Delaware', 'England and Wales')",
    "venue": "courts or arbitration seat for disputes",
    "fee_total": "total or fixed fee as '<CUR> <value>'",
    "fee_recurring": "recurring fee as '<CUR> <value> per <period>'",
    "payment_terms": "when invoices are paid ('30 days')",
    "payment_schedule": "how the fee is split over events ('30% on signing, 70% at go-live')",
    "invoice_cadence": "how often invoices are sent ('monthly', 'on milestone')",
    "services_description": "what services are provided",
    "deliverable": "one deliverable (a decision may carry due_date for it)",
    "milestone": "one milestone (a decision may carry due_date and an amount)",
    "acceptance": "acceptance criteria or acceptance period",
    "uptime_target": "monthly uptime target percentage ('99.9')",
    "measurement_window": "period over which uptime is measured ('calendar month', 'quarter')",
    "response_time": "response target of the most urgent severity, P1 / severity one ('1 hour')",
    "lower_severity_response": "response target of a less urgent severity ('P2: 4 hours')",
    "service_credit": "credit when a target is missed ('10% of the monthly fee')",
    "support_hours": "support coverage ('24x7', '9:00-17:00 CET weekdays')",
    "liability_cap": "limit of liability ('1.5 times the fees paid in the 12 months before the claim')",
    "scope": "MoU: what the parties will collaborate on",
    "responsibility": "MoU: what one party will do (owner names the party)",
    "binding_provisions": "MoU: which provisions are binding ('confidentiality and costs only')",
    "exclusivity": "exclusivity period or statement",
}

CONTRACT_TYPES = ("NDA", "MOU", "SOW", "SLA")

# How each contract type is written or said; extraction (which agreement a sentence names) and drafting
# (which type a term value or a decision names) read only this table.
# Acronyms count only as written: "sow" is a verb, and "Sow", "Sla" or "Mou" at a sentence start are not
# the agreement.
CONTRACT_ACRONYMS: dict[str, tuple[str, ...]] = {
    "NDA": ("NDA", "mNDA"),
    "MOU": ("MOU", "MoU"),
    "SOW": ("SOW", "SoW"),
    "SLA": ("SLA",),
}
# Spelled-out names count in any case; a hyphen may also be said as a space or left out ("non disclosure
# agreement", "nondisclosure agreement"), and words may be joined by a hyphen ("statement-of-work").
# "service levels" is how meetings name the SLA itself ("Northwind hosting: service levels").
# A letter of intent is not listed: it is not always an MoU.
CONTRACT_LONG_NAMES: dict[str, tuple[str, ...]] = {
    "NDA": ("non-disclosure agreement", "confidentiality agreement", "mutual NDA"),
    "MOU": ("memorandum of understanding",),
    "SOW": ("statement of work", "statements of work"),
    "SLA": ("service-level agreement", "service levels"),
}


def _name_regex(spelling: str) -> str:
    words = (r"[\s-]?".join(re.escape(part) for part in word.split("-")) for word in spelling.split())
    return r"[\s-]+".join(words)


def _names_regex(contract_type: str, *, prose: bool) -> str:
    long_names = "|".join(_name_regex(name) for name in CONTRACT_LONG_NAMES[contract_type])
    acronyms = "|".join(_name_regex(name) for name in CONTRACT_ACRONYMS[contract_type])
    # A term value is a name on its own, so its acronym may come in any case ("nda", "Sow").
    either = f"{acronyms}|(?i:{long_names})" if prose else f"(?i:{acronyms}|{long_names})"
    return rf"\b(?:{either})s?\b"


# Searched in prose: "we sign a mutual NDA", "the SoW", "a service-level agreement".
CONTRACT_NAMED_IN_TEXT: dict[str, re.Pattern[str]] = {
    code: re.compile(_names_regex(code, prose=True)) for code in CONTRACT_TYPES
}
# Matched against a whole contract_type term value: "nda", "Statement of Work", "MoU".
CONTRACT_NAMED_AS_VALUE: dict[str, re.Pattern[str]] = {
    code: re.compile(_names_regex(code, prose=False)) for code in CONTRACT_TYPES
}

# The value of a term the meeting explicitly left open ("the uptime target stays open until finance
# signs off"): the drafter shows the field TBD, cited where it was left open, and no earlier proposal fills it.
OPEN_VALUE = "TBD"
