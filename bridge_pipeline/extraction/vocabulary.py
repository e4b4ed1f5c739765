"""The shared vocabulary between extraction and drafting.

An extractor (offline rules or a language model) tags each decision with one topic and a set of
contract terms; the drafter maps those terms onto cover-page fields. Both sides import these names so
they can never drift apart.
"""

from __future__ import annotations

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
    "invoice_cadence": "how often invoices are sent ('monthly', 'on milestone')",
    "services_description": "what services are provided",
    "deliverable": "one deliverable (a decision may carry due_date for it)",
    "milestone": "one milestone (a decision may carry due_date and an amount)",
    "acceptance": "acceptance criteria or acceptance period",
    "uptime_target": "monthly uptime target percentage ('99.9')",
    "measurement_window": "period over which uptime is measured ('calendar month', 'quarter')",
    "response_time": "support response target ('P1: 1 hour')",
    "service_credit": "credit when a target is missed ('10% of the monthly fee')",
    "support_hours": "support coverage ('24x7', '9:00-17:00 CET weekdays')",
    "liability_cap": "limit of liability ('1.5 times the fees paid in the 12 months before the claim')",
    "scope": "MoU: what the parties will collaborate on",
    "responsibility": "MoU: what one party will do (owner names the party)",
    "binding_provisions": "MoU: which provisions are binding ('confidentiality and costs only')",
    "exclusivity": "exclusivity period or statement",
}

CONTRACT_TYPES = ("NDA", "MOU", "SOW", "SLA")

# The value of a term the meeting explicitly left open ("the uptime target stays open until finance
# signs off"): the drafter shows the field TBD, cited where it was left open, and no earlier proposal fills it.
OPEN_VALUE = "TBD"
