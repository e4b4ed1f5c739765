"""The one error the desk's routes raise: an HTTP status with a message for counsel, and optionally a link."""

from __future__ import annotations


class DeskError(Exception):
    def __init__(self, status_code: int, message: str, *, link: str | None = None, link_text: str | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.link = link
        self.link_text = link_text
