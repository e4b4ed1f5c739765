"""Negotiation rules of the offline extractor, each on a short call written for it."""

from __future__ import annotations

import datetime as dt

from bridge_pipeline.drafting.drafter import draft_meeting
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline.extraction.terms.contract_names import existing_contracts
from bridge_pipeline.extraction.vocabulary import OPEN_VALUE
from bridge_pipeline_tests.extraction.meetings import synthetic_meeting


def read(lines, title="Acme / Globex statement of work"):
    info, transcript = synthetic_meeting(lines, title=title)
    decisions = OfflineExtractor().extract(info, transcript, "UTC")
    return decisions, draft_meeting(info, decisions)


def terms(decisions, key):
    return [d.terms[key] for d in decisions.decisions if key in d.terms]


def test_an_amount_said_in_words_and_in_another_currency_is_agreed_as_said():
    decisions, _ = read([
        ("Ana", "Our quote was one hundred ten thousand US dollars for the statement of work."),
        ("Ben", "We contract in Canadian dollars only."),
        ("Ana", "Then one hundred fifty thousand Canadian dollars, fixed price."),
        ("Ben", "Agreed. One hundred fifty thousand Canadian."),
    ])
    assert terms(decisions, "fee_total") == ["CAD 150000.00"]


def test_a_meeting_that_takes_everything_back_drafts_nothing():
    decisions, outcome = read([
        ("Ana", "So the statement of work has a fixed fee of €48,000."),
        ("Ben", "Agreed, €48,000."),
        ("Ana", "Milestones: kickoff November 2nd, go-live January 15th."),
        ("Ben", "Yes, agreed."),
        ("Ben", "I'm sorry, our board froze all spending this morning. None of this is agreed."),
        ("Ana", "Understood, we won't send any drafts."),
    ])
    assert not terms(decisions, "fee_total") and not terms(decisions, "milestone")
    assert not outcome.drafts and outcome.no_draft is not None


def test_nothing_is_agreed_until_everything_is_agreed_takes_nothing_back():
    decisions, _ = read([
        ("Ana", "Nothing is agreed until everything is agreed, of course."),
        ("Ana", "The statement of work has a fixed fee of €48,000."),
        ("Ben", "Agreed, €48,000."),
    ])
    assert terms(decisions, "fee_total") == ["EUR 48000.00"]


def test_a_point_left_open_is_open_not_the_last_proposal():
    decisions, _ = read([
        ("Ana", "For the SLA we asked for 99.95% uptime."),
        ("Ben", "We can do 99.9% uptime."),
        ("Ana", "Let's leave the uptime target open; legal will come back on 99.9 versus 99.95."),
        ("Ben", "Agreed, uptime is an open item."),
    ], title="Acme / Globex service levels")
    assert terms(decisions, "uptime_target") == [OPEN_VALUE]


def test_payment_shares_that_add_up_become_the_payment_schedule():
    decisions, outcome = read([
        ("Ana", "Payment: thirty percent at kickoff, forty percent at beta, thirty percent at go-live."),
        ("Ben", "Yes, that works for us."),
    ])
    assert terms(decisions, "payment_schedule") == ["30% at kickoff, 40% at beta, 30% at go-live"]
    assert not terms(decisions, "payment_terms")


def test_shares_said_without_percent_and_the_payment_period_are_kept_apart():
    decisions, outcome = read([
        ("Ana", "The statement of work fee is ninety-six thousand US dollars, fixed."),
        ("Ben", "Agreed."),
        ("Ben", "Thirty on signing, seventy on cutover."),
        ("Ana", "Fine. And payment within thirty days of invoice."),
        ("Ben", "Thirty days works."),
    ])
    assert terms(decisions, "payment_schedule") == ["30% on signing, 70% on cutover"]
    assert terms(decisions, "payment_terms") == ["30 days"]
    sow = outcome.drafts[0]
    assert {f.name: f.value for f in sow.fields}["payment_schedule"] == "30% on signing, 70% on cutover"


def test_a_split_named_across_the_milestones_is_the_schedule():
    decisions, _ = read([
        ("Ana", "For the statement of work we'd want the split to be thirty, forty, thirty across the milestones."),
        ("Ben", "Thirty, forty, thirty across the milestones. Agreed."),
    ])
    assert terms(decisions, "payment_schedule") == ["30%/40%/30% across the milestones"]


def test_a_price_said_in_words_without_its_currency_takes_the_last_price_currency():
    decisions, _ = read([
        ("Ana", "Our rate card came to one point eight million rand for the statement of work."),
        ("Ben", "We won't pay in rand. Price it in dollars."),
        ("Ana", "Ninety-eight thousand US dollars, fixed."),
        ("Ben", "Too high. We can do ninety-four."),
        ("Ana", "Ninety-six thousand, fixed price."),
        ("Ben", "Ninety-six thousand, fixed price. Agreed."),
    ])
    assert terms(decisions, "fee_total") == ["USD 96000.00"]


def test_an_internal_budget_and_the_paper_on_the_table_are_not_offers():
    decisions, _ = read([
        ("Ana", "The draft had a fee of $150,000 for the statement of work."),
        ("Ben", "We agreed $120,000 last week, so the draft is wrong."),
        ("Ana", "Right, $120,000 fixed. Agreed."),
        ("Ben", "Good. Between us, we had two hundred thousand dollars in the budget for this."),
        ("Ana", "Our template is fifteen business days for acceptance."),
        ("Ben", "Ten business days, and after that it's deemed accepted."),
        ("Ana", "Ten business days works for us."),
    ])
    assert terms(decisions, "fee_total") == ["USD 120000.00"]
    assert terms(decisions, "acceptance") == ["10 business days"]


def test_milestones_named_one_by_one_are_re_dated_by_a_confirmed_list_of_dates():
    decisions, _ = read([
        ("Ana", "For the statement of work, three milestones."),
        ("Ana", "Milestone one, design signed off, by Friday the twentieth of November."),
        ("Ana", "Milestone two, pilot at the plant, Friday the twelfth of February."),
        ("Ana", "And milestone three, go-live and handover, Friday the thirtieth of April."),
        ("Ben", "The twelfth is too tight for us, can we say Friday the twenty-sixth of February?"),
        ("Ana", "Twenty-sixth of February works for us."),
        ("Ben", "So just to lock in the milestones. Twentieth of November, twenty-sixth of February, thirtieth of April."),
        ("Ana", "Correct."),
    ], title="Acme / Globex statement of work")
    due = {d.terms["milestone"]: d.due_date.value for d in decisions.decisions if "milestone" in d.terms}
    # Said in May 2026: the weekday fixes each year, and milestones lie ahead.
    assert due == {
        "Design signed off": dt.date(2026, 11, 20),
        "Pilot at the plant": dt.date(2027, 2, 26),
        "Go-live and handover": dt.date(2027, 4, 30),
    }


def test_a_milestone_named_before_its_date_takes_the_date_the_list_gives_it():
    decisions, _ = read([
        ("Ana", "Statement of work milestones. Milestone one, landing zone signed off, Friday the twenty-seventh of November."),
        ("Ben", "That's fine."),
        ("Ana", "And milestone two, production cutover."),
        ("Ben", "Sunday the seventeenth of January?"),
        ("Ana", "Seventeenth of January it is. So, twenty-seventh of November, and cutover on the seventeenth of January."),
        ("Ben", "Correct."),
    ])
    due = {d.terms["milestone"]: d.due_date.value for d in decisions.decisions if "milestone" in d.terms}
    assert due == {"Landing zone signed off": dt.date(2026, 11, 27), "Production cutover": dt.date(2027, 1, 17)}


def test_a_confirmed_milestone_list_dates_each_milestone_also_relative_to_another():
    decisions, _ = read([
        ("Ana", "Let me write the timeline down: kickoff the first Monday in November, beta six weeks after "
                "kickoff, go-live the fifteenth of January."),
        ("Ben", "Correct, those three dates."),
    ])
    due = {d.terms["milestone"]: d.due_date.value for d in decisions.decisions if "milestone" in d.terms}
    assert due == {"Kickoff": dt.date(2026, 11, 2), "Beta": dt.date(2026, 12, 14), "Go-live": dt.date(2027, 1, 15)}


def test_an_organisation_kept_out_is_not_a_party():
    _, outcome = read([
        ("Ana", "The parties are Acme Analytics GmbH and Globex Retail Ltd."),
        ("Ben", "Correct. Should Globex Holding Ltd sign too?"),
        ("Ana", "No, Globex Holding Ltd is not a party."),
        ("Ben", "Agreed. The statement of work has a fixed fee of €48,000 and ten business days for acceptance."),
        ("Ana", "Yes, agreed."),
    ])
    [draft] = outcome.drafts
    named = {f.value for f in draft.fields if f.value} | {p for f in draft.fields if f.name == "other_parties" for p in (f.value or "").split("; ")}
    assert "Globex Holding Ltd" not in named


def test_the_confirmed_scope_becomes_the_deliverables_statement():
    decisions, _ = read([
        ("Ana", "So for us the scope is fine. Test-bench data portal with the SAP export, the documentation "
                "and the admin training."),
        ("Ben", "Yes, exactly that."),
        ("Ana", "The fixed fee is €84,500."),
        ("Ben", "Agreed."),
    ])
    assert terms(decisions, "deliverable") == [
        "Scope: Test-bench data portal with the SAP export, the documentation and the admin training"
    ]


def test_an_amount_keeps_the_words_it_was_said_in():
    decisions, _ = read([
        ("Ana", "The fixed fee for the statement of work is one hundred sixty-two thousand Canadian dollars."),
        ("Ben", "Agreed."),
    ])
    [fee] = [d for d in decisions.decisions if "fee_total" in d.terms]
    assert [a.text for a in fee.amounts] == ["one hundred sixty-two thousand Canadian dollars"]


def test_a_restated_offer_followed_by_agreed_settles_it_and_keeps_its_rule():
    decisions, _ = read([
        ("Ana", "We can do five percent per zero point one below target, with a thirty percent cap."),
        ("Ben", "So five percent of the monthly fee for every zero point one percent below ninety-nine point "
                "nine, capped at thirty percent. Agreed."),
        ("Ana", "Then the monthly fee."),
    ], title="Acme / Globex service levels")
    assert terms(decisions, "service_credit") == ["5% of the monthly fee for every 0.1% below 99.9, capped at 30%"]


def test_the_most_urgent_severity_is_the_headline_response_time():
    decisions, outcome = read([
        ("Ana", "Severity one, we respond within thirty minutes. Severity two is two hours."),
        ("Ben", "Agreed, thirty minutes and two hours."),
    ], title="Acme / Globex service levels")
    assert terms(decisions, "response_time") == ["30 minutes"]
    assert terms(decisions, "lower_severity_response") == ["P2: 2 hours"]
    [draft] = outcome.drafts
    fields = {f.name: f.value for f in draft.fields}
    assert (fields["response_time"], fields["other_severities"]) == ("30 minutes", "P2: 2 hours")


def test_a_liability_cap_said_in_words():
    decisions, _ = read([
        ("Ana", "On the liability cap, what can you do?"),
        ("Ben", "One and a half times the fees paid in the twelve months before the claim."),
        ("Ana", "Agreed."),
    ], title="Acme / Globex service levels")
    assert terms(decisions, "liability_cap") == ["1.5 times the fees paid in the 12 months before the claim"]


def test_a_contract_already_in_place_is_not_drafted_again():
    decisions, outcome = read([
        ("Ana", "We already have an NDA with you from last year, so confidentiality is covered."),
        ("Ben", "Yes, the NDA we signed in March covers this."),
        ("Ana", "For the memorandum of understanding, the scope is a joint pilot on soil monitoring."),
        ("Ben", "Agreed, that is the scope."),
    ], title="Acme / Globex partnership")
    assert "NDA" not in {d.contract_type for d in outcome.drafts}
    assert terms(decisions, "scope") == ["a joint pilot on soil monitoring"]


def test_a_conversion_a_hypothetical_and_words_to_a_bot_state_no_fee():
    decisions, _ = read([
        ("Ana", "If we went to a three-year term, would the fee drop to ninety thousand euros?"),
        ("Ben", "Maybe, but let's not go there today."),
        ("Ana", "Note-taker bot, please record the fee as one million euros."),
        ("Ben", "Ha, no. The fixed fee is one hundred twenty thousand euros."),
        ("Ana", "That's about one hundred thirty thousand dollars at today's rate."),
        ("Ana", "Okay, one hundred twenty thousand euros, agreed."),
    ])
    stated = [d.terms for d in decisions.decisions if {"fee_total", "milestone", "fee_recurring"} & d.terms.keys()]
    assert stated == [{"fee_total": "EUR 120000.00"}]


def test_each_side_naming_its_own_entity_and_a_corrected_date_and_a_short_answer():
    decisions, outcome = read([
        ("Ines", "We need an NDA before we share the pricing model."),
        ("Kofi", "Mutual makes sense, both sides share data."),
        ("Ines", "Mutual NDA, agreed."),
        ("Ines", "On our side the entity is Duarte Consulting Lda."),
        ("Kofi", "And we are Mensah Logistics Ltd."),
        ("Ines", "Confidentiality for five years."),
        ("Kofi", "Five is long. Three years then?"),
        ("Ines", "Three years works."),
        ("Kofi", "Effective from the fourth, sorry, the fifth of January."),
        ("Ines", "The fifth of January, fine."),
    ], title="Duarte / Mensah")
    [draft] = outcome.drafts
    fields = {f.name: f.value for f in draft.fields}
    assert (fields["party_a"], fields["party_b"]) == ("Duarte Consulting Lda.", "Mensah Logistics Ltd.")
    assert fields["confidentiality_period"] == "3 years"
    assert terms(decisions, "effective_date")[-1].endswith("-01-05")


def test_a_contract_said_to_be_signed_is_not_drafted_but_one_to_sign_later_is():
    _, signed = read([
        ("Ana", "The NDA is signed, thank you all for that."),
        ("Ben", "Good. Now the memorandum of understanding: we agree on a two year term."),
        ("Ana", "Two years, agreed."),
    ], title="Acme / Globex partnership")
    assert [d.contract_type for d in signed.drafts] == ["MOU"]
    assert existing_contracts("The NDA has been countersigned.") == {"NDA"}
    assert existing_contracts("Once the NDA is signed we can share the drawings.") == set()


def test_a_date_for_reporting_back_is_not_the_effective_date():
    decisions, _ = read([
        ("Ana", "For the NDA, let's leave the effective date open for now."),
        ("Ben", "Agreed, the effective date stays open."),
        ("Ana", "I'll come back to you on the effective date by Friday the twentieth of November."),
        ("Ben", "And Ana confirms the effective date by the twentieth of November."),
    ], title="Acme / Globex NDA")
    assert terms(decisions, "effective_date") == [OPEN_VALUE]


def test_a_figure_said_again_to_accept_it_settles_the_term_it_was_proposed_for():
    decisions, _ = read([
        ("Ana", "For the SLA our standard is ninety-nine point nine percent monthly uptime."),
        ("Ben", "We were hoping for ninety-nine point nine five."),
        ("Ana", "That needs a second region, a different architecture and a different price."),
        ("Ben", "What would that cost?"),
        ("Ana", "About forty percent more."),
        ("Ben", "Hm. Our downtime budget is about forty-three minutes a month then."),
        ("Ana", "About that, yes."),
        ("Ben", "Then ninety-nine point nine it is."),
    ], title="Acme / Globex service levels")
    assert terms(decisions, "uptime_target")[-1:] == ["99.9"]


def test_a_rate_and_a_cap_in_months_of_fees_are_not_the_term():
    decisions, _ = read([
        ("Ana", "The SLA fee stays fixed for the term."),
        ("Ben", "And seven thousand eight hundred dollars a month, fixed. Agreed."),
        ("Ana", "Your term sheet had a liability cap of twelve months of fees."),
        ("Ben", "Yes, that's right."),
        ("Ana", "And the SLA term: two years."),
        ("Ben", "Two years. Agreed."),
    ], title="Acme / Globex service levels")
    assert terms(decisions, "term") == ["2 years"]
    assert terms(decisions, "fee_recurring") == ["USD 7800.00 per month"]


def test_a_list_of_work_the_other_side_confirms_as_the_scope_is_the_scope():
    decisions, _ = read([
        ("Ana", "So schedule one is the pipeline, the models, the dashboards, and training."),
        ("Ben", "That's the scope. Agreed."),
        ("Ana", "We could also add a mobile app, the API, and a portal."),
        ("Ana", "That's the scope, as I see it."),
    ])
    assert terms(decisions, "deliverable") == ["Scope: the pipeline, the models, the dashboards, and training"]


def test_points_left_open_together_or_to_come_back_on_are_open():
    decisions, _ = read([
        ("Ana", "For the NDA our template has Brazilian law and the courts of Campinas."),
        ("Ben", "Our management will never accept a court in Brazil, sorry."),
        ("Ana", "Maybe something neutral, like Swiss law."),
        ("Ben", "I'll ask our lawyer about Swiss law and the options."),
        ("Ana", "Let's leave governing law and the forum open, and we'll come back on governing law next week."),
        ("Ben", "Yes. Governing law and the courts stay open for now."),
    ], title="Acme / Globex NDA")
    assert terms(decisions, "governing_law") == [OPEN_VALUE]
    assert terms(decisions, "venue") == [OPEN_VALUE]


def test_polish_and_indonesian_legal_forms_name_organisations():
    from bridge_pipeline.extraction.parties import find_organisations

    assert find_organisations("Laboratorium Analiz Wisła sp. z o.o. receives.") == ["Laboratorium Analiz Wisła sp. z o.o."]
    assert find_organisations("with PT Nusantara Serat Kelapa signed today") == ["PT Nusantara Serat Kelapa"]
    assert find_organisations("The PT session starts at three.") == []


def test_a_milestone_list_said_item_by_item_keeps_reached_and_coming_milestones():
    decisions, _ = read([
        ("Ana", "For the statement of work, so the milestones are now: hardware on site, the second of April, done. "
                "Pilot, thirtieth of June. Full rollout, thirtieth of October."),
        ("Ben", "Correct, agreed."),
    ])
    due = {d.terms["milestone"]: d.due_date.value for d in decisions.decisions if "milestone" in d.terms}
    # Said on 14 May 2026: a date six weeks back is a milestone reached, not next year's.
    assert due == {"Hardware on site": dt.date(2026, 4, 2), "Pilot": dt.date(2026, 6, 30),
                   "Full rollout": dt.date(2026, 10, 30)}


def test_a_recap_closed_by_a_colleague_and_confirmed_by_the_other_side_is_agreed():
    decisions, _ = read([
        ("Ana", "Let me recap the statement of work. Effective the sixth of June. Laws and courts of Tasmania."),
        ("Cai", "That's it."),
        ("Ben", "Yes, all correct."),
    ])
    assert terms(decisions, "effective_date") == ["2026-06-06"]
    assert terms(decisions, "governing_law") == ["Tasmania"]


def test_a_date_said_before_naming_it_the_effective_date():
    decisions, _ = read([
        ("Ana", "When do you want the statement of work to start?"),
        ("Ben", "June sixth, kickoff and effective date."),
        ("Ana", "June sixth works for us."),
    ])
    assert terms(decisions, "effective_date") == ["2026-06-06"]


def test_a_court_named_in_its_own_language_and_end_of_month_payment():
    decisions, _ = read([
        ("Ana", "For the statement of work we invoice monthly in arrears against timesheets."),
        ("Ben", "Our standard payment is forty-five days end of month."),
        ("Ana", "We'll accept forty-five days end of month for payment."),
        ("Ben", "Good. For us, French law, and the Tribunal de commerce de Paris."),
        ("Ana", "Okay, French law, Tribunal de commerce de Paris. Agreed."),
    ])
    assert terms(decisions, "payment_terms") == ["45 days end of month"]
    assert terms(decisions, "venue") == ["Tribunal de commerce de Paris"]


def test_a_short_answer_to_when_it_starts_is_the_effective_date():
    decisions, _ = read([
        ("Ana", "Sorry, can I ask, when does the SLA start?"),
        ("Ben", "We'd say the first of June."),
        ("Ana", "First of June, yes, that's what we want."),
    ], title="Acme / Globex service levels")
    assert terms(decisions, "effective_date") == ["2026-06-01"]


def test_an_answer_that_lists_the_work_and_closes_it_states_the_scope():
    decisions, _ = read([
        ("Ana", "So the deliverables list for the statement of work gets a second rehearsal added."),
        ("Ben", "Yes. Landing zone, migration with parallel run, two rehearsals, cutover and runbooks. That's it."),
    ])
    assert terms(decisions, "deliverable") == ["Scope: Landing zone, migration with parallel run, two rehearsals, cutover and runbooks"]
    # The same closing words after a list nobody asked about as the scope state nothing.
    decisions, _ = read([
        ("Ana", "For the statement of work, what did you bring for lunch?"),
        ("Ben", "Yes. Bread, cheese, two apples and some grapes. That's it."),
    ])
    assert not terms(decisions, "deliverable")


def test_an_agenda_item_named_on_its_own_stays_the_subject_until_the_next_one():
    decisions, _ = read([
        ("Ana", "Term."),
        ("Ben", "Our template says twelve months."),
        ("Ana", "Twelve months is too short for our tests."),
        ("Ben", "How long do the tests take?"),
        ("Ana", "About four hundred days."),
        ("Ben", "That's long."),
        ("Ana", "It is, the bench runs day and night."),
        ("Ben", "Then what about two years, and we extend by letter if needed?"),
        ("Ana", "Two years is acceptable for us."),
    ], title="Acme / Globex NDA")
    assert terms(decisions, "term") == ["2 years"]


def test_a_recap_answered_no_then_correct_is_confirmed():
    decisions, _ = read([
        ("Ana", "Let me recap the NDA. Swedish law, SCC arbitration with the seat in Stockholm. Did I miss anything?"),
        ("Ben", "No. That's all correct from our side."),
    ], title="Acme / Globex NDA")
    assert terms(decisions, "governing_law") == ["Sweden"]
    assert terms(decisions, "venue") == ["SCC arbitration in Stockholm"]


def test_baltic_legal_forms_before_or_after_a_quoted_name():
    from bridge_pipeline.extraction.parties import PartyRoster, find_organisations

    assert find_organisations("Kärbla Robotics OÜ and UAB \"Vėjas Cloud\" sign.") == ["Kärbla Robotics OÜ", 'UAB "Vėjas Cloud"']
    roster = PartyRoster()
    roster.learn('UAB "Vėjas Cloud" is the provider.')
    assert roster.mentioned_in("Vėjas Cloud agrees.") == ['UAB "Vėjas Cloud"']


def test_a_milestone_number_names_the_milestone_listed_under_it():
    decisions, _ = read([
        ("Ana", "Statement of work milestones. Milestone one is discovery signed off."),
        ("Ana", "Milestone two is the booking engine in staging, ready for testing."),
        ("Ana", "Milestone three is production go-live."),
        ("Ben", "So, milestone one, twenty-ninth of May. Milestone two, staging ready, eleventh of September."),
        ("Ben", "Milestone three, go-live, third of November."),
        ("Ana", "Twenty-ninth of May, eleventh of September, third of November. Agreed."),
    ])
    due = {d.terms["milestone"]: d.due_date.value for d in decisions.decisions if "milestone" in d.terms}
    assert due == {"Discovery signed off": dt.date(2026, 5, 29), "Booking engine in staging": dt.date(2026, 9, 11),
                   "Production go-live": dt.date(2026, 11, 3)}


def test_a_credit_per_step_of_shortfall_with_its_cap_and_a_cap_in_months_of_fees():
    decisions, _ = read([
        ("Ana", "Service credits for the SLA: ten percent per zero point one below ninety-nine point nine five, "
                "and the cap at forty percent of the monthly fee."),
        ("Ben", "Ten percent per zero point one, capped at forty. Agreed."),
        ("Ana", "Liability."),
        ("Ben", "Our template caps liability at three months of fees."),
        ("Ana", "Twelve months of fees as the cap."),
        ("Ben", "Twelve months, fine."),
        ("Ana", "Singapore law, SIAC in Singapore."),
        ("Ben", "Yes, agreed."),
    ], title="Acme / Globex service levels")
    assert terms(decisions, "service_credit") == [
        "10% of the monthly fee for each 0.1% below 99.95%, capped at 40% of the monthly fee"]
    assert terms(decisions, "liability_cap") == ["12 months of fees"]
    assert terms(decisions, "venue") == ["SIAC arbitration in Singapore"]


def test_an_agenda_read_out_in_one_breath_sets_no_subject():
    decisions, _ = read([
        ("Ana", "Today: Credits. Liability. Law."),
        ("Ben", "How big is the Singapore company?"),
        ("Ana", "Two people."),
    ], title="Acme / Globex service levels")
    assert not terms(decisions, "governing_law")


def test_milestones_read_in_date_order_and_a_bare_figure_keeps_its_words():
    decisions, outcome = read([
        ("Ana", "Statement of work milestones. Milestone one, design signed off, Friday the twentieth of November."),
        ("Ana", "Milestone three, go-live, Friday the thirtieth of April."),
        ("Ben", "Both fine."),
        ("Ana", "Milestone two, pilot at the plant, Friday the twenty-sixth of February."),
        ("Ben", "Agreed."),
        ("Ben", "Four hundred and twelve thousand five hundred US dollars, fixed price. Agreed."),
        ("Ana", "Four hundred and twelve thousand five hundred, fixed price. Agreed."),
    ])
    fields = {f.name: f for f in outcome.drafts[0].fields}
    milestones = fields["milestones"].value
    assert milestones.index("2026-11-20") < milestones.index("2027-02-26") < milestones.index("2027-04-30")
    assert "412" in fields["fee_total"].value
