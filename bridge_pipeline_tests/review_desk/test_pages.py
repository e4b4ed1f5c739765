"""What the pages show: the desk's rows and filters, values beside their citations, the transcript, the redline."""

from __future__ import annotations

import re

from bridge_pipeline_tests.review_desk.desk_fixtures import CALL_ID, DAY_1, DAY_2, DRAFT_ID, FOLLOW_UP_ID

V1, V2 = f"/drafts/{DRAFT_ID}/v/1", f"/drafts/{DRAFT_ID}/v/2"


def _row(page: str, href: str) -> str:
    return page.split(f'href="{href}"', 1)[1].split("</tr>", 1)[0]


def test_the_desk_lists_each_version_on_its_day_with_counts_and_files(client):
    page = client.get("/").text
    assert "2 drafts from the latest 2 days with drafts." in page
    assert page.index(V2) < page.index(V1)  # newest day first
    v2 = page.split("<tr", 3)[2]  # the first row of the body
    assert DAY_2.isoformat() in v2 and "NDA follow-up with Ostwind Logistics" in v2 and ">NDA<" in v2
    assert "v2" in v2 and "Not reviewed" in v2
    assert '<span class="badge tbd">4</span>' in v2 and "+4 optional" in v2
    assert "4 warnings" in v2 and "blocking" not in v2
    for fmt in ("pdf", "docx", "md", "json"):
        assert f'href="/files/{DAY_2}/{FOLLOW_UP_ID}/{DRAFT_ID}-v2.{fmt}"' in v2
    assert "superseded by v2" in _row(page, V1)


def test_the_desk_filters(client):
    def listed(query: str) -> set[str]:
        return set(re.findall(rf'href="/drafts/{DRAFT_ID}/v/(\d)"', client.get(f"/?{query}").text))

    assert listed("") == {"1", "2"}
    assert listed(f"from={DAY_2}&to={DAY_2}") == {"2"}
    assert listed(f"to={DAY_1}") == {"1"}
    assert listed("type=NDA") == {"1", "2"} and listed("type=SOW") == set()
    assert listed("status=draft") == {"1", "2"} and listed("status=approved") == set()
    assert listed("open_tbds=1") == {"1", "2"}
    assert listed("q=follow-UP") == {"2"} and listed("q=nothing+like+this") == set()
    assert "No drafts match." in client.get("/?type=SLA").text


def test_bad_filters_are_400_naming_the_filter(client):
    assert "&#39;from&#39; must be a date" in client.get("/?from=yesterday").text
    assert client.get("/?type=LEASE").status_code == 400
    assert client.get(f"/?from={DAY_2}&to={DAY_1}").status_code == 400


def test_values_stand_beside_their_citations_with_links_into_the_transcript(client):
    page = client.get(V1).text
    row = page.split('id="field-purpose"', 1)[1].split("</tr>", 1)[0]
    assert '<span class="value">evaluating the routing pilot</span>' in row
    assert '<span class="speaker">Anna Berg</span>' in row and '<span class="time">00:40</span>' in row
    assert "<blockquote>The purpose is evaluating the routing pilot.</blockquote>" in row
    assert f'href="/meetings/{CALL_ID}/transcript#u-4">in transcript</a>' in row


def test_open_points_come_first_required_ones_at_the_top(client):
    page = client.get(V1).text
    open_points, cover_page = page.split("<h2>Cover page", 1)
    order = re.findall(r'<tr id="field-(\w+)"', open_points)
    assert order[:4] == ["effective_date", "term", "governing_law", "venue"]
    assert set(order[4:]) == {"other_parties", "end_date", "renewal", "termination_notice"}
    assert "party_a" in cover_page and "party_a" not in open_points
    # A point the meeting left open is cited where it was left open.
    governing_law = open_points.split('id="field-governing_law"', 1)[1].split("</tr>", 1)[0]
    assert '<span class="badge tbd">TBD</span>' in governing_law and "#u-7" in governing_law
    assert "PH-01" in page and "is TBD: no decision in the meeting states it" in governing_law


def test_the_transcript_page_anchors_every_utterance(client):
    page = client.get(f"/meetings/{CALL_ID}/transcript").text
    assert page.count('<li id="u-') == 8
    cited = page.split('<li id="u-4">', 1)[1].split("</li>", 1)[0]
    assert "Anna Berg" in cited and "The purpose is evaluating the routing pilot." in cited and "00:40" in cited
    assert f'href="{V1}"' in page
    assert client.get("/meetings/no-such-meeting/transcript").status_code == 404


def test_the_redline_shows_what_changed_and_which_meeting_said_it(client):
    page = client.get(V2).text
    redline = page.split("<h2>Changes since version 1", 1)[1].split("<h2>", 1)[0]
    row = redline.split("<th scope=\"row\">Confidentiality period</th>", 1)[1].split("</tr>", 1)[0]
    assert "<del>3 years</del>" in row and "<ins>5 years</ins>" in row
    assert "2026-05-14 · NDA call with Ostwind Logistics" in row
    assert "2026-05-15 · NDA follow-up with Ostwind Logistics" in row
    # The clause text diff against version 1, word by word.
    assert "0. About this Draft" in redline and "<del>call</del><ins>follow-up</ins>" in redline
    assert "for <del>3</del><ins>5</ins> years" in redline
    assert "there is no earlier version" in client.get(V1).text


def test_the_version_history_lists_every_version(client):
    history = client.get(V1).text.split("<h2>Version history", 1)[1].split("</table>", 1)[0]
    assert history.count("<tr") == 3  # header and two versions
    assert f'href="{V2}">open</a>' in history and "NDA follow-up with Ostwind Logistics" in history
    assert "this version" in history


def test_the_latest_version_route_redirects(client):
    response = client.get(f"/drafts/{DRAFT_ID}")
    assert response.status_code == 303 and response.headers["location"] == V2


def test_the_static_stylesheet_is_served_locally(client):
    response = client.get("/static/desk.css")
    assert response.status_code == 200 and "--amber-bg" in response.text
    page = client.get("/").text
    assert re.findall(r'(?:href|src)="(https?:)?//', page) == []
