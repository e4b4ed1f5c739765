"""How Zoom says no: code 124 for a token another request replaced, HTML pages for refused downloads."""

from __future__ import annotations

import httpx

from bridge_pipeline.http.api_client import Call, default_error_for
from bridge_pipeline.http.content import error_payload, looks_like_html, short_text
from bridge_pipeline.http.errors import SourceConfigurationError, SourceError

SOURCE = "zoom"
INVALID_TOKEN_CODE = 124
MISSING_SCOPES_CODE = 4711


def zoom_error(response: httpx.Response) -> tuple[str | None, str]:
    """(code, message) of a Zoom API or OAuth error answer."""
    payload = error_payload(response)
    if "code" in payload:
        return str(payload["code"]), str(payload.get("message") or "")
    if "error" in payload:  # the OAuth endpoint's form
        return str(payload["error"]), str(payload.get("reason") or payload.get("error_description") or "")
    return None, short_text(response.content)


class ZoomResponseRules:
    def token_rejected(self, response: httpx.Response, call: Call) -> bool:
        if response.status_code == 401:
            return True
        # A download Zoom does not authorise answers 200 with a web page ("Only the host can download...").
        return call.kind == "download" and response.status_code == 200 and looks_like_html(
            response.content[:512], response.headers.get("content-type")
        )

    def error_for(self, response: httpx.Response, call: Call) -> SourceError:
        code, message = zoom_error(response)
        status = response.status_code
        if call.kind != "token" and (status == 403 or code == str(MISSING_SCOPES_CODE)):
            return SourceConfigurationError(
                SOURCE,
                f"{call.what}: Zoom refused access for user {call.scope} (HTTP {status}, code {code}: {message}); "
                "check the app's scopes (cloud_recording:read:list_user_recordings:admin or recording:read:admin, "
                "meeting:read:list_past_participants:admin, user:read:list_users:admin). Retrying will not help.",
                status=status,
                code=code,
            )
        return default_error_for(SOURCE, response, call, code, message)
