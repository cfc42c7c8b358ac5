"""RFC 9457 problem details and the one table from error category to HTTP status."""

from __future__ import annotations

from typing import Any

from urif.core.errors import (
    Blocked,
    Conflict,
    IntegrityError,
    InvalidInput,
    NotFound,
    NotPermitted,
    Unavailable,
    UrifError,
)

#: Most specific class first; the first match wins.
HTTP_STATUS: tuple[tuple[type[UrifError], int, str], ...] = (
    (Blocked, 403, "blocked"),
    (NotPermitted, 403, "not-permitted"),
    (Conflict, 409, "conflict"),
    (IntegrityError, 500, "integrity-failure"),
    (NotFound, 404, "not-found"),
    (Unavailable, 503, "unavailable"),
    (InvalidInput, 422, "invalid-input"),
)

PROBLEM_MEDIA_TYPE = "application/problem+json"


def status_for(error: UrifError) -> tuple[int, str]:
    """HTTP status and problem slug for ``error``.

    >>> status_for(Conflict("same id, other content"))
    (409, 'conflict')
    """
    for category, status, slug in HTTP_STATUS:
        if isinstance(error, category):
            return status, slug
    return 400, "bad-request"


def problem(status: int, title: str, detail: str, slug: str, **extra: Any) -> dict[str, Any]:
    """A problem-details body (RFC 9457): type, title, status, detail and extensions."""
    body: dict[str, Any] = {
        "type": f"https://urif.invalid/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    body.update(extra)
    return body


def problem_from_error(error: UrifError) -> dict[str, Any]:
    """The problem body for a UrifError, with its located problems as ``errors``."""
    status, slug = status_for(error)
    title = type(error).__name__
    if isinstance(error, Unavailable):
        # The message names the database (host, user, driver text): not for callers.
        return problem(status, title, "the service cannot reach its database", slug)
    errors = [{"where": p.where, "message": p.message} for p in error.problems]
    return problem(status, title, error.message, slug, errors=errors)
