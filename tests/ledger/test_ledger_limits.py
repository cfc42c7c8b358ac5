"""Figures the books cannot hold are refused with a reason, never an overflow."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.ledger.ledger_builders import ClearAll, cash, day, fx
from tests.ledger.test_ledger_booking import invest, licence, receipt
from urif.core.errors import InvalidInput
from urif.events.model import Correction, Event
from urif.ledger import Gates, LedgerState, apply
from urif.ledger.booking import MAX_YEAR_RECEIPTS_USD
from urif.terms import Terms


def test_an_extreme_rate_is_refused_naming_the_rate(terms: Terms, open_gates: Gates) -> None:
    state = LedgerState()
    apply(state, fx("fx-1", "2025-10-01", "0.0000000000000000000001"), terms, open_gates)
    with pytest.raises(InvalidInput, match=r"largest amount the books hold.*check the fx_rate"):
        apply(state, cash("k1", "2025-10-02", "dfc", "1000000.00", "UAH"), terms, open_gates)
    assert "k1" not in state.booked


def test_a_years_receipts_stop_below_what_the_due_column_holds(
    terms: Terms, open_gates: Gates
) -> None:
    state = LedgerState()
    apply(state, licence("l1", "2025-07-01", "L1"), terms, open_gates)
    for i in range(9):
        apply(
            state,
            receipt(f"r{i}", "2025-08-01", "L1", "999999999999.99", currency="USD"),
            terms,
            open_gates,
        )
    with pytest.raises(
        InvalidInput, match=re.escape(f"above the {MAX_YEAR_RECEIPTS_USD} USD a year")
    ):
        apply(
            state,
            receipt("r9", "2025-08-02", "L1", "999999999999.99", currency="USD"),
            terms,
            open_gates,
        )
    # Another year starts from nothing.
    apply(
        state,
        receipt("r10", "2026-01-02", "L1", "999999999999.99", currency="USD"),
        terms,
        open_gates,
    )


class _UsageGate:
    """An approval gate holding one approval of 100 and what each event drew on it."""

    def __init__(self) -> None:
        self.used: dict[str, int] = {}

    def check(self, event: Event, terms: Terms) -> None:
        """Refuse when the approval is used up, leaving out what a correction reverses."""
        del terms
        excluded = event.corrects if isinstance(event, Correction) else None
        used = sum(v for k, v in self.used.items() if k != excluded)
        if used + 100 > 100:
            raise InvalidInput(f"used up by {', '.join(self.used)}")


def test_a_correction_shows_the_approval_gate_the_correction_not_its_replacement(
    terms: Terms,
) -> None:
    gate = _UsageGate()
    gates = Gates(gate, ClearAll())
    state = LedgerState()
    apply(state, cash("k1", "2025-10-01", "dfc", "1000"), terms, gates)
    apply(state, invest("i2", "2026-01-10", "100"), terms, gates)
    gate.used["i2"] = 100
    moved = invest("k8", "2026-01-11", "100")
    correction = Correction(
        moved.id, day("2026-01-20"), corrects="i2", reason="date", replacement=moved
    )
    booking = apply(state, correction, terms, gates)
    assert state.corrected == {"i2": "k8"}
    assert {e.on for e in booking.entries} == {dt.date(2026, 1, 10), dt.date(2026, 1, 11)}
