"""Roles and what each may do: the one permission table of the API and the dashboard."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A user's role (issue 8): what they may read and write."""

    ADMINISTRATOR = "administrator"
    BOARD_US = "board_us"
    BOARD_UA = "board_ua"
    AUDITOR = "auditor"
    ANALYST = "analyst"


class Permission(StrEnum):
    """A capability a route requires."""

    READ_AGGREGATES = "read_aggregates"  # terms, accounts, obligations, balances, simulations
    READ_BOOKS = "read_books"  # events, statements, proposals, consents, opportunities
    READ_COUNTERPARTIES = "read_counterparties"  # screening results, cases (personal data)
    WRITE_EVENTS = "write_events"
    VOTE = "vote"
    DECIDE_CASES = "decide_cases"
    RUN_VERIFY = "run_verify"
    RUN_SIMULATIONS = "run_simulations"
    SCREEN = "screen"


_ALL_READ = {Permission.READ_AGGREGATES, Permission.READ_BOOKS, Permission.READ_COUNTERPARTIES}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(
        _ALL_READ
        | {
            Permission.WRITE_EVENTS,
            Permission.DECIDE_CASES,
            Permission.RUN_VERIFY,
            Permission.RUN_SIMULATIONS,
            Permission.SCREEN,
        }
    ),
    Role.BOARD_US: frozenset(
        {
            Permission.READ_AGGREGATES,
            Permission.READ_BOOKS,
            Permission.VOTE,
            Permission.RUN_SIMULATIONS,
        }
    ),
    Role.BOARD_UA: frozenset(
        {
            Permission.READ_AGGREGATES,
            Permission.READ_BOOKS,
            Permission.VOTE,
            Permission.RUN_SIMULATIONS,
        }
    ),
    Role.AUDITOR: frozenset(_ALL_READ | {Permission.RUN_VERIFY}),
    Role.ANALYST: frozenset({Permission.READ_AGGREGATES, Permission.RUN_SIMULATIONS}),
}


def allows(role: Role, permission: Permission) -> bool:
    """True when ``role`` holds ``permission``.

    >>> allows(Role.AUDITOR, Permission.WRITE_EVENTS)
    False
    >>> allows(Role.ADMINISTRATOR, Permission.WRITE_EVENTS)
    True
    """
    return permission in GRANTS[role]


def board_side(role: Role) -> str | None:
    """The board side a role votes for (``us`` or ``ua``), or None."""
    return {Role.BOARD_US: "us", Role.BOARD_UA: "ua"}.get(role)
