"""Event builders and test gates shared by the ledger tests (imported as ``ledger_builders``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from urif.core.errors import Blocked, NotPermitted
from urif.core.ids import Currency, EventId, PartnerId
from urif.events.model import (
    Commitment,
    Contribution,
    ContributionKind,
    Event,
    FxRate,
    InKindValuation,
)
from urif.terms import Terms


class ApproveAll:
    """An approval gate that approves everything (tests only)."""

    def check(self, event: Event, terms: Terms) -> None:
        """Approve."""


class ClearAll:
    """A screening gate that clears everyone except the ids in ``blocked``."""

    def __init__(self, blocked: frozenset[str] = frozenset()) -> None:
        self.blocked = blocked

    def check(self, event: Event, counterparty: str, on: dt.date) -> None:
        """Clear unless blocked."""
        if counterparty in self.blocked:
            raise Blocked(f"{counterparty} is blocked on {on}")


class DenyApproval:
    """An approval gate that refuses everything with a reason."""

    def check(self, event: Event, terms: Terms) -> None:
        """Refuse."""
        raise NotPermitted(f"no approved proposal for {event.id}")


def D(text: str | int) -> Decimal:
    """Decimal shorthand."""
    return Decimal(str(text))


def day(text: str) -> dt.date:
    """Date shorthand."""
    return dt.date.fromisoformat(text)


def fx(eid: str, on: str, rate: str, base: str = "USD", quote: str = "UAH") -> FxRate:
    """A USD/UAH rate event."""
    return FxRate(EventId(eid), day(on), base=Currency(base), quote=Currency(quote), rate=D(rate))


def cash(eid: str, on: str, partner: str, amount: str, currency: str = "USD") -> Contribution:
    """A cash contribution."""
    return Contribution(
        EventId(eid),
        day(on),
        partner=PartnerId(partner),
        kind=ContributionKind.CASH,
        amount=D(amount),
        currency=Currency(currency),
    )


def in_kind(eid: str, on: str, amount: str, delivered: str, agreed: bool = True) -> Contribution:
    """An in-kind contribution by dfc."""
    return Contribution(
        EventId(eid),
        day(on),
        partner=PartnerId("dfc"),
        kind=ContributionKind.IN_KIND,
        amount=D(amount),
        currency=Currency("USD"),
        category="air_defence",
        valuation=InKindValuation("assessed", "MoD of Ukraine", day(on)),
        agreed=agreed,
        delivered_on=day(delivered),
    )


def agreed_revenue(
    eid: str, on: str, amount: str, year: int, currency: str = "USD"
) -> Contribution:
    """Agreed revenue paid in by ppp_agency for ``year``."""
    return Contribution(
        EventId(eid),
        day(on),
        partner=PartnerId("ppp_agency"),
        kind=ContributionKind.AGREED_REVENUE,
        amount=D(amount),
        currency=Currency(currency),
        for_year=year,
    )


def commitment(eid: str, on: str, partner: str, amount: str) -> Commitment:
    """A USD commitment."""
    return Commitment(
        EventId(eid),
        day(on),
        partner=PartnerId(partner),
        amount=D(amount),
        currency=Currency("USD"),
    )
