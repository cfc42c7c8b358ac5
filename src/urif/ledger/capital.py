"""Partners' capital accounts and the fund's net assets as of a date (DESIGN.md §4–§5).

Owns ``CapitalAccount`` (one partner: commitment, paid in, unfunded, contributed capital by
kind, income allocated, distributions, capital, ownership share; the JSON keys of
``urif accounts --json``) and ``AccountsView`` (every partner plus net assets and the
in-kind credit reserve).  Both are built by ``accounts_from_totals`` from the
capital-account figures keyed ``(owner, measure)`` (see ``urif.ledger.accounts``), so the
in-memory books and the persisted read models give identical results.

Readings: *paid in* is contributed cash (the commitments are cash commitments; in-kind aid
and agreed revenue are separate channels); *unfunded* is commitment less paid in, never
below zero; *capital* is contributed total plus income allocated less distributions;
the ownership share is capital over total capital (``urif.rules.ownership_shares``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from urif.ledger.accounts import FUNCTIONAL_CURRENCY, FUND
from urif.ledger.state import FOUNDING_PARTNERS, LedgerState
from urif.rules.allocation import ownership_shares

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """``value`` at exactly two places (figures are whole cents already).

    >>> cents(Decimal(0)), cents(Decimal("12.5"))
    (Decimal('0.00'), Decimal('12.50'))
    """
    return value.quantize(CENT)


@dataclass(frozen=True, slots=True)
class CapitalAccount:
    """One partner's capital account in USD as of a date."""

    partner: str
    commitment: Decimal
    paid_in: Decimal
    unfunded: Decimal
    contributed_cash: Decimal
    contributed_in_kind: Decimal
    contributed_agreed_revenue: Decimal
    contributed_total: Decimal
    income_allocated: Decimal
    distributions: Decimal
    capital: Decimal
    ownership_share: Decimal


@dataclass(frozen=True, slots=True)
class AccountsView:
    """Every partner's capital account, net assets and the in-kind reserve, as of a date.

    Identity: Σ capital = net_assets + in_kind_reserve.
    """

    as_of: dt.date
    currency: str
    partners: tuple[CapitalAccount, ...]
    net_assets: Decimal
    in_kind_reserve: Decimal

    def partner(self, partner: str) -> CapitalAccount | None:
        """The account of ``partner``, if listed."""
        for account in self.partners:
            if account.partner == partner:
                return account
        return None


def accounts_from_totals(
    as_of: dt.date,
    totals: Mapping[tuple[str, str], Decimal],
    partners: Iterable[str] = FOUNDING_PARTNERS,
) -> AccountsView:
    """Build the capital accounts from figures keyed ``(owner, measure)``.

    Lists ``partners`` and every other owner with a figure, in id order.
    """
    names = sorted({*partners, *(owner for owner, _ in totals if owner != FUND)})

    def get(owner: str, measure: str) -> Decimal:
        return totals.get((owner, measure), Decimal(0))

    rows: list[dict[str, Decimal]] = []
    for name in names:
        cash = get(name, "contributed_cash")
        in_kind = get(name, "contributed_in_kind")
        agreed = get(name, "contributed_agreed_revenue")
        total = cash + in_kind + agreed
        income = get(name, "income_allocated")
        paid_out = get(name, "distributions")
        commitment = get(name, "commitment")
        rows.append(
            {
                "commitment": commitment,
                "paid_in": cash,
                "unfunded": max(commitment - cash, Decimal(0)),
                "contributed_cash": cash,
                "contributed_in_kind": in_kind,
                "contributed_agreed_revenue": agreed,
                "contributed_total": total,
                "income_allocated": income,
                "distributions": paid_out,
                "capital": total + income - paid_out,
            }
        )
    shares = ownership_shares({n: r["capital"] for n, r in zip(names, rows, strict=True)})
    accounts = tuple(
        CapitalAccount(
            partner=name,
            **{key: cents(value) for key, value in row.items()},
            ownership_share=shares[name],
        )
        for name, row in zip(names, rows, strict=True)
    )
    return AccountsView(
        as_of,
        FUNCTIONAL_CURRENCY,
        accounts,
        cents(get(FUND, "net_assets")),
        cents(get(FUND, "in_kind_reserve")),
    )


def capital_accounts(state: LedgerState, as_of: dt.date) -> AccountsView:
    """Partners' capital accounts and net assets from the in-memory books on ``as_of``."""
    return accounts_from_totals(as_of, state.totals_through(as_of))
