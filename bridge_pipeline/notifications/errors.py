"""Errors of meeting notifications that callers must tell apart from other source errors."""

from __future__ import annotations

from bridge_pipeline.http.errors import SourceConfigurationError


class MissingChatPermissionError(SourceConfigurationError):
    """The chat API refused for lack of a permission or scope; `permission` names what to grant."""

    def __init__(
        self, source: str, message: str, *, permission: str, status: int | None = None, code: str | None = None
    ):
        super().__init__(source, message, status=status, code=code)
        self.permission = permission
