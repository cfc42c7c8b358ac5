"""The one table from error category to exit code (DESIGN.md §5)."""

from __future__ import annotations

from urif.core.errors import (
    Blocked,
    Conflict,
    IntegrityError,
    InvalidInput,
    NotFound,
    NotPermitted,
    UrifError,
)

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_CONFLICT = 3
EXIT_REFUSED = 4
EXIT_INTEGRITY = 5

#: Most specific class first; the first match wins.
EXIT_CODES: tuple[tuple[type[UrifError], int], ...] = (
    (Blocked, EXIT_REFUSED),
    (NotPermitted, EXIT_REFUSED),
    (Conflict, EXIT_CONFLICT),
    (IntegrityError, EXIT_INTEGRITY),
    (NotFound, EXIT_INVALID),
    (InvalidInput, EXIT_INVALID),
)


def exit_code(error: UrifError) -> int:
    """Exit code for ``error`` by its category.

    >>> exit_code(Conflict("x"))
    3
    >>> exit_code(Blocked("x"))
    4
    """
    for category, code in EXIT_CODES:
        if isinstance(error, category):
            return code
    return EXIT_INVALID
