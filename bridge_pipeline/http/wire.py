"""Short descriptions of why an API item could not be read, for error messages."""

from __future__ import annotations

from pydantic import ValidationError


def first_problem(exc: Exception) -> str:
    """The first thing wrong with an item, e.g. "createdDateTime: Field required"."""
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        location = ".".join(str(part) for part in error["loc"]) or "(item)"
        return f"{location}: {error['msg']}"
    return str(exc)
