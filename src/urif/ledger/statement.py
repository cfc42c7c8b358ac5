"""ILPA capital-account statements: one partner, one period, four columns.

Owns ``Statement`` and ``StatementColumn``: for the period, quarter-to-date, year-to-date
and inception-to-date, the ILPA roll-forward beginning balance + contributions −
distributions + allocations = ending balance, with contributions by kind.  Built by
``statement_from`` from a function giving the capital-account figures on a date (``None``
meaning before inception), so the in-memory books and the persisted read model agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from urif.core.dates import DateRange
from urif.ledger.accounts import FUNCTIONAL_CURRENCY
from urif.ledger.capital import CapitalAccount, accounts_from_totals, cents
from urif.ledger.state import LedgerState

Totals = Mapping[tuple[str, str], Decimal]


@dataclass(frozen=True, slots=True)
class StatementColumn:
    """The roll-forward of one window ``[start, end]`` (``start`` None: since inception)."""

    label: str  # period | quarter_to_date | year_to_date | inception_to_date
    start: dt.date | None
    end: dt.date
    beginning: Decimal
    contributions_cash: Decimal
    contributions_in_kind: Decimal
    contributions_agreed_revenue: Decimal
    contributions: Decimal
    distributions: Decimal
    allocations: Decimal
    ending: Decimal


@dataclass(frozen=True, slots=True)
class Statement:
    """A partner's ILPA capital-account statement for ``period``."""

    partner: str
    period: str
    start: dt.date
    end: dt.date
    currency: str
    commitment: Decimal
    paid_in: Decimal
    unfunded: Decimal
    ownership_share: Decimal
    columns: tuple[StatementColumn, ...]


def _account(partner: str, on: dt.date, totals: Totals) -> CapitalAccount:
    view = accounts_from_totals(on, totals, (partner,))
    account = view.partner(partner)
    assert account is not None
    return account


def _column(
    label: str,
    partner: str,
    start: dt.date | None,
    end: dt.date,
    totals_at: Callable[[dt.date | None], Totals],
) -> StatementColumn:
    before_day = None if start is None else start - dt.timedelta(days=1)
    a = _account(partner, end, totals_at(before_day))
    b = _account(partner, end, totals_at(end))
    cash = b.contributed_cash - a.contributed_cash
    in_kind = b.contributed_in_kind - a.contributed_in_kind
    agreed = b.contributed_agreed_revenue - a.contributed_agreed_revenue
    return StatementColumn(
        label,
        start,
        end,
        a.capital,
        cents(cash),
        cents(in_kind),
        cents(agreed),
        cents(cash + in_kind + agreed),
        cents(b.distributions - a.distributions),
        cents(b.income_allocated - a.income_allocated),
        b.capital,
    )


def statement_from(
    partner: str, period: DateRange, totals_at: Callable[[dt.date | None], Totals], label: str = ""
) -> Statement:
    """Build the statement of ``partner`` for ``period`` from figures on given dates."""
    # The four columns ask for the same few dates again and again (their starts, the
    # period's end, the days before): each distinct date is read once.
    seen: dict[dt.date | None, Totals] = {}

    def once(on: dt.date | None) -> Totals:
        if on not in seen:
            seen[on] = totals_at(on)
        return seen[on]

    end = period.last_day
    windows: list[tuple[str, dt.date | None]] = [
        ("period", period.start),
        ("quarter_to_date", period.quarter_to_date().start),
        ("year_to_date", period.year_to_date().start),
        ("inception_to_date", None),
    ]
    columns = tuple(_column(name, partner, start, end, once) for name, start in windows)
    closing_totals = once(end)
    view = accounts_from_totals(end, closing_totals, (partner,))
    account = view.partner(partner)
    assert account is not None
    return Statement(
        partner,
        label or f"{period.start}..{end}",
        period.start,
        end,
        FUNCTIONAL_CURRENCY,
        account.commitment,
        account.paid_in,
        account.unfunded,
        account.ownership_share,
        columns,
    )


def statement(state: LedgerState, partner: str, period: DateRange, label: str = "") -> Statement:
    """The ILPA statement of ``partner`` for ``period`` from the in-memory books."""
    return statement_from(partner, period, state.totals_through, label)
