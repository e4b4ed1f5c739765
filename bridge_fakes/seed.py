"""Seeds the fakes: a small demo set of meetings per day, or a large backlog for benchmarks."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from bridge_fakes.teams_fake import FakeGraphServer, FakeTeamsMeeting
from bridge_fakes.transcripts import DIALOGUES, teams_vtt, zoom_chat, zoom_vtt
from bridge_fakes.zoom_fake import FakeZoomMeeting, FakeZoomServer

UTC = dt.timezone.utc
DEMO_ORGANIZERS = {
    str(uuid.uuid5(uuid.NAMESPACE_URL, "sandbox/organizer/mara")): "mara.lindqvist@brightwater.example",
    str(uuid.uuid5(uuid.NAMESPACE_URL, "sandbox/organizer/priya")): "priya.natarajan@harbor.example",
}
DEMO_ZOOM_USERS = {"KDcuGIm1QgePTO8WbOqwIQ": "elena.sokolova@northwind.example", "z8yAAAAA8bbbbbbbbB3v0Q": "hannah.okafor@coastal.example"}
_GUESTS = (("tobias.renner@quayside.example", "Tobias Renner"), ("jonas.adeyemi@harbor.example", "Jonas Adeyemi"))


def seed_demo(graph: FakeGraphServer | None, zoom: FakeZoomServer | None, days: Iterable[dt.date]) -> None:
    """Per day: two Teams meetings with transcripts (one not ready on its first request) and one
    recorded without transcript; three Zoom meetings with transcript and chat (one with a UUID that
    needs double encoding) and one audio-only recording."""
    for day_number, day in enumerate(sorted(days)):
        morning = dt.datetime.combine(day, dt.time(9, 0), tzinfo=UTC)
        if graph is not None:
            organizers = list(DEMO_ORGANIZERS.items())
            for organizer_id, upn in organizers:
                graph.add_organizer(organizer_id, upn)
            for slot in range(2):
                dialogue = DIALOGUES[(day_number * 2 + slot) % len(DIALOGUES)]
                organizer_id = organizers[slot % len(organizers)][0]
                graph.add_meeting(
                    FakeTeamsMeeting(
                        organizer_id,
                        dialogue.title,
                        morning + dt.timedelta(hours=2 * slot),
                        teams_vtt(dialogue),
                        attendees=(_GUESTS[slot % len(_GUESTS)],),
                        not_ready_polls=1 if slot == 1 else 0,
                        key=f"demo/{day}/teams/{slot}",
                    )
                )
            graph.add_meeting(
                FakeTeamsMeeting(organizers[0][0], "Weekly sync (recorded, no transcript)", morning + dt.timedelta(hours=6),
                                 None, key=f"demo/{day}/teams/recording-only")
            )
        if zoom is not None:
            users = list(DEMO_ZOOM_USERS.items())
            for user_id, email in users:
                zoom.add_user(user_id, email)
            for slot in range(3):
                dialogue = DIALOGUES[(day_number * 3 + slot + 2) % len(DIALOGUES)]
                zoom.add_meeting(
                    FakeZoomMeeting(
                        users[slot % len(users)][0],
                        dialogue.title,
                        morning + dt.timedelta(hours=1 + 2 * slot),
                        zoom_vtt(dialogue),
                        chat=zoom_chat(dialogue),
                        participants=tuple((name, f"{name.split()[0].lower()}@guest.example") for name in dialogue.speakers),
                        uuid=f"/{day:%d}ab//Kq{slot}XyZ+w==" if slot == 0 else "",
                        key=f"demo/{day}/zoom/{slot}",
                    )
                )
            zoom.add_meeting(
                FakeZoomMeeting(users[1][0], "Phone bridge (audio only)", morning + dt.timedelta(hours=8), None,
                                audio_only=True, key=f"demo/{day}/zoom/audio")
            )


def seed_backlog(
    graph: FakeGraphServer | None,
    zoom: FakeZoomServer | None,
    *,
    meetings: int,
    days: int,
    end: dt.datetime,
    organizers: int = 5,
) -> None:
    """`meetings` meetings spread evenly over the `days` days before `end`, across `organizers` people."""
    span = dt.timedelta(days=days) / max(1, meetings)
    people = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"sandbox/backlog/{n}")) for n in range(organizers)]
    for person in people:
        if graph is not None:
            graph.add_organizer(person, f"{person[:8]}@backlog.example")
        if zoom is not None:
            zoom.add_user(person, f"{person[:8]}@backlog.example")
    for number in range(meetings):
        start = end - dt.timedelta(days=days) + span * number
        dialogue = DIALOGUES[number % len(DIALOGUES)]
        person = people[number % len(people)]
        key = f"backlog/{number}"
        if graph is not None:
            graph.add_meeting(FakeTeamsMeeting(person, dialogue.title, start, teams_vtt(dialogue), has_recording=False, key=key))
        if zoom is not None:
            zoom.add_meeting(FakeZoomMeeting(person, dialogue.title, start, zoom_vtt(dialogue), key=key))
