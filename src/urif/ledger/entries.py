"""Postings, journal entries and bookings: the values the books are made of.

Owns ``Posting`` (one signed amount on one account in one currency: debit positive,
credit negative), ``JournalEntry`` (postings that balance per currency exactly, checked at
construction: ``IntegrityError`` otherwise), ``ObligationChange`` (a movement of Ukraine's
agreed-revenue obligation for one year) and ``Booking`` (everything one event did to the
books).  Pure data; booking rules live in ``urif.ledger.booking``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from urif.core.errors import IntegrityError
from urif.core.money import quantum
from urif.core.slots import fast_init

#: Places of the exact (unrounded) amount due, kept per receipt: micro-dollars.
DUE_PLACES = 6
DUE_QUANTUM = Decimal(1).scaleb(-DUE_PLACES)
_QUANTA: dict[str, Decimal] = {}


@fast_init
@dataclass(frozen=True, slots=True)
class Posting:
    """One signed amount (debit positive) on one account in one currency."""

    account: str
    currency: str
    amount: Decimal


@fast_init
@dataclass(frozen=True, slots=True)
class JournalEntry:
    """Postings of one event on one value date, balanced per currency exactly.

    >>> from decimal import Decimal as D
    >>> JournalEntry("e1", dt.date(2025, 9, 17), "contribution",
    ...              (Posting("assets:cash", "USD", D("10")), Posting("x", "USD", D("-9"))))
    Traceback (most recent call last):
    ...
    urif.core.errors.IntegrityError: journal entry of event e1 (contribution, 2025-09-17) does not balance: USD sums to 1, expected 0
    """

    event_id: str
    on: dt.date
    kind: str
    postings: tuple[Posting, ...]

    def __post_init__(self) -> None:
        sums: dict[str, Decimal] = {}
        for posting in self.postings:
            amount = posting.amount
            unit = _QUANTA.get(posting.currency)
            if unit is None:
                unit = _QUANTA[posting.currency] = quantum(posting.currency)
            if not amount.is_finite() or amount != amount.quantize(unit):
                raise IntegrityError(
                    f"journal entry of event {self.event_id}: {posting.account} amount "
                    f"{amount} {posting.currency} is not a whole number of minor units"
                )
            total = sums.get(posting.currency)
            sums[posting.currency] = amount if total is None else total + amount
        if not any(sums.values()):
            return
        for code in sorted(sums):
            if sums[code] != 0:
                raise IntegrityError(
                    f"journal entry of event {self.event_id} ({self.kind}, {self.on}) does not "
                    f"balance: {code} sums to {sums[code]}, expected 0"
                )

    def reversed(self, kind: str = "reversal", event_id: str | None = None) -> JournalEntry:
        """The entry that undoes this one, on the same value date."""
        return JournalEntry(
            event_id if event_id is not None else self.event_id,
            self.on,
            kind,
            tuple(Posting(p.account, p.currency, -p.amount) for p in self.postings),
        )


@fast_init
@dataclass(frozen=True, slots=True)
class ObligationChange:
    """A movement of Ukraine's obligation for ``year`` on value date ``on`` (USD).

    ``receipts_usd``: counted state receipts; ``due_exact``: the share owed, kept at
    ``DUE_PLACES`` and rounded once per year; ``received_usd``: agreed-revenue paid in.
    """

    year: int
    on: dt.date
    receipts_usd: Decimal
    due_exact: Decimal
    received_usd: Decimal

    def reversed(self) -> ObligationChange:
        """The change that undoes this one."""
        return ObligationChange(
            self.year, self.on, -self.receipts_usd, -self.due_exact, -self.received_usd
        )


@fast_init
@dataclass(frozen=True, slots=True)
class Booking:
    """What one event did to the books: journal entries and obligation changes.

    ``note`` says in words what happened when it is not obvious from the entries (a state
    receipt that does not count, a correction).
    """

    event_id: str
    on: dt.date
    event_type: str
    entries: tuple[JournalEntry, ...] = ()
    obligations: tuple[ObligationChange, ...] = ()
    note: str = ""

    def postings(self) -> tuple[tuple[JournalEntry, Posting], ...]:
        """Every posting with its entry, in order."""
        return tuple((entry, p) for entry in self.entries for p in entry.postings)
