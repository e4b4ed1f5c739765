"""A real HTTP server on 127.0.0.1 that plays the public hosts a production-mode client talks to.

Production mode only calls https URLs on allow-listed, public hosts, so a production client cannot be
pointed at a loopback server directly (that is the point of it). `LoopbackInternet` is the transport of
the client's httpx.Client and stands in for DNS, TLS and the network: a request for one of the public
host names it plays goes to the loopback server over plain HTTP (the Host header says which host was
meant) and the client's connection check is left out; a request for a name that really resolves to
loopback goes there for real, connection check included (an SSRF that got through would reach the
server); any other host is recorded and refused without a connection, so a
test never touches 169.254.169.254 or 10.0.0.1 even if the guard let it through. Every URL the client
asked for is recorded in `sent`.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from bridge_pipeline.http.url_guard import resolve_addresses

# Public host names the tests use, with the public addresses the guard is told they have (when a test
# hands it `resolve`); the connection itself always goes to the loopback server.
PUBLIC_HOSTS = {
    "zoom.us": "170.114.52.2",
    "api.zoom.us": "170.114.52.2",
    "ssrweb.zoom.us": "170.114.52.3",
    "graph.microsoft.com": "20.190.151.68",
    "login.microsoftonline.com": "20.190.151.69",
    "storage.example": "93.184.215.14",
}


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Seen:
    host: str
    method: str
    path: str
    authorization: str | None


class LoopbackServer:
    """Answers scripted paths (`answers[(host, path)]`), and any POST to a path ending in /token with a token."""

    def __init__(self) -> None:
        self.answers: dict[tuple[str, str], Answer] = {}
        self.seen: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                host = (self.headers.get("Host") or "").split(":")[0]
                path = self.path.split("?")[0]
                server.seen.append(Seen(host, self.command, path, self.headers.get("Authorization")))
                if self.command == "POST" and path.endswith("/token"):
                    token = {"access_token": "loopback-token", "token_type": "bearer", "expires_in": 3599}
                    answer = Answer(200, {"Content-Type": "application/json"}, json.dumps(token).encode())
                else:
                    answer = server.answers.get((host, path), Answer(404, {}, b"not scripted"))
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_POST = _answer

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def port(self) -> int:
        return int(self._http.server_address[1])

    def script(self, host: str, path: str, status: int = 200, *, location: str | None = None,
               body: bytes = b"") -> None:
        headers = {"Location": location} if location else {"Content-Type": "audio/mp4"}
        self.answers[(host, path)] = Answer(status, headers, body)

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()


class LoopbackInternet(httpx.BaseTransport):
    """See the module docstring."""

    def __init__(self, server: LoopbackServer) -> None:
        self.server = server
        self.sent: list[str] = []
        self.refused_connections: list[str] = []
        self._inner = httpx.HTTPTransport()

    @staticmethod
    def resolve(host: str) -> list[str]:
        """A resolver for the guard: the public hosts above, real DNS for everything else."""
        if host in PUBLIC_HOSTS:
            return [PUBLIC_HOSTS[host]]
        return resolve_addresses(host)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(str(request.url))
        host = request.url.host
        extensions = {}
        if host in PUBLIC_HOSTS:
            # Stands in for a public server: the client's connection check (which would see 127.0.0.1) is left out.
            target = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.server.port)
        elif _loopback_only(host):
            # Really connects, as the client would: the name is this machine; the client's checks go along.
            target = request.url.copy_with(scheme="http")
            extensions = {k: v for k, v in request.extensions.items() if k in ("trace", "timeout")}
        else:
            self.refused_connections.append(str(request.url))
            raise httpx.ConnectError(f"test network: no route to {host}", request=request)
        forwarded = httpx.Request(request.method, target, headers=request.headers, content=request.read(),
                                  extensions=extensions)
        return self._inner.handle_request(forwarded)

    def close(self) -> None:
        self._inner.close()


def _loopback_only(host: str) -> bool:
    addresses = resolve_addresses(host.strip("[]"))
    return bool(addresses) and all(_is_loopback(a) for a in addresses)


def _is_loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_loopback or (getattr(ip, "ipv4_mapped", None) is not None and ip.ipv4_mapped.is_loopback)


@contextmanager
def loopback_internet() -> Iterator[tuple[LoopbackServer, LoopbackInternet, httpx.Client]]:
    server = LoopbackServer().start()
    transport = LoopbackInternet(server)
    client = httpx.Client(transport=transport, follow_redirects=False, timeout=1.0)
    try:
        yield server, transport, client
    finally:
        client.close()
        server.stop()


def this_machine_name() -> str | None:
    """The host's own name when the resolver maps it to loopback (as /etc/hosts usually does), else None."""
    name = socket.gethostname()
    return name if _loopback_only(name) else None
