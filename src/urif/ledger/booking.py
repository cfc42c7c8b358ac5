"""Booking: the only place events become postings, and the rules that may refuse them.

``book(event, state, terms)`` is pure: it reads the books and the terms and returns the
``Booking`` an event would make (balanced journal entries, obligation changes), or raises
the refusal of a clause (unknown partner, no FX rate, in-kind not creditable, the
reinvestment lock, ...).  ``apply(state, event, terms, gates)`` is the fold step: it books,
passes payments through the gates, posts, and refuses anything that would take fund cash
below zero on the value date or any later date already recorded.  It changes nothing when
it raises.

Conversions: amounts in another currency are converted to USD at the rule's FX (the
latest NBU rate on or before the value date); cash stays in its own currency and the USD
side passes through the ``fx:<currency>`` clearing account.  Income, expenses and valuation
gains or losses are allocated to partners at once by the basis in force
(``urif.rules.allocation``), split exactly at the cent.

Corrections reverse the corrected event's entries on their original value dates and book
the replacement (under the correction's id) in the same booking.  An event is corrected at
most once and a correction is not itself corrected.  A corrected ``fx_rate`` or
``licence_issued`` changes the rates or licences used from then on; conversions and
receipts already booked keep what they were booked with.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from bisect import bisect_left
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from urif.core.errors import Conflict, InvalidInput, NotPermitted, Problem, UrifError
from urif.core.money import MINOR_UNITS
from urif.events.codec import MAX_AMOUNT
from urif.events.model import (
    Commitment,
    Contribution,
    Correction,
    Distribution,
    Event,
    Expense,
    FxRate,
    Investment,
    LicenceIssued,
    ProjectIncome,
    StateReceipt,
    Valuation,
)
from urif.ledger import accounts as acct
from urif.ledger.entries import DUE_QUANTUM, Booking, JournalEntry, ObligationChange, Posting
from urif.ledger.gates import Gates
from urif.ledger.series import DatedSeries
from urif.ledger.state import LedgerState, Licence
from urif.rules.allocation import allocate_income, distribution_split, us_preferred_hurdle
from urif.rules.contribution import in_kind_credit
from urif.rules.fx import convert
from urif.rules.licence import in_annex, licence_is_new
from urif.rules.lock import check_distribution_date
from urif.rules.revenue import ukraine_share
from urif.rules.rounding import round_half_up
from urif.terms.model import Terms

USD = acct.FUNCTIONAL_CURRENCY
_ZERO = Decimal(0)

#: Event types the ledger acts on; every other type leaves the books unchanged.
LEDGER_EVENT_TYPES = frozenset(
    {
        "fx_rate",
        "commitment",
        "contribution",
        "licence_issued",
        "state_receipt",
        "investment",
        "project_income",
        "expense",
        "valuation",
        "distribution",
        "correction",
    }
)

DEFAULT_GATES = Gates()

#: The most state receipts one year may count, in USD: Ukraine's share due is kept in
#: micro-dollars (``DUE_PLACES``) as an integer in a BIGINT read-model column, whose
#: 9223372036854775807 is about 9.2e12 USD; receipts at a share of up to 1 stay below it.
MAX_YEAR_RECEIPTS_USD = Decimal("9000000000000.00")


# --- small pieces ------------------------------------------------------------------------


def _amount(value: Decimal, code: str, *, allow_zero: bool = False) -> Decimal:
    """A positive amount with no more places than the currency's minor unit."""
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidInput(f"amount: expected a positive amount, got {value} {code}")
    rounded = round_half_up(value, code)
    if rounded != value:
        places = MINOR_UNITS.get(code, 2)
        raise InvalidInput(
            f"amount: {value} {code} has more than the {places} decimal places of {code}"
        )
    return rounded


def _usd(state: LedgerState, amount: Decimal, code: str, on: dt.date) -> Decimal:
    """``amount`` in USD at the rate in force on ``on``, within what the books can hold."""
    if code == USD:
        return convert(amount, code, USD, on, state.fx)
    try:
        usd: Decimal | None = convert(amount, code, USD, on, state.fx)
    except InvalidOperation:  # past the Decimal context's 28 digits
        usd = None
    # An event's amount is bounded when parsed; a rate is not, and an extreme one would
    # give a USD figure the read models' integer columns cannot hold.
    if usd is None or abs(usd) > MAX_AMOUNT:
        shown = "beyond the Decimal context" if usd is None else f"{usd} USD"
        raise InvalidInput(
            f"amount: {amount} {code} at the rate in force on {on} is {shown}, above the "
            f"largest amount the books hold ({MAX_AMOUNT} USD); check the fx_rate"
        )
    return usd


def _cash(code: str, amount: Decimal, usd: Decimal) -> list[Posting]:
    """Cash moving by ``amount`` in ``code``; the USD side sums to ``usd``."""
    if code == USD:
        return [Posting(acct.CASH, USD, amount)]
    clearing = acct.fx_clearing(code)
    return [
        Posting(acct.CASH, code, amount),
        Posting(clearing, code, -amount),
        Posting(clearing, USD, usd),
    ]


def _entry(event: Event, postings: list[Posting], kind: str | None = None) -> JournalEntry:
    return JournalEntry(
        event.id, event.on, kind or event.type, tuple([p for p in postings if p.amount])
    )


def _booking(event: Event, *entries: JournalEntry, note: str = "") -> Booking:
    return Booking(
        event.id, event.on, event.type, tuple([e for e in entries if e.postings]), (), note
    )


class LicenceNotRecorded(NotPermitted):
    """A state receipt names a licence with no ``licence_issued`` dated on or before it.

    A refusal (exit 4), like an unknown partner: the licence is a reference the rule needs.
    ``licence`` and ``on`` let the caller say where in its file the licence comes instead.
    """

    def __init__(
        self,
        message: str,
        problems: tuple[Problem, ...] = (),
        *,
        licence: str = "",
        on: dt.date | None = None,
    ) -> None:
        super().__init__(message, problems)
        self.licence = licence
        self.on = on


def _require_partner(state: LedgerState, partner: str) -> None:
    if partner not in state.partners:
        known = ", ".join(sorted(state.partners))
        raise NotPermitted(f"partner: {partner!r} is not a partner of the fund (partners: {known})")


def _allocation(state: LedgerState, on: dt.date, amount: Decimal, terms: Terms) -> list[Posting]:
    """Close ``amount`` of P&L (positive: income or gain) to partners' income accounts."""
    parts = allocate_income(amount, USD, state.contributed_through(on), terms.allocation_basis)
    postings = [Posting(acct.PNL_ALLOCATED, USD, amount)]
    for partner, part in parts.items():
        postings.append(Posting(acct.partner_income(partner), USD, -part))
    return postings


def partner_capital(state: LedgerState, on: dt.date) -> dict[str, Decimal]:
    """Each partner's capital (contributed + allocated - distributed) on ``on``."""
    totals = state.totals_through(on)
    capital: dict[str, Decimal] = {}
    for (owner, measure), value in totals.items():
        if owner == acct.FUND or measure == "commitment":
            continue
        sign = -1 if measure == "distributions" else 1
        capital[owner] = capital.get(owner, _ZERO) + sign * value
    return capital


def _dfc_hurdle(state: LedgerState, on: dt.date, rate: Decimal) -> Decimal:
    day = on.toordinal()
    flows: list[tuple[dt.date, Decimal]] = []
    for (owner, measure), series in state.summary.items():
        if owner == "dfc" and measure.startswith("contributed_"):
            flows.extend((dt.date.fromordinal(d), a) for d, a in series.deltas() if d <= day)
    return us_preferred_hurdle(flows, state.measure("dfc", "distributions", on), on, rate)


# --- book: event -> booking (pure) ---------------------------------------------------------


def _book_commitment(event: Commitment, state: LedgerState, terms: Terms) -> Booking:  # noqa: ARG001
    _require_partner(state, event.partner)
    usd = _usd(state, _amount(event.amount, event.currency), event.currency, event.on)
    return _booking(
        event,
        _entry(
            event,
            [
                Posting(acct.commitments_offset(event.partner), USD, usd),
                Posting(acct.commitments(event.partner), USD, -usd),
            ],
        ),
    )


def _book_contribution(event: Contribution, state: LedgerState, terms: Terms) -> Booking:
    _require_partner(state, event.partner)
    amount = _amount(event.amount, event.currency)
    usd = _usd(state, amount, event.currency, event.on)
    kind = str(event.kind)
    if kind == "in_kind":
        if event.delivered_on is None:
            raise InvalidInput("delivered_on: an in_kind contribution needs its delivery date")
        credit = in_kind_credit(
            usd,
            event.delivered_on,
            event.agreed,
            credit_allowed=terms.in_kind_credit,
            cutoff=terms.in_kind_cutoff,
            requires_agreed=terms.in_kind_requires_agreed,
        )
        postings = [
            Posting(acct.IN_KIND_RESERVE, USD, credit),
            Posting(acct.contributed(event.partner, kind), USD, -credit),
        ]
        return _booking(event, _entry(event, postings))
    postings = _cash(event.currency, amount, usd)
    postings.append(Posting(acct.contributed(event.partner, kind), USD, -usd))
    entry = _entry(event, postings)
    if kind == "agreed_revenue":
        if event.partner != "ppp_agency":
            raise NotPermitted(
                f"partner: agreed revenue is Ukraine's contribution and comes from ppp_agency, "
                f"got {event.partner!r}"
            )
        if event.for_year is None:
            raise InvalidInput(
                "for_year: an agreed_revenue contribution names the year it pays for"
            )
        change = ObligationChange(event.for_year, event.on, _ZERO, _ZERO, usd)
        return Booking(event.id, event.on, event.type, (entry,), (change,))
    return _booking(event, entry)


def _book_state_receipt(event: StateReceipt, state: LedgerState, terms: Terms) -> Booking:
    amount = _amount(event.amount, event.currency)
    licence = state.licences.get(event.licence)
    if licence is None:
        raise LicenceNotRecorded(
            f"licence: {event.licence!r} is not recorded; a state_receipt needs the licence's "
            "licence_issued recorded before it, earlier in the file or in the log (lines "
            "apply in file order)",
            licence=event.licence,
            on=event.on,
        )
    if licence.issued_on > event.on:
        raise LicenceNotRecorded(
            f"licence: {event.licence!r} was issued on {licence.issued_on}, after this "
            f"receipt's value date {event.on}; a receipt needs its licence issued on or "
            "before it",
            licence=event.licence,
            on=event.on,
        )
    reasons = []
    if not licence_is_new(licence.issued_on, licence.developed_at_cutoff, terms):
        reasons.append(
            f"licence {licence.licence} issued {licence.issued_on} is not new under the "
            f"{terms.new_licence_reading} reading (cut-off {terms.new_licence_cutoff})"
        )
    if not in_annex(licence.resource, terms.annex_resources):
        reasons.append(
            f"resource {licence.resource!r} is not in the Annex of terms {terms.version}"
        )
    if str(event.item) not in terms.revenue_items:
        reasons.append(f"item {event.item} does not count under terms {terms.version}")
    if reasons:
        return _booking(event, note="not counted: " + "; ".join(reasons))
    usd = _usd(state, amount, event.currency, event.on)
    year = state.obligations.get(event.on.year)
    if year is not None and year[0].total() + usd > MAX_YEAR_RECEIPTS_USD:
        # The share due is kept in micro-dollars, an integer in a BIGINT column.
        raise InvalidInput(
            f"amount: receipts of {event.on.year} would reach {year[0].total() + usd} USD, "
            f"above the {MAX_YEAR_RECEIPTS_USD} USD a year the books hold"
        )
    due = ukraine_share(usd, str(event.item), terms.revenue_items, terms.revenue_share)
    change = ObligationChange(event.on.year, event.on, usd, round_amount_due(due), _ZERO)
    return Booking(event.id, event.on, event.type, (), (change,))


def round_amount_due(due: Decimal) -> Decimal:
    """The exact share kept per receipt: half up at ``DUE_PLACES`` (micro-dollars).

    >>> round_amount_due(Decimal("0.1234565"))
    Decimal('0.123457')
    """
    return due.quantize(DUE_QUANTUM, rounding=ROUND_HALF_UP)


def _book_investment(event: Investment, state: LedgerState, terms: Terms) -> Booking:  # noqa: ARG001
    amount = _amount(event.amount, event.currency)
    usd = _usd(state, amount, event.currency, event.on)
    postings = _cash(event.currency, -amount, -usd)
    postings.append(Posting(acct.investments(event.project), USD, usd))
    return _booking(event, _entry(event, postings))


def _book_project_income(event: ProjectIncome, state: LedgerState, terms: Terms) -> Booking:
    amount = _amount(event.amount, event.currency)
    usd = _usd(state, amount, event.currency, event.on)
    postings = _cash(event.currency, amount, usd)
    postings.append(Posting(acct.income(event.category), USD, -usd))
    postings.extend(_allocation(state, event.on, usd, terms))
    return _booking(event, _entry(event, postings))


def _book_expense(event: Expense, state: LedgerState, terms: Terms) -> Booking:
    amount = _amount(event.amount, event.currency)
    usd = _usd(state, amount, event.currency, event.on)
    postings = _cash(event.currency, -amount, -usd)
    postings.append(Posting(acct.expenses(event.category), USD, usd))
    postings.extend(_allocation(state, event.on, -usd, terms))
    return _booking(event, _entry(event, postings))


def _book_valuation(event: Valuation, state: LedgerState, terms: Terms) -> Booking:
    fair = _amount(event.fair_value, event.currency, allow_zero=True)
    cost_series = state.balances.get((acct.investments(event.project), USD))
    if cost_series is None or not cost_series.days or cost_series.days[0] > event.on.toordinal():
        # a reference the rule needs, missing: a refusal (exit 4), like an unknown licence
        raise NotPermitted(
            f"project: {event.project!r} has no investment dated on or before {event.on} to "
            "value; record the investment before its valuation"
        )
    fair_usd = _usd(state, fair, event.currency, event.on)
    carrying = state.balance(acct.investments(event.project), USD, event.on) + state.balance(
        acct.fair_value(event.project), USD, event.on
    )
    gain = fair_usd - carrying
    if not gain:
        return _booking(event, note=f"fair value equals carrying value {carrying} USD")
    postings = [
        Posting(acct.fair_value(event.project), USD, gain),
        Posting(acct.GAINS_VALUATION, USD, -gain),
    ]
    postings.extend(_allocation(state, event.on, gain, terms))
    return _booking(event, _entry(event, postings))


def _book_distribution(event: Distribution, state: LedgerState, terms: Terms) -> Booking:
    check_distribution_date(event.on, terms.reinvestment_lock_start, terms.reinvestment_lock_years)
    amount = _amount(event.amount, event.currency)
    usd = _usd(state, amount, event.currency, event.on)
    hurdle = _ZERO
    if terms.distribution_rule == "us_first_preferred":
        hurdle = _dfc_hurdle(state, event.on, terms.preferred_return)
    parts = distribution_split(
        usd, USD, partner_capital(state, event.on), terms.distribution_rule, hurdle
    )
    postings = _cash(event.currency, -amount, -usd)
    postings.extend(Posting(acct.partner_distributions(p), USD, x) for p, x in parts.items())
    return _booking(event, _entry(event, postings))


_BOOK: dict[str, Callable[[Any, LedgerState, Terms], Booking]] = {
    "commitment": _book_commitment,
    "contribution": _book_contribution,
    "state_receipt": _book_state_receipt,
    "investment": _book_investment,
    "project_income": _book_project_income,
    "expense": _book_expense,
    "valuation": _book_valuation,
    "distribution": _book_distribution,
}


def book(event: Event, state: LedgerState, terms: Terms) -> Booking:
    """The booking ``event`` makes on ``state`` under ``terms``, or the refusal (pure).

    Events that move no money (``fx_rate``, ``licence_issued``, governance events) book to
    an empty ``Booking``; a ``correction`` books here to its reversal only (``apply`` adds
    the replacement).
    """
    builder = _BOOK.get(event.type)
    if builder is not None:
        return builder(event, state, terms)
    if isinstance(event, Correction):
        target = state.booked.get(event.corrects)
        if target is None:
            return Booking(event.id, event.on, event.type)
        original = target[1]
        return Booking(
            event.id,
            event.on,
            event.type,
            tuple(e.reversed("reversal", event.id) for e in original.entries),
            tuple(c.reversed() for c in original.obligations),
        )
    return Booking(event.id, event.on, event.type)


# --- apply: book, gate, post ---------------------------------------------------------------


#: The event types ``_pass_gates`` acts on (payments: the classes its ``isinstance``
#: checks name); the others pass without a look.
_GATED_CLASSES = (Investment, Expense, Distribution)
_GATED = frozenset(cls.type for cls in _GATED_CLASSES)


def _pass_gates(
    event: Event, booking: Booking, terms: Terms, gates: Gates, approved: Event | None = None
) -> None:
    """Pass ``event`` through the gates; ``approved`` is what the approval gate is shown.

    A correction's replacement shows the approval gate the correction itself, so the
    approval the corrected event used is left out of what the replacement may draw on.
    """
    approval = event if approved is None else approved
    if isinstance(event, Investment):
        gates.approval.check(approval, terms)
        gates.screening.check(event, event.counterparty, event.on)
    elif isinstance(event, Expense):
        usd = sum(
            (p.amount for _, p in booking.postings() if p.account.startswith("expenses:")), _ZERO
        )
        if usd > terms.expense_approval_threshold_usd:
            gates.approval.check(approval, terms)
        gates.screening.check(event, event.counterparty, event.on)
    elif isinstance(event, Distribution):
        gates.approval.check(approval, terms)
        for _, posting in booking.postings():
            if posting.account.endswith(":distributions") and posting.amount > 0:
                gates.screening.check(event, posting.account.split(":")[1], event.on)


def _post_checked(state: LedgerState, booking: Booking, event: Event) -> None:
    """Post ``booking``, or refuse it if fund cash would go negative on any date."""
    cash_account = acct.CASH
    for entry in booking.entries:
        for posting in entry.postings:
            if posting.account == cash_account and posting.amount < 0:
                _check_cash(state, booking, event)
                state.post(booking)
                return
    state.post(booking)


def _check_cash(state: LedgerState, booking: Booking, event: Event) -> None:
    """Refuse ``booking`` (it takes cash out) if fund cash would go negative on any date."""
    moves = _cash_moves(booking)
    for code in sorted(moves):
        deltas = moves[code]
        if all(amount >= 0 for amount in deltas.values()):
            continue
        series = state.balances.get((acct.CASH, code))
        low = _lowest_after(series or DatedSeries(), sorted(deltas.items()))
        if low is not None:
            low_day, value = low
            raise NotPermitted(
                f"cash: fund cash in {code} would fall to {value} on "
                f"{dt.date.fromordinal(low_day)}; cash never goes negative (cash on "
                f"{event.on}: {state.cash(code, event.on)} {code})"
            )


def _cash_moves(booking: Booking) -> dict[str, dict[int, Decimal]]:
    """Fund cash moved by ``booking``: per currency, per value day."""
    moves: dict[str, dict[int, Decimal]] = {}
    cash_account = acct.CASH
    for entry in booking.entries:
        for posting in entry.postings:
            if posting.account == cash_account:
                by_day = moves.setdefault(posting.currency, {})
                day = entry.on.toordinal()
                by_day[day] = by_day.get(day, _ZERO) + posting.amount
    return moves


def _lowest_after(
    series: DatedSeries, deltas: list[tuple[int, Decimal]]
) -> tuple[int, Decimal] | None:
    """The first day on which ``series`` plus ``deltas`` would be negative, if any."""
    first = deltas[0][0]
    days = sorted({*series.days[bisect_left(series.days, first) :], *(d for d, _ in deltas)})
    added = _ZERO
    index = 0
    for day in days:
        while index < len(deltas) and deltas[index][0] <= day:
            added += deltas[index][1]
            index += 1
        value = series.through(day) + added
        if value < 0:
            return day, value
    return None


def _apply(
    state: LedgerState,
    event: Event,
    terms: Terms,
    gates: Gates,
    approved: Event | None = None,
) -> Booking:
    if event.id in state.booked:
        raise Conflict(f"event {event.id} is already in the books")
    kind = event.type
    builder = _BOOK.get(kind)
    if builder is not None:  # the money events: book, gate, post (``book`` inlined)
        booking = builder(event, state, terms)
        if kind in _GATED:
            _pass_gates(event, booking, terms, gates, approved)
        _post_checked(state, booking, event)
    elif isinstance(event, FxRate):
        if event.rate <= 0:
            raise InvalidInput(f"rate: expected a positive rate, got {event.rate}")
        state.add_rate(event.base, event.quote, event.on, event.rate)
        booking = Booking(event.id, event.on, event.type)
    elif isinstance(event, LicenceIssued):
        existing = state.licences.get(event.licence)
        if existing is not None:
            raise Conflict(
                f"licence: {event.licence!r} was already issued on {existing.issued_on} "
                f"(event {existing.event_id})"
            )
        state.add_licence(
            Licence(
                event.licence,
                event.on,
                str(event.instrument),
                event.resource,
                event.deposit,
                event.developed_at_cutoff,
                event.id,
            )
        )
        booking = Booking(event.id, event.on, event.type)
    elif isinstance(event, Correction):
        return _apply_correction(state, event, terms, gates)
    else:
        booking = book(event, state, terms)
        _pass_gates(event, booking, terms, gates, approved)
        _post_checked(state, booking, event)
    state.remember(event.id, event, booking)
    return booking


def _apply_correction(state: LedgerState, event: Correction, terms: Terms, gates: Gates) -> Booking:
    if event.corrects in state.corrected:
        raise NotPermitted(
            f"corrects: event {event.corrects} was already corrected by {state.corrected[event.corrects]}"
        )
    target = state.booked.get(event.corrects)
    if target is not None and isinstance(target[0], Correction):
        raise NotPermitted(
            f"corrects: {event.corrects} is itself a correction; corrections are not corrected"
        )
    logging = state.logging
    mark = state.mark()
    try:
        reversal = book(event, state, terms)
        if target is not None:
            original = target[0]
            if isinstance(original, FxRate):
                state.drop_rate(original.base, original.quote, original.on)
            elif isinstance(original, LicenceIssued):
                state.drop_licence(original.licence)
            _post_checked(state, reversal, event)
            state.mark_corrected(event.corrects, event.id)
        entries, obligations = reversal.entries, reversal.obligations
        replacement = event.replacement
        if replacement is not None and replacement.type in LEDGER_EVENT_TYPES:
            if isinstance(replacement, Correction):
                raise InvalidInput("replacement: a correction cannot replace with a correction")
            replaced = _apply(
                state, dataclasses.replace(replacement, id=event.id), terms, gates, event
            )
            state.booked.pop(event.id, None)
            entries += replaced.entries
            obligations += replaced.obligations
        note = f"corrects {event.corrects}: {event.reason}"
        booking = Booking(event.id, event.on, event.type, entries, obligations, note)
        state.remember(event.id, event, booking)
    except BaseException:
        state.rollback(mark)
        if not logging:
            state.release()
        raise
    if not logging:
        state.release()
    return booking


def apply(state: LedgerState, event: Event, terms: Terms, gates: Gates = DEFAULT_GATES) -> Booking:
    """Book ``event`` into ``state`` under ``terms``, passing payments through ``gates``.

    Refusals raise the specific error (``NotPermitted``, ``Blocked``, ``NotFound``,
    ``InvalidInput``, ``Conflict``) with a message naming the event; ``state`` is unchanged
    when it raises.
    """
    if event.type not in LEDGER_EVENT_TYPES:
        return Booking(event.id, event.on, event.type)
    try:
        return _apply(state, event, terms, gates)
    except UrifError as error:
        prefix = f"{event.type} {event.id}: "
        if error.message.startswith(prefix):
            raise
        # A copy keeps the error's class and its own fields (a LicenceNotRecorded's licence).
        named = copy.copy(error)
        named.message = prefix + error.message
        named.args = (named.message,)
        raise named from None
