"""Ukraine's agreed-revenue obligation by year (DESIGN.md §4, ``urif obligations``).

Owns ``ObligationYear`` (year, receipts counted, share due, due date, received,
outstanding, overdue) and ``obligation_years``, built from per-year totals of receipts
(USD), the exact share due (kept at micro-dollars per receipt, rounded here once per year,
half up) and agreed revenue received.  The due date follows the deadline rule of the terms
in force on the reporting date; a year is overdue when the date has passed and something
is still outstanding.  *Outstanding* is due less received, never below zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from urif.core.money import round_amount
from urif.ledger.capital import cents
from urif.ledger.state import LedgerState
from urif.rules.revenue import obligation_due_date
from urif.terms.model import MonthDay, Terms


@dataclass(frozen=True, slots=True)
class ObligationYear:
    """Ukraine's obligation for the receipts of one calendar year, as of a date."""

    year: int
    receipts_usd: Decimal
    due_usd: Decimal
    due_on: dt.date | None
    received_usd: Decimal
    outstanding_usd: Decimal
    overdue: bool


def obligation_years(
    as_of: dt.date,
    totals: Mapping[int, tuple[Decimal, Decimal, Decimal]],
    transfer_due: MonthDay | None,
) -> tuple[ObligationYear, ...]:
    """One row per year from ``{year: (receipts_usd, due_exact, received_usd)}``.

    >>> rows = obligation_years(dt.date(2026, 4, 2),
    ...     {2025: (Decimal("1000.01"), Decimal("500.005"), Decimal("100"))}, MonthDay(4, 1))
    >>> rows[0].due_usd, rows[0].outstanding_usd, rows[0].overdue
    (Decimal('500.01'), Decimal('400.01'), True)
    """
    out = []
    for year in sorted(totals):
        receipts, due_exact, received = totals[year]
        due = round_amount(due_exact, "USD")
        outstanding = max(due - received, Decimal(0))
        due_on = obligation_due_date(year, transfer_due)
        out.append(
            ObligationYear(
                year,
                cents(receipts),
                cents(due),
                due_on,
                cents(received),
                cents(outstanding),
                due_on is not None and as_of > due_on and outstanding > 0,
            )
        )
    return tuple(out)


def obligations(state: LedgerState, as_of: dt.date, terms: Terms) -> tuple[ObligationYear, ...]:
    """Ukraine's obligation per year from the in-memory books on ``as_of``."""
    return obligation_years(as_of, state.obligation_totals(as_of), terms.transfer_due)
