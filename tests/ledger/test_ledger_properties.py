"""Properties of journal entries and splits: balanced always, exact always."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from urif.core.errors import IntegrityError
from urif.ledger import JournalEntry, Posting
from urif.ledger.series import DatedSeries

cents = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2)
accounts = st.sampled_from(["assets:cash", "fx:UAH", "partners:dfc:income", "pnl:allocated"])
codes = st.sampled_from(["USD", "UAH"])


@given(st.lists(st.tuples(accounts, codes, cents), min_size=1, max_size=8))
def test_postings_closed_per_currency_always_balance(legs: list[tuple[str, str, Decimal]]) -> None:
    postings = [Posting(a, c, x) for a, c, x in legs]
    for code in {c for _, c, _ in legs}:
        total = sum((x for _, c, x in legs if c == code), Decimal(0))
        postings.append(Posting("equity:plug", code, -total))
    entry = JournalEntry("e", dt.date(2026, 1, 1), "test", tuple(postings))
    reversed_entry = entry.reversed()
    assert [p.amount for p in reversed_entry.postings] == [-p.amount for p in entry.postings]


@given(st.lists(st.tuples(accounts, codes, cents), min_size=1, max_size=8), cents.filter(bool))
def test_any_imbalance_is_refused(legs: list[tuple[str, str, Decimal]], error: Decimal) -> None:
    postings = [Posting(a, c, x) for a, c, x in legs]
    for code in {c for _, c, _ in legs}:
        total = sum((x for _, c, x in legs if c == code), Decimal(0))
        postings.append(Posting("equity:plug", code, -total))
    postings.append(Posting("equity:error", legs[0][1], error))
    with pytest.raises(IntegrityError, match="does not balance"):
        JournalEntry("e", dt.date(2026, 1, 1), "test", tuple(postings))


@given(st.lists(st.tuples(st.integers(0, 50), cents), max_size=30), st.integers(-1, 52))
def test_dated_series_equals_a_plain_sum_and_undoes_exactly(
    adds: list[tuple[int, Decimal]], probe: int
) -> None:
    series = DatedSeries()
    undo = [(day, amount, series.add(day, amount)) for day, amount in adds]
    assert series.through(probe) == sum((a for d, a in adds if d <= probe), Decimal(0))
    later = {probe} | {d for d, _ in adds if d >= probe}
    expected_min = min(sum((a for d, a in adds if d <= day), Decimal(0)) for day in later)
    assert series.minimum_from(probe) == expected_min
    for day, amount, inserted in reversed(undo):
        series.undo(day, amount, inserted)
    assert series.days == []
    assert series.cum == []
