"""The in-memory books: everything the ledger knows, as of any value date.

Owns ``LedgerState``: the partners admitted, FX rates, licences, balances per
``(account, currency)`` and capital-account measures per ``(owner, measure)`` as dated
running totals, Ukraine's obligation per year, and the bookings of every ledger event (for
corrections).  It is mutable for speed; every change goes through a few methods that can
log an undo step, so a whole file can be rolled back (``mark`` / ``rollback`` /
``release``), and ``copy()`` gives an independent snapshot.  Business rules live in
``urif.ledger.booking``; this module only stores and answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from urif.core.ids import DFC, GP, PPP_AGENCY
from urif.core.slots import fast_init
from urif.events.model import Event, Side
from urif.ledger.accounts import CASH, summary_key
from urif.ledger.entries import Booking, ObligationChange
from urif.ledger.series import DatedSeries
from urif.rules.fx import FxTable

#: Partners that exist from the fund's start.
FOUNDING_PARTNERS: tuple[str, ...] = (DFC, PPP_AGENCY, GP)

#: The side each limited partner stands for (DESIGN.md §1: DFC for the US, the PPP Agency
#: for Ukraine).  The general partner and partners admitted later are on neither side.
PARTNER_SIDES: Mapping[str, Side] = MappingProxyType({DFC: Side.US, PPP_AGENCY: Side.UA})

_ZERO = Decimal(0)

#: One logged series addition: (table, key, series, day, amount, inserted, created).
_SeriesStep = tuple[dict[Any, Any], object, DatedSeries, int, Decimal, bool, bool]
#: One logged new key: (table, key), undone by dropping the key.
_KeyStep = tuple[dict[str, Any], str]


#: Where a posting on ``(account, currency)`` goes in the capital-account summary:
#: ``((owner, measure), sign, is a contributed measure)``, or ``_NO_ROUTE``.
_Route = tuple[tuple[str, str], int, bool]
_NO_ROUTE: _Route = (("", ""), 0, False)
_ROUTES: dict[tuple[str, str], _Route] = {}


def _route(key: tuple[str, str]) -> _Route:
    """The summary route of one ``(account, currency)`` (``summary_key``, cached by ``post``)."""
    found = summary_key(*key)
    if found is None:
        return _NO_ROUTE
    owner, measure, sign = found
    return (owner, measure), sign, measure.startswith("contributed_")


@fast_init
@dataclass(frozen=True, slots=True)
class Licence:
    """A registered licence, special permit or PSA."""

    licence: str
    issued_on: dt.date
    instrument: str
    resource: str
    deposit: str
    developed_at_cutoff: bool
    event_id: str


class LedgerState:
    """The fund's books in memory; see the module docstring."""

    __slots__ = (
        "_contributed",
        "_contributed_version",
        "_undo",
        "balances",
        "booked",
        "corrected",
        "fx",
        "licences",
        "obligations",
        "partners",
        "summary",
    )

    def __init__(self, partners: Iterable[str] = FOUNDING_PARTNERS) -> None:
        self.partners: set[str] = set(partners)
        self.fx = FxTable()
        self.licences: dict[str, Licence] = {}
        self.balances: dict[tuple[str, str], DatedSeries] = {}
        self.summary: dict[tuple[str, str], DatedSeries] = {}
        self.obligations: dict[int, tuple[DatedSeries, DatedSeries, DatedSeries]] = {}
        #: event id -> (event type, booking) for every event the ledger acted on.
        self.booked: dict[str, tuple[Event, Booking]] = {}
        #: corrected event id -> id of the correction that reversed it.
        self.corrected: dict[str, str] = {}
        self._undo: list[Callable[[], None] | _SeriesStep | _KeyStep] | None = None
        #: ``contributed_through`` memo: (day, contributed version, answer); the version
        #: moves on every posting to a contributed measure and on every rollback.
        self._contributed: tuple[int, int, dict[str, Decimal]] | None = None
        self._contributed_version = 0

    # --- reads ---------------------------------------------------------------------------

    def balance(self, account: str, code: str, on: dt.date) -> Decimal:
        """Signed balance (debit positive) of ``account`` in ``code`` on ``on``."""
        series = self.balances.get((account, code))
        return series.through(on.toordinal()) if series is not None else _ZERO

    def cash(self, code: str, on: dt.date) -> Decimal:
        """Fund cash in ``code`` on ``on``."""
        return self.balance(CASH, code, on)

    def measure(self, owner: str, measure: str, on: dt.date) -> Decimal:
        """One capital-account figure (``("dfc", "contributed_cash")``) on ``on``."""
        series = self.summary.get((owner, measure))
        return series.through(on.toordinal()) if series is not None else _ZERO

    def totals_through(self, on: dt.date | None) -> dict[tuple[str, str], Decimal]:
        """Every capital-account figure on ``on`` (``None``: before anything happened)."""
        if on is None:
            return {}
        day = on.toordinal()
        return {key: series.through(day) for key, series in self.summary.items()}

    def balances_through(self, on: dt.date) -> dict[tuple[str, str], Decimal]:
        """Every account balance on ``on``."""
        day = on.toordinal()
        return {key: series.through(day) for key, series in self.balances.items()}

    def contributed_through(self, on: dt.date) -> dict[str, Decimal]:
        """Contributed capital (all kinds) per partner on ``on`` (a fresh dict).

        Remembered for the last day asked until a contribution is posted or a change is
        rolled back (income and expenses of one day all read the same weights).
        """
        day = on.toordinal()
        memo = self._contributed
        if memo is not None and memo[0] == day and memo[1] == self._contributed_version:
            return dict(memo[2])
        out: dict[str, Decimal] = {}
        for (owner, measure), series in self.summary.items():
            if measure.startswith("contributed_"):
                out[owner] = out.get(owner, _ZERO) + series.through(day)
        self._contributed = (day, self._contributed_version, out)
        return dict(out)

    def obligation_totals(self, on: dt.date) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
        """Per year with any movement on or before ``on``: receipts, due (exact), received."""
        day = on.toordinal()
        out: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
        for year, (receipts, due, received) in self.obligations.items():
            if any(s.days and s.days[0] <= day for s in (receipts, due, received)):
                out[year] = (receipts.through(day), due.through(day), received.through(day))
        return out

    def first_day(self) -> dt.date | None:
        """The earliest value date with a posting, if any."""
        days = [s.days[0] for s in self.balances.values() if s.days]
        return dt.date.fromordinal(min(days)) if days else None

    # --- writes (undoable) ----------------------------------------------------------------

    def _series_add(
        self,
        table: dict[tuple[str, str], DatedSeries],
        key: tuple[str, str],
        day: int,
        amount: Decimal,
    ) -> None:
        series = table.get(key)
        created = series is None
        if series is None:
            series = table[key] = DatedSeries()
        days = series.days
        last = days[-1] if days else -1
        if day > last:  # the common cases, inlined: a new last day, or the last day again
            cum = series.cum
            cum.append(cum[-1] + amount if cum else amount)
            days.append(day)
            inserted = True
        elif day == last:
            series.cum[-1] += amount
            inserted = False
        else:
            inserted = series.add(day, amount)
        if self._undo is not None:
            self._undo.append((table, key, series, day, amount, inserted, created))

    def post(self, booking: Booking) -> None:
        """Add every posting and obligation change of ``booking`` to the running totals."""
        balances, summary, add = self.balances, self.summary, self._series_add
        routes = _ROUTES
        for entry in booking.entries:
            day = entry.on.toordinal()
            for posting in entry.postings:
                key = (posting.account, posting.currency)
                amount = posting.amount
                add(balances, key, day, amount)
                route = routes.get(key)
                if route is None:
                    route = routes[key] = _route(key)
                if route is not _NO_ROUTE:
                    measure_key, sign, contributed = route
                    add(summary, measure_key, day, amount if sign > 0 else -amount)
                    if contributed:
                        self._contributed_version += 1
        for change in booking.obligations:
            self._obligation_add(change.year, change.on.toordinal(), change)

    def _obligation_add(self, year: int, day: int, change: ObligationChange) -> None:
        obligations = self.obligations
        triple = obligations.get(year)
        created = triple is None
        if triple is None:
            triple = obligations[year] = (DatedSeries(), DatedSeries(), DatedSeries())
        receipts, due, received = triple
        undo = self._undo
        # Logged as plain series steps (no closure per receipt); the year's triple is
        # dropped by the step undone last, the receipts one.
        for series, amount, drop in (
            (receipts, change.receipts_usd, created),
            (due, change.due_exact, False),
            (received, change.received_usd, False),
        ):
            inserted = series.add(day, amount)
            if undo is not None:
                undo.append((obligations, year, series, day, amount, inserted, drop))

    def remember(self, event_id: str, event: Event, booking: Booking) -> None:
        """Keep ``booking`` of ``event`` for later corrections."""
        self.booked[event_id] = (event, booking)
        if self._undo is not None:
            self._undo.append((self.booked, event_id))

    def mark_corrected(self, event_id: str, by: str) -> None:
        """Record that ``by`` reversed ``event_id``."""
        self.corrected[event_id] = by
        if self._undo is not None:
            self._undo.append((self.corrected, event_id))

    def admit_partner(self, partner: str) -> None:
        """Admit ``partner`` (after an approved ``admit_partner`` decision)."""
        if partner in self.partners:
            return
        self.partners.add(partner)
        if self._undo is not None:
            self._undo.append(lambda: self.partners.discard(partner))

    def add_rate(self, base: str, quote: str, on: dt.date, rate: Decimal) -> None:
        """Record an FX rate (a later one on the same day and pair replaces it)."""
        replaced = self.fx.add(base, quote, on, rate)
        if self._undo is not None:
            self._undo.append(lambda: self.fx.remove(base, quote, on, replaced))

    def drop_rate(self, base: str, quote: str, on: dt.date) -> None:
        """Remove the rate of ``base``/``quote`` on ``on`` (a corrected ``fx_rate``)."""
        rate = self.fx.exact(base, quote, on)
        if rate is None:
            return
        self.fx.remove(base, quote, on, None)
        if self._undo is not None:

            def undo() -> None:
                self.fx.add(base, quote, on, rate)

            self._undo.append(undo)

    def add_licence(self, licence: Licence) -> None:
        """Register a licence."""
        previous = self.licences.get(licence.licence)
        self.licences[licence.licence] = licence
        if self._undo is not None:

            def undo() -> None:
                if previous is None:
                    del self.licences[licence.licence]
                else:
                    self.licences[licence.licence] = previous

            self._undo.append(undo)

    def drop_licence(self, licence_id: str) -> None:
        """Remove a licence (a corrected ``licence_issued``)."""
        previous = self.licences.pop(licence_id, None)
        if previous is not None and self._undo is not None:
            self._undo.append(lambda: self.licences.__setitem__(licence_id, previous))

    # --- all-or-nothing -------------------------------------------------------------------

    @property
    def logging(self) -> bool:
        """True while undo steps are being logged (between :meth:`mark` and :meth:`release`)."""
        return self._undo is not None

    def mark(self) -> int:
        """Start (or continue) logging undo steps; returns a mark for :meth:`rollback`."""
        if self._undo is None:
            self._undo = []
        return len(self._undo)

    def rollback(self, mark: int) -> None:
        """Undo every change made since ``mark``."""
        log = self._undo
        if log is None:
            return
        self._contributed_version += 1
        while len(log) > mark:
            step = log.pop()
            if not isinstance(step, tuple):
                step()
            elif len(step) == 2:
                step[0].pop(step[1], None)
            else:
                table, key, series, day, amount, inserted, created = step
                series.undo(day, amount, inserted)
                if created:
                    del table[key]

    def release(self) -> None:
        """Stop logging and forget the undo steps (the changes stay)."""
        self._undo = None

    def copy(self) -> LedgerState:
        """An independent deep copy (without the undo log)."""
        other = LedgerState(self.partners)
        other.fx = self.fx.copy()
        other.licences = dict(self.licences)
        other.balances = {k: s.copy() for k, s in self.balances.items()}
        other.summary = {k: s.copy() for k, s in self.summary.items()}
        other.obligations = {
            y: (a.copy(), b.copy(), c.copy()) for y, (a, b, c) in self.obligations.items()
        }
        other.booked = dict(self.booked)
        other.corrected = dict(self.corrected)
        return other
