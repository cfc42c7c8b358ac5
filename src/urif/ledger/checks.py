"""Whole-ledger checks: every invariant of the books, every problem at once.

Owns ``check_ledger(state, terms)``, returning ``Problem`` values (empty when sound) for
the invariants of DESIGN.md §6 that live in the ledger:

1. every journal entry balances per currency exactly, and so does the whole ledger;
5. allocations sum to what was allocated (the P&L accounts and ``pnl:allocated`` net to
   zero, and partners' income equals ``pnl:allocated``); ownership shares sum to exactly 1;
   Σ capital = net assets + in-kind reserve; the capital-account figures equal the balances
   they summarise;
6. fund cash never negative in any currency on any date;
7. no distribution dated before the reinvestment lock ends.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from urif.core.errors import IntegrityError, Problem
from urif.ledger import accounts as acct
from urif.ledger.capital import capital_accounts
from urif.ledger.entries import JournalEntry
from urif.ledger.state import LedgerState
from urif.terms.model import Terms

_ZERO = Decimal(0)


def _entries_balance(state: LedgerState) -> list[Problem]:
    problems = []
    for event_id, (_, booking) in state.booked.items():
        for entry in booking.entries:
            try:
                JournalEntry(entry.event_id, entry.on, entry.kind, entry.postings)
            except IntegrityError as error:
                problems.append(Problem(f"event {event_id}", error.message))
    sums: dict[str, Decimal] = {}
    for (_, code), series in state.balances.items():
        sums[code] = sums.get(code, _ZERO) + series.total()
    for code in sorted(sums):
        if sums[code]:
            problems.append(Problem("ledger", f"{code} balances sum to {sums[code]}, expected 0"))
    return problems


def _allocations(state: LedgerState, last: dt.date) -> list[Problem]:
    problems = []
    balances = state.balances_through(last)
    pnl = sum(
        (
            v
            for (a, c), v in balances.items()
            if c == "USD" and acct.account_class(a) in ("income", "expenses", "gains")
        ),
        _ZERO,
    )
    allocated = balances.get((acct.PNL_ALLOCATED, "USD"), _ZERO)
    if pnl + allocated:
        problems.append(
            Problem("ledger", f"P&L {-pnl} USD but {allocated} USD allocated to partners")
        )
    partner_income = sum(
        (
            v
            for (a, c), v in balances.items()
            if c == "USD" and a.startswith("partners:") and a.endswith(":income")
        ),
        _ZERO,
    )
    if partner_income + allocated:
        problems.append(
            Problem(
                "ledger",
                f"partners' income {-partner_income} USD differs from {allocated} USD allocated",
            )
        )
    view = capital_accounts(state, last)
    capital = sum((p.capital for p in view.partners), _ZERO)
    if capital != view.net_assets + view.in_kind_reserve:
        problems.append(
            Problem(
                "ledger",
                f"Σ capital {capital} USD ≠ net assets {view.net_assets} + in-kind reserve "
                f"{view.in_kind_reserve} USD",
            )
        )
    shares = sum((p.ownership_share for p in view.partners), _ZERO)
    if capital > 0 and shares != 1:
        problems.append(Problem("ledger", f"ownership shares sum to {shares}, expected 1"))
    expected: dict[tuple[str, str], Decimal] = {}
    for (account, code), series in state.balances.items():
        found = acct.summary_key(account, code)
        if found is not None:
            owner, measure, sign = found
            expected[(owner, measure)] = (
                expected.get((owner, measure), _ZERO) + sign * series.total()
            )
    for key in sorted(set(expected) | set(state.summary)):
        have = state.summary[key].total() if key in state.summary else _ZERO
        if have != expected.get(key, _ZERO):
            problems.append(
                Problem(
                    "ledger",
                    f"figure {key[0]}.{key[1]} is {have}, balances give {expected.get(key, _ZERO)}",
                )
            )
    return problems


def _cash(state: LedgerState) -> list[Problem]:
    problems = []
    for (account, code), series in sorted(state.balances.items()):
        if account != acct.CASH:
            continue
        lowest = series.lowest()
        if lowest is not None and lowest[1] < 0:
            day = dt.date.fromordinal(lowest[0])
            problems.append(Problem(f"cash {code}", f"negative on {day}: {lowest[1]} {code}"))
    return problems


def _lock(state: LedgerState, terms: Terms) -> list[Problem]:
    problems = []
    end = terms.lock_end
    for event_id, (_, booking) in state.booked.items():
        for entry in booking.entries:
            if entry.kind == "distribution" and entry.on < end:
                problems.append(
                    Problem(
                        f"event {event_id}",
                        f"distribution dated {entry.on} is inside the reinvestment lock (ends {end})",
                    )
                )
    return problems


def check_ledger(state: LedgerState, terms: Terms) -> tuple[Problem, ...]:
    """Every ledger invariant problem of ``state`` (empty when the books are sound)."""
    problems = _entries_balance(state) + _cash(state) + _lock(state, terms)
    days = [s.days[-1] for s in state.balances.values() if s.days]
    last = dt.date.fromordinal(max(days)) if days else terms.as_of
    problems += _allocations(state, last)
    return tuple(problems)
