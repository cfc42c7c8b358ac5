"""The array kernels give the rules' answers, to the cent in cents mode."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from urif.rules.allocation import distribution_split, ownership_shares, split_exact
from urif.rules.licence import is_new_licence
from urif.sim import kernels as k

cents = st.integers(min_value=0, max_value=10**12)


@settings(max_examples=200, deadline=None)
@given(amount=st.integers(min_value=-(10**11), max_value=10**11), w0=cents, w1=cents)
def test_split_in_cents_equals_the_books_split(amount: int, w0: int, w1: int) -> None:
    value = Decimal(amount) / 100
    weights = {"dfc": Decimal(w0) / 100, "ppp_agency": Decimal(w1) / 100}
    if w0 + w1 == 0:
        weights = {"dfc": Decimal(1), "ppp_agency": Decimal(1)}
    expected = split_exact(value, "USD", weights)
    got = k.split(np.array([amount / 100]), np.array([[w0 / 100, w1 / 100]]), cents=True)[0]
    assert [Decimal(repr(float(v))).quantize(Decimal("0.01")) for v in got] == [
        expected["dfc"],
        expected["ppp_agency"],
    ]


@settings(max_examples=100, deadline=None)
@given(amount=cents, c0=cents, c1=cents, hurdle=cents)
def test_us_first_distribution_matches_the_rule(amount: int, c0: int, c1: int, hurdle: int) -> None:
    capital = {"dfc": Decimal(c0) / 100, "ppp_agency": Decimal(c1) / 100}
    expected = distribution_split(
        Decimal(amount) / 100, "USD", capital, "us_first_preferred", Decimal(hurdle) / 100
    )
    got = k.distribution_split(
        np.array([amount / 100]),
        np.array([[c0 / 100, c1 / 100]]),
        k.RULE["us_first_preferred"],
        np.array([hurdle / 100]),
        cents=True,
    )[0]
    assert [Decimal(repr(float(v))).quantize(Decimal("0.01")) for v in got] == [
        expected.get("dfc", Decimal(0)),
        expected.get("ppp_agency", Decimal(0)),
    ]


@given(c0=cents, c1=cents)
def test_ownership_shares_match_the_rule(c0: int, c1: int) -> None:
    expected = ownership_shares({"dfc": Decimal(c0) / 100, "ppp_agency": Decimal(c1) / 100})
    got = k.ownership_shares(np.array([[c0 / 100, c1 / 100]]), cents=True)[0]
    assert [Decimal(repr(float(v))).quantize(Decimal("0.000001")) for v in got] == [
        expected["dfc"],
        expected["ppp_agency"],
    ]


def test_new_licence_kernel_matches_the_rule_for_every_reading() -> None:
    years = list(range(2020, 2030))
    cutoff = dt.date(2025, 5, 23)
    first_new = next(i for i, y in enumerate(years) if dt.date(y, 7, 1) >= cutoff)
    for reading, code in k.READING.items():
        for developed in (False, True):
            got = k.is_new_licence(np.arange(len(years)), np.array(developed), code, first_new)
            expected = [is_new_licence(dt.date(y, 7, 1), developed, reading, cutoff) for y in years]
            assert got.tolist() == expected


def test_ukraine_share_rounds_the_year_once_half_up() -> None:
    assert k.ukraine_share(np.array([0.01, 1234.57]), 0.5, cents=True).tolist() == [0.01, 617.29]


def test_float_mode_splits_pro_rata_and_sums_exactly() -> None:
    parts = k.allocate_income(
        np.array([90.0]), np.array([[1.0, 2.0]]), k.BASIS["contributed_capital"]
    )
    assert parts.tolist() == [[30.0, 60.0]]
