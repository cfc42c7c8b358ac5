"""Governance state folded from events: dated seats, proposals, consent, opportunities, usage.

Owns ``GovernanceState`` (plain dicts of immutable records, so ``copy()`` is cheap and an
all-or-nothing file can fold into a copy and drop it on a refusal) and ``Usage`` (how
much of an approved amount an investment, distribution or expense used).  The
transitions live in ``urif.governance.engine``; they write through ``put`` and ``remove``
so that one event's changes can be undone (``begin`` / ``undo`` / ``end``) without copying
the whole state per event.  FX rates are kept per pair sorted by date (``RateHistory``), so
the rate in force is found by bisection.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from urif.governance.bodies import Seat, SeatChange
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


class RateHistory:
    """The rates of one currency pair by value date (a later rate for a day replaces it)."""

    __slots__ = ("days", "rates")

    def __init__(self) -> None:
        self.days: list[dt.date] = []
        self.rates: list[Decimal] = []

    def add(self, on: dt.date, rate: Decimal) -> Callable[[], None]:
        """Record ``rate`` on ``on``; returns the step that undoes it."""
        days, rates = self.days, self.rates
        index = bisect_right(days, on)
        if index and days[index - 1] == on:
            old = rates[index - 1]
            rates[index - 1] = rate

            def put_back() -> None:
                rates[index - 1] = old

            return put_back
        days.insert(index, on)
        rates.insert(index, rate)

        def take_out() -> None:
            del days[index]
            del rates[index]

        return take_out

    def latest(self, on: dt.date) -> Decimal | None:
        """The rate of the latest day on or before ``on``, or None."""
        index = bisect_right(self.days, on)
        return self.rates[index - 1] if index else None

    def copy(self) -> RateHistory:
        """An independent copy."""
        other = RateHistory()
        other.days = self.days[:]
        other.rates = self.rates[:]
        return other

    def __eq__(self, other: object) -> bool:
        """Equal when the same rates fall on the same days."""
        if not isinstance(other, RateHistory):
            return NotImplemented
        return self.days == other.days and self.rates == other.rates

    __hash__ = None  # type: ignore[assignment]


_MISSING: Any = object()


@dataclass(slots=True)
class GovernanceState:
    """Everything governance knows after folding the events so far (mutable, cheap to copy)."""

    #: Who sits where after every change recorded so far (the latest value date); the
    #: checks of an event use ``seat_history`` on the event's own value date.
    seated: dict[tuple[str, str], Seat] = field(default_factory=dict)  # (member, body)
    #: Every appointment and removal per (member, body), in value-date order.
    seat_history: dict[tuple[str, str], tuple[SeatChange, ...]] = field(default_factory=dict)
    members: dict[str, tuple[str, str]] = field(default_factory=dict)  # member → (name, side)
    proposals: dict[str, Proposal] = field(default_factory=dict)  # in submission order
    #: The open ones among ``proposals``, in submission order (kept by ``put_proposal``):
    #: every event asks which deadlines have passed, and scanning every proposal ever
    #: submitted made that grow with the fund's history.
    open_proposals: dict[str, Proposal] = field(default_factory=dict)
    consents: dict[str, tuple[ConsentRecord, ...]] = field(default_factory=dict)
    opportunities: dict[str, Opportunity] = field(default_factory=dict)
    usage: dict[str, tuple[Usage, ...]] = field(default_factory=dict)  # proposal → uses
    used_by: dict[str, str] = field(default_factory=dict)  # money event id → proposal
    fx: dict[tuple[str, str], RateHistory] = field(default_factory=dict)
    owned: dict[str, str] = field(default_factory=dict)  # governance event id → type
    #: Undo steps of the event being applied (``begin`` .. ``end``), latest last.
    _undo: list[Callable[[], None]] | None = field(default=None, repr=False, compare=False)

    def copy(self) -> GovernanceState:
        """A copy that shares the immutable records (O(number of keys))."""
        return GovernanceState(
            seated=dict(self.seated),
            seat_history=dict(self.seat_history),
            members=dict(self.members),
            proposals=dict(self.proposals),
            open_proposals=dict(self.open_proposals),
            consents=dict(self.consents),
            opportunities=dict(self.opportunities),
            usage=dict(self.usage),
            used_by=dict(self.used_by),
            fx={pair: history.copy() for pair, history in self.fx.items()},
            owned=dict(self.owned),
        )

    def restore(self, other: GovernanceState) -> None:
        """Make this state equal to ``other`` (a copy taken earlier), in place."""
        self.seated = other.seated
        self.seat_history = other.seat_history
        self.members = other.members
        self.proposals = other.proposals
        self.open_proposals = other.open_proposals
        self.consents = other.consents
        self.opportunities = other.opportunities
        self.usage = other.usage
        self.used_by = other.used_by
        self.fx = other.fx
        self.owned = other.owned

    # --- undoable writes (one event at a time) ---------------------------------------------

    def begin(self) -> None:
        """Start logging undo steps for one event's changes."""
        self._undo = []

    def undo(self) -> None:
        """Undo every change since ``begin`` (the event was refused)."""
        steps = self._undo or []
        while steps:
            steps.pop()()

    def end(self) -> None:
        """Stop logging (the changes stay, or were undone)."""
        self._undo = None

    def put(self, table: dict[Any, Any], key: Any, value: Any) -> None:
        """``table[key] = value``, undoably (an existing key keeps its place)."""
        if self._undo is not None:
            old = table.get(key, _MISSING)

            def put_back() -> None:
                if old is _MISSING:
                    del table[key]
                else:
                    table[key] = old

            self._undo.append(put_back)
        table[key] = value

    def put_proposal(self, proposal: Proposal) -> None:
        """Store ``proposal`` (new, voted on or decided), undoably; keeps ``open_proposals``."""
        self.put(self.proposals, proposal.proposal, proposal)
        if proposal.is_open:
            self.put(self.open_proposals, proposal.proposal, proposal)
        else:
            self.remove(self.open_proposals, proposal.proposal)

    def remove(self, table: dict[Any, Any], key: Any) -> Any:
        """``table.pop(key, None)``, undoably (the undo restores the table's order too)."""
        if self._undo is not None and key in table:
            before = dict(table)

            def put_back() -> None:
                table.clear()
                table.update(before)

            self._undo.append(put_back)
        return table.pop(key, None)

    def add_rate(self, base: str, quote: str, on: dt.date, rate: Decimal) -> None:
        """Record an FX rate of ``base``/``quote`` (a later one on the same day replaces it)."""
        history = self.fx.get((base, quote))
        if history is None:
            history = RateHistory()
            self.put(self.fx, (base, quote), history)
        step = history.add(on, rate)
        if self._undo is not None:
            self._undo.append(step)

    # --- reads ---------------------------------------------------------------------------

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
        direct = _latest(self.fx.get((code, "USD")), on)
        if direct is not None:
            return direct
        inverse = _latest(self.fx.get(("USD", code)), on)
        if inverse is not None and inverse != 0:
            return Decimal(1) / inverse
        return None


def _latest(rates: RateHistory | None, on: dt.date) -> Decimal | None:
    return rates.latest(on) if rates is not None else None
