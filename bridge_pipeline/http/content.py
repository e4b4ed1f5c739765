"""Checks on response bodies: JSON pages, WebVTT files, and HTML pages sent where a file was expected."""

from __future__ import annotations

import codecs
import json
from typing import Any

import httpx

from bridge_pipeline.http.errors import TransientSourceError, UnexpectedResponseError

_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")


def body_start(body: bytes, length: int = 64) -> bytes:
    """The first bytes of a body without BOM and leading white space, lowercased, for sniffing."""
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8) :]
    return body.lstrip()[:length].lower()


def looks_like_html(body: bytes, content_type: str | None = None) -> bool:
    if content_type and content_type.split(";", 1)[0].strip().lower() in ("text/html", "application/xhtml+xml"):
        return True
    return body_start(body).startswith(_HTML_STARTS)


def is_webvtt(body: bytes) -> bool:
    return body_start(body, 6) == b"webvtt"


def json_object(response: httpx.Response, *, source: str, what: str) -> dict[str, Any]:
    """The response's JSON object; a garbled page is transient (worth one more try), a non-object is not."""
    try:
        payload = json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise TransientSourceError(
            source,
            f"{what}: the server answered HTTP {response.status_code} with a body that is not valid JSON "
            f"({type(exc).__name__}: {exc})",
            status=response.status_code,
        ) from None
    if not isinstance(payload, dict):
        raise UnexpectedResponseError(
            source,
            f"{what}: expected a JSON object, got {type(payload).__name__}",
            status=response.status_code,
        )
    return payload


def error_payload(response: httpx.Response) -> dict[str, Any]:
    """The JSON error body of a failed response, or {} when it has none."""
    try:
        payload = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return {}
    return payload if isinstance(payload, dict) else {}


def short_text(body: bytes, limit: int = 200) -> str:
    text = body[:limit].decode("utf-8", "replace")
    text = " ".join(text.split())
    return text + ("..." if len(body) > limit else "")
