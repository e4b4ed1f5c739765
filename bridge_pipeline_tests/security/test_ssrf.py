"""SSRF: a production-mode client never fetches a private, loopback, link-local or off-list address.

A listing's download URL comes from the API's answer, and downloads follow redirects to storage hosts, so
a compromised or spoofed answer could point the client (which holds a bearer token) at the cloud metadata
service or an internal host. The clients here are the real Zoom and Graph clients in production mode, with
their default endpoints and allow-lists; the "internet" is a real HTTP server on 127.0.0.1 (see
loopback_internet). The guard resolves the played public names to their public addresses (they have no DNS
here, and a sandbox's resolver can take seconds to say so); every other name goes to the machine's own
resolver, where `localhost`, this machine's name and numeric spellings such as `127.1` really resolve to
127.0.0.1. Each refusal is checked twice: the client raises UnsafeUrlError, and the forbidden address was
never asked for (not sent, no connection).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import uuid

import httpx
import pytest

from bridge_pipeline.apis.graph import GraphClient, GraphSettings
from bridge_pipeline.apis.zoom import ZoomClient, ZoomSettings
from bridge_pipeline.apis.zoom.models import ZoomFile
from bridge_pipeline.http import shared
from bridge_pipeline.http.errors import UnsafeUrlError
from bridge_pipeline.http.secrets import Secret
from bridge_pipeline.http.settings import HttpSettings
from bridge_pipeline.http.url_guard import UrlGuard
from bridge_pipeline.models import UntranscribedRecording
from bridge_pipeline_tests.http.fast_settings import FAST_RETRIES
from bridge_pipeline_tests.security.loopback_internet import (
    PUBLIC_HOSTS,
    LoopbackInternet,
    loopback_internet,
    this_machine_name,
)

PRODUCTION = HttpSettings(mode="production", requests_per_second=1000.0, connect_timeout_s=2.0, read_timeout_s=2.0,
                          retry=dataclasses.replace(FAST_RETRIES, max_attempts=2))
MEDIA = b"\x00\x00\x00\x18ftypM4A fake audio"
METADATA = "169.254.169.254"


@pytest.fixture
def internet(monkeypatch):
    # Only the resolver changes, and only for the played public names (LoopbackInternet.resolve).
    monkeypatch.setattr(shared, "UrlGuard", functools.partial(UrlGuard, resolver=LoopbackInternet.resolve))
    with loopback_internet() as parts:
        yield parts


def zoom_client(http, **settings) -> ZoomClient:
    # A fresh secret per client: the token cache is shared per credential across the process.
    return ZoomClient(ZoomSettings(account_id="acct", client_id="cid", client_secret=Secret(f"s-{uuid.uuid4().hex}"),
                                   http=PRODUCTION, **settings), http=http)


def graph_client(http) -> GraphClient:
    return GraphClient(GraphSettings(tenant_id="tenant", client_id="cid", client_secret=Secret(f"s-{uuid.uuid4().hex}"),
                                     organizer_ids=("org",), http=PRODUCTION), http=http)


def recording(url: str, source: str = "zoom") -> UntranscribedRecording:
    return UntranscribedRecording(source=source, meeting_id="m-1", source_id="rec-1", partition_date=dt.date(2026, 5, 14),
                                  title="call", started_at=None, organizer="org", media="audio", file_extension="M4A",
                                  download_url=url)


def assert_only_public_hosts_asked(transport, server) -> None:
    """Nothing but the played public hosts was asked for: no request, no connection attempt elsewhere."""
    assert all(httpx.URL(url).host in PUBLIC_HOSTS for url in transport.sent), transport.sent
    assert transport.refused_connections == []
    assert all(seen.host in PUBLIC_HOSTS for seen in server.seen), server.seen


# --- the listing's own URL ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"https://{METADATA}/latest/meta-data/iam/security-credentials/", "not on the allow-list"),
        ("https://10.0.0.1/rec/download/1", "not on the allow-list"),
        ("https://127.0.0.1:{port}/rec/download/1", "not on the allow-list"),
        ("https://[::1]:{port}/rec/download/1", "not on the allow-list"),
        ("https://[fd00:ec2::254]/latest/meta-data/", "not on the allow-list"),
        ("https://localhost:{port}/rec/download/1", "not on the allow-list"),
        ("http://zoom.us/rec/download/1", "only calls https"),
        ("https://evil.example/rec/download/1", "not on the allow-list"),
        ("https://zoom.us.evil.example/rec/download/1", "not on the allow-list"),
        ("https://evilzoom.us/rec/download/1", "not on the allow-list"),
        ("https://zoom.us@10.0.0.1/rec/download/1", "user credentials"),
        ("file:///etc/passwd", "has no host"),
    ],
)
def test_a_listed_download_url_off_the_list_or_private_is_refused_before_any_request(internet, url, reason):
    server, transport, http = internet
    url = url.format(port=server.port)
    client = zoom_client(http)
    with pytest.raises(UnsafeUrlError, match=reason):
        client.download_media(recording(url))
    assert transport.sent == [] and server.seen == []  # not even a token request


def test_an_allow_listed_name_that_resolves_to_loopback_is_refused(internet):
    # An operator may allow-list a name; production still refuses it when the resolver says it is this machine.
    server, transport, http = internet
    names = ["localhost", *filter(None, [this_machine_name()])]
    client = zoom_client(http, allowed_hosts=("zoom.us", "*.zoom.us", *names))
    for name in names:
        with pytest.raises(UnsafeUrlError, match="localhost|non-public address 127"):
            client.download_media(recording(f"https://{name}:{server.port}/rec/download/1"))
    assert transport.sent == [] and server.seen == []


# --- redirects from an allowed host ------------------------------------------------------------------

REDIRECT_TARGETS = [
    f"https://{METADATA}/latest/meta-data/iam/security-credentials/",
    f"http://{METADATA}/latest/meta-data/",
    "https://10.0.0.1/internal",
    "https://192.168.1.1/admin",
    "https://100.64.0.1/cgnat",
    "https://0.0.0.0:{port}/file",
    "https://[::1]:{port}/file",
    "https://[fe80::1]/file",
    "https://[fd00:ec2::254]/latest/meta-data/",
    "https://[::ffff:10.0.0.1]/file",
    # IPv6 spellings that carry an IPv4 address: NAT64 (RFC 6052, reaches IPv4 hosts through a NAT64
    # gateway), 6to4 and the deprecated IPv4-compatible form; and the deprecated site-local range.
    "https://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
    "https://[64:ff9b::a00:1]/internal",
    "https://[64:ff9b:1::a00:1]/internal",
    "https://[2002:a9fe:a9fe::1]/latest/meta-data/",
    "https://[::a9fe:a9fe]/latest/meta-data/",
    "https://[fec0::1]/file",
    # Names, resolved by this machine's resolver.
    "https://localhost:{port}/file",
    "https://localhost.:{port}/file",
    "https://127.1:{port}/file",
    "https://2130706433:{port}/file",
    "https://0x7f.1:{port}/file",
    "//10.0.0.1/scheme-relative",
]


@pytest.mark.parametrize("target", REDIRECT_TARGETS)
def test_a_redirect_to_a_private_loopback_or_link_local_address_is_refused(internet, target):
    server, transport, http = internet
    target = target.format(port=server.port)
    server.script("zoom.us", "/rec/download/1", 302, location=target)
    client = zoom_client(http)
    with pytest.raises(UnsafeUrlError, match="non-public address|localhost|only calls https"):
        client.download_media(recording("https://zoom.us/rec/download/1"))
    # The allowed first hop was really fetched (with its token), and nothing after it.
    assert [(s.host, s.path) for s in server.seen if s.method == "GET"] == [("zoom.us", "/rec/download/1")]
    assert transport.sent[-1].startswith("https://zoom.us/rec/download/1")
    assert_only_public_hosts_asked(transport, server)


def test_a_redirect_to_this_machines_own_name_is_refused(internet):
    server, transport, http = internet
    name = this_machine_name()
    if name is None:
        pytest.skip("this machine's name does not resolve to loopback here")
    server.script("zoom.us", "/rec/download/1", 302, location=f"https://{name}:{server.port}/file")
    with pytest.raises(UnsafeUrlError, match="non-public address 127"):
        zoom_client(http).download_media(recording("https://zoom.us/rec/download/1"))
    assert [s.path for s in server.seen if s.method == "GET"] == ["/rec/download/1"]


def test_a_second_redirect_from_a_public_storage_host_to_the_metadata_service_is_refused(internet):
    server, transport, http = internet
    server.script("zoom.us", "/rec/download/1", 302, location="https://storage.example/obj?sig=abc")
    server.script("storage.example", "/obj", 302, location=f"https://{METADATA}/latest/meta-data/")
    with pytest.raises(UnsafeUrlError, match=f"non-public address {METADATA}") as refused:
        zoom_client(http).download_media(recording("https://zoom.us/rec/download/1"))
    fetched = [(s.host, s.path) for s in server.seen if s.method == "GET"]
    assert fetched == [("zoom.us", "/rec/download/1"), ("storage.example", "/obj")]
    assert_only_public_hosts_asked(transport, server)
    assert "sig=abc" not in str(refused.value)


def test_control_a_redirect_to_a_public_storage_host_is_followed_without_the_token(internet):
    # The same set-up with a harmless target succeeds, so the refusals above are the guard's doing.
    server, transport, http = internet
    server.script("zoom.us", "/rec/download/1", 302, location="https://storage.example/obj?sig=abc")
    server.script("storage.example", "/obj", 200, body=MEDIA)
    assert zoom_client(http).download_media(recording("https://zoom.us/rec/download/1")) == MEDIA
    first, second = [s for s in server.seen if s.method == "GET"]
    assert first.authorization == "Bearer loopback-token" and second.authorization is None


def test_the_zoom_transcript_download_refuses_a_redirect_to_the_metadata_service(internet):
    server, transport, http = internet
    server.script("zoom.us", "/rec/download/t1", 302, location="https://[64:ff9b::a9fe:a9fe]/latest/meta-data/")
    file = ZoomFile(meeting_uuid="u", id="t1", file_type="TRANSCRIPT", file_extension="VTT", recording_type="audio_transcript",
                    recording_start=None, status="completed", download_url="https://zoom.us/rec/download/t1", size_bytes=None)
    with pytest.raises(UnsafeUrlError, match="non-public address"):
        zoom_client(http).download(file)
    assert_only_public_hosts_asked(transport, server)


@pytest.mark.parametrize("target", [f"https://{METADATA}/latest/meta-data/", "https://[64:ff9b::a00:1]/x", "https://localhost/x"])
def test_the_graph_recording_download_refuses_the_same_redirects(internet, target):
    server, transport, http = internet
    path = "/v1.0/users/org/onlineMeetings/m/recordings/r/content"
    server.script("graph.microsoft.com", path, 302, location=target)
    with pytest.raises(UnsafeUrlError, match="non-public address|localhost"):
        graph_client(http).download_media(recording(f"https://graph.microsoft.com{path}", source="teams"))
    assert [s.path for s in server.seen if s.method == "GET"] == [path]
    assert_only_public_hosts_asked(transport, server)


# --- DNS rebinding: the name checks out as public, the connection lands on loopback ---------------------


def test_a_name_that_resolves_public_for_the_check_and_private_for_the_connection_is_refused(internet, monkeypatch):
    server, transport, http = internet
    name = this_machine_name() or "127.1"  # really resolves to 127.0.0.1 when the connection looks it up
    server.script("zoom.us", "/rec/download/1", 302, location=f"https://{name}:{server.port}/file")
    server.script(name, "/file", 200, body=MEDIA)

    def first_answer_public(host: str) -> list[str]:
        # What a rebinding DNS server answers the guard's lookup; the connection's own lookup gets the truth.
        return ["93.184.215.14"] if host == name else LoopbackInternet.resolve(host)

    monkeypatch.setattr(shared, "UrlGuard", functools.partial(UrlGuard, resolver=first_answer_public))
    with pytest.raises(UnsafeUrlError, match="non-public address 127.0.0.1"):
        zoom_client(http).download_media(recording("https://zoom.us/rec/download/1"))
    # The connection was made and dropped before a request went over it: the loopback server saw only the first hop.
    assert [(s.host, s.path) for s in server.seen if s.method == "GET"] == [("zoom.us", "/rec/download/1")]


def test_the_connection_check_is_production_only_and_stands_aside_for_an_environment_proxy(monkeypatch):
    for variable in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)
    assert UrlGuard("zoom", ("zoom.us",), "production").peer_check() is not None
    assert UrlGuard("zoom", ("127.0.0.1",), "sandbox").peer_check() is None
    monkeypatch.setenv("HTTPS_PROXY", "http://10.0.0.5:3128")  # a proxy on a private address is normal
    assert UrlGuard("zoom", ("zoom.us",), "production").peer_check() is None


# --- the guard on its own: embedded IPv4 addresses ---------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b:1::a00:1", "2002:a00:1::", "::a00:1", "::7f00:1", "fec0::1",
     "2001:db8::1", "100::1"],
)
def test_ipv6_forms_of_private_addresses_are_not_public(address):
    guard = UrlGuard("zoom", ("zoom.us",), "production", resolver=lambda host: [address])
    with pytest.raises(UnsafeUrlError, match="non-public address"):
        guard.check("https://cdn.zoom.us/file", redirect=True)


@pytest.mark.parametrize("address", ["64:ff9b::5db8:d70e", "2002:5db8:d70e::1", "2606:4700::1111", "93.184.215.14"])
def test_public_addresses_in_those_forms_still_pass(address):
    guard = UrlGuard("zoom", ("zoom.us",), "production", resolver=lambda host: [address])
    assert guard.check("https://cdn.zoom.us/file", redirect=True).host == "cdn.zoom.us"
