"""Checks every URL a source is about to call, before the request is sent.

The APIs hand back absolute URLs (next-page links, transcript and download URLs) and redirect
downloads to storage hosts, and the client would send its bearer token along. So:
- production mode: https only; the first URL's host must be on the source's allow-list; a redirect
  may go to another host (Zoom redirects downloads to signed storage URLs) but never to a private,
  loopback, link-local or otherwise non-public address, by IP literal or by what the name resolves to.
- production mode also checks the address each connection actually reached (`peer_check`), so a name that
  resolves differently when connecting than when checked (DNS rebinding) is refused before anything is sent.
- sandbox mode (set explicitly, for the loopback fakes): http is allowed too, and every URL, redirects
  included, must be on the allow-list, which then normally holds 127.0.0.1.
Allow-list entries are host names ("graph.microsoft.com") or "*.zoom.us" for any sub-domain.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from bridge_pipeline.http.errors import UnsafeUrlError

Mode = Literal["production", "sandbox"]
Resolver = Callable[[str], Iterable[str]]


def resolve_addresses(host: str) -> list[str]:
    """Addresses a name resolves to; empty when it does not resolve (the request then fails on its own)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


# IPv6 ranges that carry an IPv4 address in their last 32 bits and reach it: NAT64's well-known prefix
# (RFC 6052; an IPv6-only host with a NAT64 gateway, as cloud VPCs offer, connects to 64:ff9b::a9fe:a9fe and
# lands on 169.254.169.254) and the deprecated IPv4-compatible form. Python counts both as global.
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
# Never public whatever they embed: NAT64's local-use prefix (RFC 8215, translated to whatever the network
# chose) and the deprecated site-local range, which Python also counts as global.
_NEVER_PUBLIC_V6 = (ipaddress.IPv6Network("64:ff9b:1::/48"), ipaddress.IPv6Network("fec0::/10"))


def _effective_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The IPv4 address an IPv6 address really leads to, when it embeds one (mapped, NAT64, 6to4, compatible)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return ip
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64_WELL_KNOWN or ip in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and any(ip in network for network in _NEVER_PUBLIC_V6):
        return False
    ip = _effective_address(ip)
    return ip.is_global and not ip.is_multicast


def host_matches(host: str, pattern: str) -> bool:
    host, pattern = host.lower().rstrip("."), pattern.lower().rstrip(".")
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern


@dataclass(frozen=True)
class UrlGuard:
    source: str
    allowed_hosts: tuple[str, ...]
    mode: Mode = "production"
    resolver: Resolver = field(default=resolve_addresses, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.mode not in ("production", "sandbox"):
            raise ValueError(f"mode must be 'production' or 'sandbox', got {self.mode!r}")

    def with_hosts(self, hosts: Iterable[str]) -> UrlGuard:
        merged = tuple(dict.fromkeys((*self.allowed_hosts, *(host.lower() for host in hosts))))
        return UrlGuard(self.source, merged, self.mode, self.resolver)

    def check(self, url: str | httpx.URL, *, redirect: bool = False) -> httpx.URL:
        """The parsed URL when it may be called; UnsafeUrlError saying why not otherwise."""
        try:
            parsed = httpx.URL(str(url))
        except (httpx.InvalidURL, TypeError) as exc:
            raise self._refuse(url, "is not a valid URL") from exc
        scheme, host = parsed.scheme, parsed.host
        if not host:
            raise self._refuse(parsed, "has no host")
        if parsed.userinfo:
            raise self._refuse(parsed, "carries user credentials in the URL")
        allowed = any(host_matches(host, pattern) for pattern in self.allowed_hosts)

        if self.mode == "sandbox":
            if scheme not in ("http", "https"):
                raise self._refuse(parsed, f"uses {scheme!r}; only http and https are allowed")
            if not allowed:
                raise self._refuse(parsed, f"host {host!r} is not on the allow-list {list(self.allowed_hosts)}")
            return parsed

        if scheme != "https":
            raise self._refuse(parsed, f"uses {scheme!r}; production mode only calls https URLs")
        if not redirect and not allowed:
            raise self._refuse(parsed, f"host {host!r} is not on the allow-list {list(self.allowed_hosts)}")
        self._refuse_non_public(parsed, host)
        return parsed

    def peer_check(self) -> Callable[[str, Mapping[str, Any]], None] | None:
        """An httpx `trace` extension that refuses a production connection whose peer is not a public address.

        check() looks a name up and the connection looks it up again: a name can answer differently the
        second time (DNS rebinding: public for the check, 169.254.169.254 or 10.x for the connection). This
        runs once the TCP connection is made, on the address actually reached, before anything is sent on
        it. None in sandbox mode, and behind a proxy from the environment (the peer is then the proxy, which
        does the lookup itself).
        """
        if self.mode != "production" or _proxied_by_environment():
            return None

        def trace(event: str, info: Mapping[str, Any]) -> None:
            if event != "connection.connect_tcp.complete":
                return
            stream = info.get("return_value")
            peer = stream.get_extra_info("server_addr") if stream is not None else None
            address = str(peer[0]) if isinstance(peer, tuple) and peer else None
            if address is not None and not is_public_address(address):
                stream.close()
                raise UnsafeUrlError(
                    self.source,
                    f"refused a connection to the non-public address {address}: the host name passed the check "
                    "but led there when connecting",
                )

        return trace

    def _refuse_non_public(self, parsed: httpx.URL, host: str) -> None:
        if host.lower().rstrip(".") == "localhost" or host.lower().endswith(".localhost"):
            raise self._refuse(parsed, "points at localhost")
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            addresses = list(self.resolver(host))
        for address in addresses:
            if not is_public_address(address):
                raise self._refuse(parsed, f"points at the non-public address {address}")

    def _refuse(self, url: object, reason: str) -> UnsafeUrlError:
        return UnsafeUrlError(self.source, f"refused to call {_without_query(url)}: it {reason}")


def _proxied_by_environment() -> bool:
    """Whether https requests go through a proxy named in the environment (production clients trust it)."""
    return bool({"https", "all"} & set(urllib.request.getproxies()))


def _without_query(url: object) -> str:
    # Signed download URLs carry their signature in the query; it has no place in an error message.
    text = str(url)
    return text.split("?", 1)[0] + ("?..." if "?" in text else "")
