"""Invented meeting dialogues for the fakes, rendered the way Teams and Zoom write their files.

Teams: WEBVTT with `<guid>/<n>-0` cue ids and `<v Speaker>text</v>` bodies, LF line ends.
Zoom: WEBVTT with numbered cues and `Speaker: text` bodies, CRLF line ends; chat as
`HH:MM:SS<TAB>Name:<TAB>message` lines. All people and companies here are made up.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    speaker: str
    text: str


@dataclass(frozen=True)
class Dialogue:
    key: str
    title: str
    lines: tuple[Line, ...]

    @property
    def speakers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(line.speaker for line in self.lines))


def _dialogue(key: str, title: str, *lines: tuple[str, str]) -> Dialogue:
    return Dialogue(key, title, tuple(Line(speaker, text) for speaker, text in lines))


DIALOGUES: tuple[Dialogue, ...] = (
    _dialogue(
        "nda-brightwater",
        "Brightwater Labs / Quayside Freight: data sharing NDA",
        ("Mara Lindqvist", "Thanks for joining. The goal today is the NDA so Quayside can send us its route data."),
        ("Tobias Renner", "Fine by us. The contracting party on our side is Quayside Freight Ltd."),
        ("Mara Lindqvist", "And ours is Brightwater Labs GmbH. Shall we make it mutual? We will share model outputs too."),
        ("Tobias Renner", "Mutual works. We agree the confidentiality obligations last three years after signature."),
        ("Mara Lindqvist", "Agreed, three years. Governing law would be English law, if that suits you."),
        ("Tobias Renner", "English law is fine. Who sends the first draft?"),
        ("Mara Lindqvist", "I will send the draft NDA by Friday."),
        ("Tobias Renner", "Great, I will have legal review it the week after."),
    ),
    _dialogue(
        "sow-harbor",
        "Harbor Analytics pilot: statement of work",
        ("Priya Natarajan", "Let us settle the statement of work for the forecasting pilot."),
        ("Jonas Adeyemi", "Agreed, a statement of work it is."),
        ("Priya Natarajan", "Scope is a demand forecast for the two northern warehouses, delivered as a weekly report."),
        ("Jonas Adeyemi", "Yes, that is the scope."),
        ("Priya Natarajan", "We agreed on a fixed fee of 48,000 euros for the pilot."),
        ("Jonas Adeyemi", "Yes, 48,000 euros, paid in two instalments: half at kickoff, half on acceptance."),
        ("Priya Natarajan", "The pilot starts on the first of June and runs for twelve weeks."),
        ("Jonas Adeyemi", "Fine by us, the first of June for twelve weeks."),
        ("Priya Natarajan", "Acceptance period: ten business days after each weekly report."),
        ("Jonas Adeyemi", "Ten business days works."),
        ("Priya Natarajan", "Agreed. Jonas, can you send the signed purchase order by the end of the month?"),
        ("Jonas Adeyemi", "I will send the purchase order by the end of the month."),
    ),
    _dialogue(
        "sla-northwind",
        "Northwind hosting: service levels",
        ("Elena Sokolova", "Today we fix the service levels for the hosted dashboard."),
        ("Samir Haddad", "We can commit to 99.9 percent monthly availability."),
        ("Elena Sokolova", "Agreed on 99.9 percent. Critical incidents need a response within one hour."),
        ("Samir Haddad", "One hour for critical, one business day for everything else. That works."),
        ("Elena Sokolova", "If availability drops below target we get a service credit of ten percent of the monthly fee."),
        ("Samir Haddad", "Ten percent credit is acceptable to us."),
        ("Elena Sokolova", "Samir will share the incident escalation contacts by next Wednesday."),
    ),
    _dialogue(
        "mou-coastal",
        "Coastal Energy / Fernhill University: research partnership",
        ("Hannah Okafor", "We want a memorandum of understanding before any money changes hands."),
        ("Luis Ferreira", "Agreed, a non-binding MoU first. The parties are Coastal Energy AG and Fernhill University."),
        ("Hannah Okafor", "Both sides will explore a joint study on grid storage over the next six months."),
        ("Luis Ferreira", "Each party carries its own costs during that period."),
        ("Hannah Okafor", "Decision: we meet again in September to decide on a funded project."),
        ("Luis Ferreira", "I will circulate a first MoU text to both legal teams next week."),
    ),
)


def _timestamp(seconds: float) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours):02d}:{int(minutes):02d}:{secs:06.3f}"


def _cue_times(dialogue: Dialogue, offset_s: float = 4.0) -> list[tuple[str, str, Line]]:
    cues, start = [], offset_s
    for line in dialogue.lines:
        end = start + max(2.0, len(line.text) / 15)
        cues.append((_timestamp(start), _timestamp(end), line))
        start = end + 0.6
    return cues


def teams_vtt(dialogue: Dialogue) -> str:
    prefix = uuid.uuid5(uuid.NAMESPACE_URL, f"teams/{dialogue.key}")
    blocks = ["WEBVTT", ""]
    for number, (start, end, line) in enumerate(_cue_times(dialogue, 0.5), start=1):
        blocks += [f"{prefix}/{number}-0", f"{start} --> {end}", f"<v {line.speaker}>{line.text}</v>", ""]
    return "\n".join(blocks)


def zoom_vtt(dialogue: Dialogue) -> str:
    blocks = ["WEBVTT", ""]
    for number, (start, end, line) in enumerate(_cue_times(dialogue), start=1):
        blocks += [str(number), f"{start} --> {end}", f"{line.speaker}: {line.text}", ""]
    return "\r\n".join(blocks)


def zoom_chat(dialogue: Dialogue) -> str:
    first, *others = dialogue.speakers or ("Host",)
    second = others[0] if others else first
    return (
        f"00:01:12\t{first}:\tAgenda is in the shared folder.\r\n"
        f"00:05:40\t{second}:\tThanks, I have it open.\r\n"
    )
