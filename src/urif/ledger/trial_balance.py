"""The trial balance: every account's balance per currency as of a date.

Owns ``BalanceLine`` and ``TrialBalance``, built by ``trial_balance_from`` from balances
keyed ``(account, currency)`` (debit positive), so the in-memory books and the persisted
read model give the same lines.  Zero balances are left out; per currency, debits equal
credits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from urif.core.money import quantum
from urif.ledger.state import LedgerState


@dataclass(frozen=True, slots=True)
class BalanceLine:
    """One account's balance in one currency: debit or credit side, and signed."""

    account: str
    currency: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass(frozen=True, slots=True)
class CurrencyTotal:
    """Total debits and credits of one currency (equal when the books balance)."""

    currency: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True, slots=True)
class TrialBalance:
    """All non-zero balances on ``as_of`` and the totals per currency."""

    as_of: dt.date
    lines: tuple[BalanceLine, ...]
    totals: tuple[CurrencyTotal, ...]


def trial_balance_from(as_of: dt.date, balances: Mapping[tuple[str, str], Decimal]) -> TrialBalance:
    """Build a trial balance from signed balances keyed ``(account, currency)``.

    >>> tb = trial_balance_from(dt.date(2026, 1, 1), {("assets:cash", "USD"): Decimal("5"),
    ...     ("partners:dfc:contributed:cash", "USD"): Decimal("-5")})
    >>> [(line.account, str(line.debit), str(line.credit)) for line in tb.lines]
    [('assets:cash', '5.00', '0.00'), ('partners:dfc:contributed:cash', '0.00', '5.00')]
    >>> tb.totals[0].debit == tb.totals[0].credit
    True
    """
    lines = []
    sums: dict[str, tuple[Decimal, Decimal]] = {}
    for account, code in sorted(balances):
        unit = quantum(code)
        value = balances[(account, code)].quantize(unit)
        if not value:
            continue
        zero = Decimal(0).quantize(unit)
        debit, credit = (value, zero) if value > 0 else (zero, -value)
        lines.append(BalanceLine(account, code, debit, credit, value))
        d, c = sums.get(code, (zero, zero))
        sums[code] = (d + debit, c + credit)
    totals = tuple(CurrencyTotal(code, d, c) for code, (d, c) in sorted(sums.items()))
    return TrialBalance(as_of, tuple(lines), totals)


def trial_balance(state: LedgerState, as_of: dt.date) -> TrialBalance:
    """The trial balance of the in-memory books on ``as_of``."""
    return trial_balance_from(as_of, state.balances_through(as_of))
