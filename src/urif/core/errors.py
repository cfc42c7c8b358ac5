"""The urif error tree: every failure a user can act on is one of these.

::

    UrifError                 base of everything urif raises on purpose
    ├── InvalidInput          malformed or out-of-range input (exit 1, HTTP 422)
    ├── NotFound              a named thing does not exist (exit 1, HTTP 404)
    ├── Conflict              clashes with what is already recorded (exit 3, HTTP 409)
    ├── NotPermitted          a rule or a role forbids it (exit 4, HTTP 403)
    ├── Blocked               screening blocks a party or a payment (exit 4, HTTP 403)
    └── IntegrityError        stored data fails a check (exit 5, HTTP 500)

Errors carry a message that says what, expected, got and where, and may carry a tuple
of ``problems`` when a whole-file check found several at once.  The mapping from
category to exit code or HTTP status lives only at the edges (``urif.cli``, ``urif.api``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem inside a larger check (a file line, a ledger seq, a key path)."""

    where: str
    message: str

    def __str__(self) -> str:
        """Render as ``where: message``."""
        return f"{self.where}: {self.message}" if self.where else self.message


class UrifError(Exception):
    """Base of every error urif raises on purpose."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems

    def __str__(self) -> str:
        """The message, followed by one line per problem."""
        if not self.problems:
            return self.message
        lines = [self.message, *(f"  {p}" for p in self.problems)]
        return "\n".join(lines)


class InvalidInput(UrifError):
    """Input that is malformed, of the wrong type or out of range."""


class Unavailable(InvalidInput):
    """The database (or another service urif needs) cannot be reached or opened.

    For the command line it is the ``--db`` the user gave (exit 1, the message names it);
    the API answers 503 and keeps the details to its log.
    """


class NotFound(UrifError):
    """A named thing (term set, partner, proposal, snapshot) does not exist."""


class Conflict(UrifError):
    """Input that clashes with what is already recorded (same id, other content)."""


class NotPermitted(UrifError):
    """A rule of the terms, a gate or a role forbids the action."""


class Blocked(NotPermitted):
    """Screening blocks the party or the payment."""


class IntegrityError(UrifError):
    """Stored data fails a check: a broken hash chain, an unbalanced entry, a stale model."""
