"""Reading the desk's URL-encoded forms with firm limits (the only kind of form it serves)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from bridge_pipeline.review_desk.errors import DeskError

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
MAX_FIELDS = 10
# A value and a note of MAX_TEXT_LENGTH characters each, percent-encoded, fit with room to spare.
MAX_FORM_BYTES = 64 * 1024


async def read_form(request: Request) -> dict[str, str]:
    """The submitted fields, each named once; anything else is a 400 (or 415 for another content type)."""
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type != FORM_CONTENT_TYPE:
        raise DeskError(415, f"Forms are sent as {FORM_CONTENT_TYPE}.")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise DeskError(413, "The form is too large.")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise DeskError(400, "The form could not be read (not UTF-8, or too many fields).") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise DeskError(400, f"The form names {name!r} more than once.")
        form[name] = value
    return form
