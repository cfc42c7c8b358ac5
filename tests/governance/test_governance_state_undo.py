"""GovernanceState: FX rates by bisection, and one event's writes undone exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from urif.governance import GovernanceState

D = dt.date


def test_usd_rate_is_the_latest_on_or_before_whatever_the_recording_order() -> None:
    state = GovernanceState()
    state.add_rate("USD", "UAH", D(2025, 9, 20), Decimal("40"))
    state.add_rate("USD", "UAH", D(2025, 9, 10), Decimal("50"))
    state.add_rate("USD", "UAH", D(2025, 9, 20), Decimal("25"))  # replaces the day's rate
    assert state.usd_rate("UAH", D(2025, 9, 9)) is None
    assert state.usd_rate("UAH", D(2025, 9, 15)) == Decimal(1) / Decimal("50")
    assert state.usd_rate("UAH", D(2025, 12, 1)) == Decimal(1) / Decimal("25")
    assert state.usd_rate("USD", D(2000, 1, 1)) == Decimal(1)


def test_undo_puts_back_every_write_of_the_event_in_order() -> None:
    state = GovernanceState()
    state.put(state.members, "a", ("A", "us"))
    state.put(state.members, "b", ("B", "ua"))
    state.add_rate("USD", "UAH", D(2025, 9, 10), Decimal("41"))
    before = state.copy()
    state.begin()
    state.put(state.members, "a", ("A2", "us"))
    state.put(state.members, "c", ("C", "us"))
    state.remove(state.members, "b")
    state.add_rate("USD", "UAH", D(2025, 9, 10), Decimal("42"))
    state.add_rate("USD", "UAH", D(2025, 9, 11), Decimal("43"))
    state.add_rate("EUR", "UAH", D(2025, 9, 11), Decimal("45"))
    state.undo()
    state.end()
    assert state == before
    assert list(state.members) == ["a", "b"]
