"""Who is asking: the reviewer named by the authenticating proxy's header, or the local development user.

Header mode trusts the header completely, so the desk must be reachable only through the proxy that sets
it (bound to loopback or a private network the proxy alone can reach). The development user is honoured
only when no header is present, the server is bound to a loopback address and the request comes from one.
"""

from __future__ import annotations

import ipaddress

from starlette.datastructures import Headers

from bridge_pipeline.review_desk.config import DeskSettings

# The review log's reviewer column holds at most this many characters (an e-mail address).
MAX_REVIEWER_LENGTH = 320


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class ReviewerIdentity:
    """Resolves a request's reviewer; the allow-list is matched case-insensitively and stored as configured."""

    def __init__(self, settings: DeskSettings):
        self._settings = settings
        self._allowed = {name.casefold(): name for name in settings.reviewers}

    def reviewer_for(self, headers: Headers, client_host: str | None) -> str | None:
        """The reviewer to act as, or None when the request may not use the desk."""
        given = headers.getlist(self._settings.user_header)
        if given:
            # Two copies mean something before the proxy set one of them: trust neither.
            if len(given) != 1 or len(given[0]) > MAX_REVIEWER_LENGTH:
                return None
            return self._allowed.get(given[0].strip().casefold())
        local = self._settings.local_user
        if local and is_loopback(self._settings.bind_host) and is_loopback(client_host):
            return local
        return None

    def sign_in_hint(self) -> str:
        """What a refused request is told: the header expected, never any value."""
        if self._settings.header_mode:
            return (
                f"The review desk needs the {self._settings.user_header} header, set by the signing-in proxy, "
                "naming a reviewer on the BRIDGE_REVIEWERS list."
            )
        return (
            "The review desk has no reviewer for this request: set BRIDGE_REVIEWERS and put it behind a signing-in "
            f"proxy that sets {self._settings.user_header}, or, for development on this machine, set "
            "BRIDGE_REVIEW_LOCAL_USER and bind to 127.0.0.1."
        )
