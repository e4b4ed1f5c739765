"""DealIndex links every meeting exactly as link_meeting over all of DealBook's open deals does."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from bridge_pipeline import pipeline
from bridge_pipeline.drafting.deal_index import DealIndex
from bridge_pipeline.drafting.deals import link_meeting, meeting_order
from bridge_pipeline_tests.incremental.line import REPO, Line

SAMPLE_DAYS = (dt.date(2026, 5, 14), dt.date(2026, 5, 15))


def _check_day(line: Line, day: dt.date) -> int:
    """Replay the day's drafting against a DealBook and a DealIndex side by side; returns the links checked."""
    book = pipeline._deal_book(day, line.store)
    index = DealIndex(pipeline._deal_book(day, line.store))
    assert index.open_deals() == book.open_deals()
    meetings = {m.meeting_id: m for m in line.store.load_meetings(day)}
    decisions = line.store.load_decisions(day)
    outcomes = line.store.load_drafts(day)
    checked = 0
    for meeting in sorted((meetings[m] for m in outcomes), key=meeting_order):
        found = decisions[meeting.meeting_id].decisions
        link = link_meeting(meeting, found, book.open_deals())
        assert index.link(meeting, found) == link, meeting.meeting_id
        assert index.deal(link.deal_id) == book.deal(link.deal_id)
        book.record(meeting, outcomes[meeting.meeting_id])
        index.record(meeting, outcomes[meeting.meeting_id])
        assert index.open_deals() == book.open_deals()
        checked += 1
    return checked


def test_the_sample_inbox_links_the_same_way(tmp_path: Path):
    line = Line(tmp_path)
    shutil.copytree(REPO / "sample_inbox", line.inbox, dirs_exist_ok=True)
    for day in SAMPLE_DAYS:
        line.run(day, through="contract_drafts")
    assert sum(_check_day(line, day) for day in SAMPLE_DAYS) == 5
    follow_up = line.store.load_drafts(SAMPLE_DAYS[1])["inbox-20260515-vendor-followup-nordlicht-kowalczyk"]
    assert follow_up.deal is not None and follow_up.deal.continues_meeting_id


def test_a_synthetic_day_with_shared_organizers_links_the_same_way(tmp_path: Path):
    # Every vendor call has the same organizer and attendees, so the organizer thread puts each earlier
    # call's deal among the candidates; only the counterparty check keeps them apart.
    line = Line(tmp_path)
    day = dt.date(2026, 5, 14)
    line.build_day(day, 20)
    line.run(day, through="contract_drafts")
    assert _check_day(line, day) == 20
    continuing = [o for o in line.store.load_drafts(day).values() if o.deal and o.deal.continues_meeting_id]
    assert len(continuing) == 4  # each group's follow-up, and nothing else


def test_a_later_day_links_to_deals_of_earlier_days_the_same_way(tmp_path: Path):
    line = Line(tmp_path)
    first, second = dt.date(2026, 5, 14), dt.date(2026, 5, 15)
    line.build_day(first, 10)
    for index in range(10):
        start = dt.datetime.combine(second, dt.time(8), tzinfo=dt.timezone.utc) + dt.timedelta(minutes=30 * index)
        line.add_meeting(second, index, start)
    line.run(first, through="contract_drafts")
    line.run(second, through="contract_drafts")
    assert _check_day(line, second) == 10
    continuing = [o for o in line.store.load_drafts(second).values() if o.deal and o.deal.continues_meeting_id]
    assert len(continuing) >= 2


def test_any_mix_of_title_organizer_and_parties_links_the_same_way(tmp_path: Path):
    # Titles, organizers with their attendees, and decisions taken from different meetings, so every kind
    # of evidence (parties, short names, titles naming parties, deal names, organizer threads) and the
    # other-counterparty rule meet deals they do and do not fit.
    line = Line(tmp_path)
    first, second = dt.date(2026, 5, 14), dt.date(2026, 5, 15)
    line.build_day(first, 10)
    line.run(first, through="contract_drafts")
    book = pipeline._deal_book(second, line.store)
    index = DealIndex(pipeline._deal_book(second, line.store))
    deals = book.open_deals()
    meetings = line.store.load_meetings(first)
    # One meeting of each kind hosts (organizer, attendees); decisions of the first group and of none.
    hosts = list({m.meeting_id.rsplit("-", 1)[0]: m for m in meetings}.values())
    stored = line.store.load_decisions(first)
    decisions = [stored[m.meeting_id] for m in meetings if m.meeting_id.endswith(("0000", "0001", "0002", "0006"))]
    decisions.append(decisions[0].model_copy(update={"decisions": ()}))
    short_names = [" ".join(p.split()[0] for p in deal.parties) + " catch-up" for deal in deals]
    one_party = [f"{deal.parties[0]} — weekly call" for deal in deals if deal.parties]
    titles = [m.title for m in meetings] + short_names + one_party + ["Weekly sync"]
    checked = linked = 0
    for title in titles:
        for host in hosts:
            for found in decisions:
                probe = host.model_copy(update={"meeting_id": "probe", "partition_date": second, "title": title})
                link = link_meeting(probe, found.decisions, book.open_deals())
                assert index.link(probe, found.decisions) == link, (title, host.organizer, found.meeting_id)
                checked += 1
                linked += link.continues_meeting_id is not None
    assert checked > 500 and 0 < linked < checked
