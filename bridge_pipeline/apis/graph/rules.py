"""How Microsoft Graph says no: refused tokens, tenant policy 403s, transcripts not produced yet."""

from __future__ import annotations

import httpx

from bridge_pipeline.http.api_client import Call, default_error_for
from bridge_pipeline.http.content import error_payload, short_text
from bridge_pipeline.http.errors import NotReadyError, SourceConfigurationError, SourceError

SOURCE = "teams"

# Inner error codes of the tenant-wide transcript switches, with what an administrator must change.
POLICY_ADVICE = {
    "GraphAccessToTranscriptsDisabled": (
        "the tenant has Microsoft Graph access to transcripts switched off; an administrator must run "
        "Set-CsTeamsMeetingConfiguration -EnableGraphTranscriptAccess $true"
    ),
    "SpeakerAttributionNotAllowed": (
        "the tenant does not allow speaker-attributed transcripts; an administrator must run "
        "Set-CsTeamsMeetingConfiguration -EnableAttributedTranscripts $true"
    ),
}
ACCESS_POLICY_ADVICE = (
    "the app is not allowed to read this organizer's meetings; grant it an application access policy "
    "(New-CsApplicationAccessPolicy / Grant-CsApplicationAccessPolicy; changes take up to 30 minutes) and "
    "check admin consent for OnlineMeetingTranscript.Read.All and OnlineMeetingRecording.Read.All"
)


def graph_error(response: httpx.Response) -> tuple[str | None, str | None, str]:
    """(code, inner code, message) of a Graph or Entra ID error answer."""
    payload = error_payload(response)
    error = payload.get("error")
    if isinstance(error, dict):
        inner = error.get("innerError") or error.get("innererror") or {}
        inner_code = inner.get("code") if isinstance(inner, dict) else None
        return error.get("code"), inner_code, str(error.get("message") or "")
    if isinstance(error, str):  # the token endpoint's OAuth form
        return error, None, str(payload.get("error_description") or "")
    return None, None, short_text(response.content)


class GraphResponseRules:
    def token_rejected(self, response: httpx.Response, call: Call) -> bool:
        return response.status_code == 401

    def error_for(self, response: httpx.Response, call: Call) -> SourceError:
        code, inner_code, message = graph_error(response)
        status = response.status_code
        if status == 403 and call.kind != "token":
            policy_code = next((c for c in (inner_code, code) if c in POLICY_ADVICE), None)
            advice = POLICY_ADVICE[policy_code] if policy_code else ACCESS_POLICY_ADVICE
            shown_code = policy_code or code or "Forbidden"
            return SourceConfigurationError(
                SOURCE,
                f"{call.what}: Microsoft Graph refused access for organizer {call.scope} "
                f"(HTTP 403 {shown_code}: {message}); {advice}. Retrying will not help.",
                status=status,
                code=shown_code,
            )
        if status == 404 and call.kind == "download":
            return NotReadyError(
                SOURCE,
                f"{call.what}: the transcript content is not available yet (HTTP 404); a later poll will fetch it",
                status=status,
                code=code,
            )
        return default_error_for(SOURCE, response, call, inner_code or code, message)
