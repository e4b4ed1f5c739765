"""Linking a meeting to the earlier deal it continues (same parties, deal name, or organizer thread), with the reason.

A deal is identified by the meeting that opened it: `deal_id` is that meeting's id, and every later meeting
linked to it keeps the id. Linking only looks at drafts that already exist (earlier days, or meetings of the
same day drafted before this one), so re-running a day links it the same way.

Evidence, strongest first:
- parties: the meeting's decisions name two or more organisations, all of them parties of the deal;
- parties in the title: the title names two or more of the deal's parties, by legal or short name;
- deal name: both titles start with the same distinctive name (the part before a dash or colon);
- organizer thread: the same organizer, and most of the smaller participant list in both meetings.
A meeting whose decisions name only organisations outside the deal is linked to it only when its title
names the deal's parties (a new subcontractor in a meeting about the same deal); a shared deal name or
organizer alone does not link it.
Each kind of evidence (`EVIDENCE`) also says under which keys the deals it can hold for are found, so the
day's deal index (deal_index.py) follows these rules instead of a copy of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable, Hashable, Iterable, Mapping, Sequence

from bridge_pipeline.drafting.fields import LIST_SEPARATOR
from bridge_pipeline.drafting.parties import org_key, plain_words
from bridge_pipeline.drafting.party_fields import is_named, named_parties
from bridge_pipeline.drafting.templates import load_template
from bridge_pipeline.models import ContractDraft, DealLink, Decision, MeetingDrafts, MeetingInfo

# Title separators: what comes before the first one is taken as the deal's name.
_TITLE_SEPARATOR = re.compile(r"\s[—–\-|]\s|:\s|\s[—–]|[—–]\s")
# Words that name a kind of meeting, not a deal; a title made only of these names no deal.
GENERIC_TITLE_WORDS = frozenset(
    "a an and the of for with to on in call calls meeting meetings sync weekly daily monthly quarterly review "
    "follow followup up kickoff kick off catch check intro introduction team vendor client customer partner "
    "partnership project status update discussion negotiation planning session workshop internal external "
    "nda mou sow sla contract agreement x".split()
)
MIN_SHARED_PARTICIPANT_SHARE = 2 / 3
"""Organizer thread: the share of the smaller participant list that must attend both meetings."""


@dataclass(frozen=True)
class OpenDeal:
    """An earlier deal as linking sees it: its meetings, its parties and the latest version of each draft."""

    deal_id: str
    meetings: tuple[MeetingInfo, ...]
    parties: tuple[str, ...]
    drafts: tuple[ContractDraft, ...]

    @property
    def latest_meeting(self) -> MeetingInfo | None:
        return max(self.meetings, key=meeting_order, default=None)

    def draft_of_type(self, contract_type: str) -> ContractDraft | None:
        """The most recent draft of that type in the deal (there is normally one per type)."""
        found = [d for d in self.drafts if d.contract_type == contract_type]
        return max(found, key=lambda d: (d.partition_date, d.version, d.draft_id), default=None)


def meeting_order(meeting: MeetingInfo) -> tuple[dt.date, str, str]:
    """Sort key: day, then start time (unknown first), then id, so order is stable."""
    started = meeting.started_at.astimezone(dt.timezone.utc).isoformat() if meeting.started_at else ""
    return (meeting.partition_date, started, meeting.meeting_id)


def deal_of(draft: ContractDraft) -> str:
    """The deal a stored draft belongs to; drafts made before deals existed open their own."""
    return draft.deal_id or draft.meeting_id


def draft_parties(draft: ContractDraft) -> list[str]:
    """Organisations a draft names: its party fields and the unassigned-parties list."""
    template = load_template(draft.contract_type)
    names: list[str] = []
    for spec in template.fields:
        value = (draft.field(spec.name).value if draft.field(spec.name) else None) or ""
        if spec.kind == "party" and value:
            names.append(value)
        elif spec.collects_unassigned_parties and value:
            names.extend(v for v in value.split(LIST_SEPARATOR) if v.strip())
    return names


@dataclass
class DealBook:
    """The latest version of every draft a meeting may continue, and the meetings they came from.

    Built from the store before a day is drafted; `record` adds each meeting's outcome, so a later
    meeting of the same day can continue a deal opened or changed earlier that day.
    """

    drafts: dict[str, ContractDraft] = field(default_factory=dict)
    meetings: dict[str, MeetingInfo] = field(default_factory=dict)

    @classmethod
    def from_drafts(cls, drafts: Iterable[ContractDraft], meetings: Mapping[str, MeetingInfo]) -> "DealBook":
        book = cls(meetings=dict(meetings))
        for draft in drafts:
            book._keep_latest(draft)
        return book

    def _keep_latest(self, draft: ContractDraft) -> None:
        known = self.drafts.get(draft.draft_id)
        if known is None or draft.version >= known.version:
            self.drafts[draft.draft_id] = draft

    def record(self, meeting: MeetingInfo, outcome: MeetingDrafts) -> None:
        self.meetings[meeting.meeting_id] = meeting
        for draft in outcome.drafts:
            self._keep_latest(draft)

    def open_deals(self) -> list[OpenDeal]:
        grouped: dict[str, list[ContractDraft]] = {}
        for draft in sorted(self.drafts.values(), key=lambda d: d.draft_id):
            grouped.setdefault(deal_of(draft), []).append(draft)
        deals = []
        for deal_id, drafts in sorted(grouped.items()):
            meeting_ids = dict.fromkeys([deal_id] + [d.meeting_id for d in drafts])
            meetings = tuple(self.meetings[m] for m in meeting_ids if m in self.meetings)
            parties = tuple(dict.fromkeys(name for d in drafts for name in draft_parties(d)))
            deals.append(OpenDeal(deal_id=deal_id, meetings=meetings, parties=parties, drafts=tuple(drafts)))
        return deals

    def deal(self, deal_id: str) -> OpenDeal | None:
        return next((d for d in self.open_deals() if d.deal_id == deal_id), None)


# --- evidence --------------------------------------------------------------------------------------


def meeting_parties(decisions: Sequence[Decision]) -> list[str]:
    """Organisations a meeting's decisions name (parties and role terms), short forms folded into legal names."""
    return [p.name for p in named_parties(decisions)]


def deal_name(title: str) -> str | None:
    """The distinctive name a title starts with ('Nordlicht × Kowalczyk — SOW' -> 'nordlicht kowalczyk')."""
    head = _TITLE_SEPARATOR.split(title, maxsplit=1)[0]
    words = plain_words(head).split()
    if len(words) < 2 or all(w in GENERIC_TITLE_WORDS or w.isdigit() for w in words):
        return None
    return " ".join(words)


def _short_name(party: str) -> str:
    """The first word of an organisation's key, as people say it ('nordlicht' of 'Nordlicht Analytics GmbH')."""
    words = org_key(party).split()
    return words[0] if words else ""


def parties_in_title(title: str, parties: Sequence[str]) -> list[str]:
    """The parties a title names, by full name or by their distinctive first word."""
    words = f" {plain_words(title)} "
    named = []
    for party in parties:
        short = _short_name(party)
        full = org_key(party)
        if (full and f" {full} " in words) or (
            len(short) >= 3 and short not in GENERIC_TITLE_WORDS and f" {short} " in words
        ):
            named.append(party)
    return named


def _person(name: str | None) -> str:
    return plain_words(name or "")


def _org_keys(parties: Iterable[str]) -> set[str]:
    return {key for party in parties if (key := org_key(party))}


def _leading_words(key: str) -> list[str]:
    """'kowalczyk logistics sp' -> ['kowalczyk', 'kowalczyk logistics', 'kowalczyk logistics sp']: the key and
    every short form of it (is_short_form)."""
    words = key.split()
    return [" ".join(words[:n]) for n in range(1, len(words) + 1)]


@dataclass(frozen=True)
class Evidence:
    """One kind of evidence that a meeting continues a deal, and where a deal index finds the deals it can hold for.

    `reason` says why the meeting continues the deal, or None. The keys are a necessary condition of it:
    the reason can be given only for a deal with at least `min_shared` distinct items filed under keys the
    meeting looks up (`deal_keys` gives (key, item) pairs, `meeting_keys` the keys). Evidence that does not
    name the deal's parties (`names_parties` False) is set aside when the meeting is with another
    counterparty, so a meeting that names parties needs it only for deals without parties: a deal that
    shares one of its parties is found under the parties keys. `DealIndex` (deal_index.py) looks deals up
    this way; `link_meeting` only weighs the reasons.
    """

    reason: Callable[[MeetingInfo, Sequence[str], OpenDeal], str | None]
    deal_keys: Callable[[OpenDeal], Iterable[tuple[Hashable, str]]]
    meeting_keys: Callable[[MeetingInfo, Sequence[str]], Iterable[Hashable]]
    names_parties: bool
    min_shared: int = 1


def _shared_parties(meeting: MeetingInfo, parties: Sequence[str], deal: OpenDeal) -> str | None:
    deal_keys = {org_key(p) for p in deal.parties}
    if len({org_key(p) for p in parties}) >= 2 and all(is_named(p, deal_keys) for p in parties):
        return f"its decisions name the deal's parties {', '.join(parties)}"
    return None


def _deal_party_keys(deal: OpenDeal) -> Iterable[tuple[Hashable, str]]:
    """Each party key, as itself and as every key it starts with: is_named meets a meeting party in either."""
    for key in _org_keys(deal.parties):
        yield ("is", key), key
        for words in _leading_words(key):
            yield ("starts", words), key


def _meeting_party_keys(meeting: MeetingInfo, parties: Sequence[str]) -> Iterable[Hashable]:
    for key in _org_keys(parties):
        yield ("starts", key)  # a deal key equal to it, or of which it is a short form
        for shorter in _leading_words(key)[:-1]:
            yield ("is", shorter)  # a deal key that is a short form of it


def _title_names_parties(meeting: MeetingInfo, parties: Sequence[str], deal: OpenDeal) -> str | None:
    named = parties_in_title(meeting.title, deal.parties)
    if len({org_key(p) for p in named}) >= 2:
        return f"its title names the deal's parties {', '.join(named)}"
    return None


def _deal_first_words(deal: OpenDeal) -> Iterable[tuple[Hashable, str]]:
    """parties_in_title names a party by its full key or its first word; either way its first word is in the title."""
    for key in _org_keys(deal.parties):
        yield key.split()[0], key


def _meeting_title_words(meeting: MeetingInfo, parties: Sequence[str]) -> Iterable[Hashable]:
    return set(plain_words(meeting.title).split())


def _same_deal_name(meeting: MeetingInfo, parties: Sequence[str], deal: OpenDeal) -> str | None:
    name = deal_name(meeting.title)
    if name is None:
        return None
    for earlier in sorted(deal.meetings, key=meeting_order, reverse=True):
        if deal_name(earlier.title) == name:
            return f"its title carries the deal name {name!r} like {earlier.meeting_id}"
    return None


def _deal_names(deal: OpenDeal) -> Iterable[tuple[Hashable, str]]:
    for meeting in deal.meetings:
        if (name := deal_name(meeting.title)) is not None:
            yield name, name


def _meeting_deal_name(meeting: MeetingInfo, parties: Sequence[str]) -> Iterable[Hashable]:
    name = deal_name(meeting.title)
    return () if name is None else (name,)


def _organizer_thread(meeting: MeetingInfo, parties: Sequence[str], deal: OpenDeal) -> str | None:
    organizer = _person(meeting.organizer)
    if not organizer:
        return None
    attendees = {_person(p) for p in meeting.participants} - {""}
    for earlier in sorted(deal.meetings, key=meeting_order, reverse=True):
        if _person(earlier.organizer) != organizer:
            continue
        others = {_person(p) for p in earlier.participants} - {""}
        shared = attendees & others
        smaller = min(len(attendees), len(others))
        if len(shared) >= 2 and smaller and len(shared) / smaller >= MIN_SHARED_PARTICIPANT_SHARE:
            return (
                f"it is organised by {meeting.organizer} like {earlier.meeting_id}, "
                f"with {len(shared)} of {smaller} participants in both"
            )
    return None


def _deal_organizers(deal: OpenDeal) -> Iterable[tuple[Hashable, str]]:
    for meeting in deal.meetings:
        if organizer := _person(meeting.organizer):
            yield organizer, organizer


def _meeting_organizer(meeting: MeetingInfo, parties: Sequence[str]) -> Iterable[Hashable]:
    organizer = _person(meeting.organizer)
    return (organizer,) if organizer else ()


EVIDENCE = (
    Evidence(_shared_parties, _deal_party_keys, _meeting_party_keys, names_parties=True),
    Evidence(_title_names_parties, _deal_first_words, _meeting_title_words, names_parties=True, min_shared=2),
    Evidence(_same_deal_name, _deal_names, _meeting_deal_name, names_parties=False),
    Evidence(_organizer_thread, _deal_organizers, _meeting_organizer, names_parties=False),
)
"""The evidence, strongest first (see the module docstring)."""


def _other_counterparty(parties: Sequence[str], deal: OpenDeal) -> bool:
    """The meeting names organisations and none of them is a party of the deal: a different deal."""
    deal_keys = {org_key(p) for p in deal.parties}
    return bool(parties) and bool(deal_keys) and not any(is_named(p, deal_keys) for p in parties)


def _reasons(meeting: MeetingInfo, parties: Sequence[str], deal: OpenDeal) -> list[str]:
    found = [(evidence, reason) for evidence in EVIDENCE if (reason := evidence.reason(meeting, parties, deal))]
    if not any(evidence.names_parties for evidence, _ in found) and _other_counterparty(parties, deal):
        # Same project name or organizer, but the meeting is with someone else: a different deal.
        return []
    return [reason for _, reason in found]


def link_meeting(meeting: MeetingInfo, decisions: Sequence[Decision], deals: Sequence[OpenDeal]) -> DealLink:
    """The deal the meeting continues (most evidence, then the most recent), or a new deal it opens."""
    parties = meeting_parties(decisions)
    scored = []
    for deal in deals:
        if any(m.meeting_id == meeting.meeting_id for m in deal.meetings):
            continue  # a meeting never continues a deal it is already part of
        reasons = _reasons(meeting, parties, deal)
        latest = deal.latest_meeting
        if reasons and latest is not None:
            scored.append((len(reasons), meeting_order(latest), deal.deal_id, reasons, latest))
    if not scored:
        return DealLink(
            meeting_id=meeting.meeting_id,
            deal_id=meeting.meeting_id,
            reason="opens a new deal: no earlier draft shares its parties, deal name or organizer thread",
        )
    _, _, deal_id, reasons, latest = max(scored, key=lambda s: (s[0], s[1], s[2]))
    return DealLink(
        meeting_id=meeting.meeting_id,
        deal_id=deal_id,
        continues_meeting_id=latest.meeting_id,
        reason=f"continues deal {deal_id}: " + "; ".join(reasons),
    )
