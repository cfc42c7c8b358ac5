"""The governance state folded from events: seats, proposals, consent, opportunities, usage.

Owns ``GovernanceState`` (plain dicts of immutable records, so ``copy()`` is cheap and an
all-or-nothing file can fold into a copy and drop it on a refusal) and ``Usage`` (how
much of an approved amount an investment, distribution or expense used).  The
transitions live in ``urif.governance.engine``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from urif.governance.bodies import Seat
from urif.governance.consent import ConsentRecord
from urif.governance.opportunities import Opportunity
from urif.governance.proposals import Proposal


@dataclass(frozen=True, slots=True)
class Usage:
    """One money event that drew on an approved proposal."""

    event: str
    on: dt.date
    amount: Decimal
    currency: str


@dataclass(slots=True)
class GovernanceState:
    """Everything governance knows after folding the events so far (mutable, cheap to copy)."""

    seated: dict[tuple[str, str], Seat] = field(default_factory=dict)  # (member, body)
    members: dict[str, tuple[str, str]] = field(default_factory=dict)  # member → (name, side)
    proposals: dict[str, Proposal] = field(default_factory=dict)  # in submission order
    consents: dict[str, tuple[ConsentRecord, ...]] = field(default_factory=dict)
    opportunities: dict[str, Opportunity] = field(default_factory=dict)
    usage: dict[str, tuple[Usage, ...]] = field(default_factory=dict)  # proposal → uses
    used_by: dict[str, str] = field(default_factory=dict)  # money event id → proposal
    fx: dict[tuple[str, str], tuple[tuple[dt.date, Decimal], ...]] = field(default_factory=dict)
    owned: dict[str, str] = field(default_factory=dict)  # governance event id → type

    def copy(self) -> GovernanceState:
        """A copy that shares the immutable records (O(number of keys))."""
        return GovernanceState(
            seated=dict(self.seated),
            members=dict(self.members),
            proposals=dict(self.proposals),
            consents=dict(self.consents),
            opportunities=dict(self.opportunities),
            usage=dict(self.usage),
            used_by=dict(self.used_by),
            fx=dict(self.fx),
            owned=dict(self.owned),
        )

    def restore(self, other: GovernanceState) -> None:
        """Make this state equal to ``other`` (a copy taken earlier), in place."""
        self.seated = other.seated
        self.members = other.members
        self.proposals = other.proposals
        self.consents = other.consents
        self.opportunities = other.opportunities
        self.usage = other.usage
        self.used_by = other.used_by
        self.fx = other.fx
        self.owned = other.owned

    def used(self, proposal: str, *, excluding: str | None = None) -> Decimal:
        """Amount of ``proposal`` used so far (optionally leaving one event out)."""
        return sum(
            (u.amount for u in self.usage.get(proposal, ()) if u.event != excluding),
            Decimal(0),
        )

    def usd_rate(self, code: str, on: dt.date) -> Decimal | None:
        """USD per one unit of ``code`` from the latest rate on or before ``on``, or None."""
        if code == "USD":
            return Decimal(1)
        direct = _latest(self.fx.get((code, "USD"), ()), on)
        if direct is not None:
            return direct
        inverse = _latest(self.fx.get(("USD", code), ()), on)
        if inverse is not None and inverse != 0:
            return Decimal(1) / inverse
        return None


def _latest(rates: tuple[tuple[dt.date, Decimal], ...], on: dt.date) -> Decimal | None:
    best: tuple[dt.date, Decimal] | None = None
    for day, rate in rates:
        if day <= on and (best is None or day >= best[0]):
            best = (day, rate)
    return best[1] if best else None
