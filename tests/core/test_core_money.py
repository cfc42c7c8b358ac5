"""Money: exact arithmetic, the one rounding rule, and allocate's exact splits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from urif.core.errors import InvalidInput
from urif.core.money import Money, allocate, parse_decimal, quantum, round_amount, total

CENTS = st.integers(min_value=-(10**13), max_value=10**13)
WEIGHTS = st.lists(
    st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=12,
).filter(lambda ws: sum(ws) > 0)


def usd(cents: int) -> Money:
    return Money(Decimal(cents) / 100, "USD")  # type: ignore[arg-type]


@given(CENTS, WEIGHTS)
def test_allocate_parts_sum_exactly_to_the_total(cents: int, weights: list[Decimal]) -> None:
    amount = usd(cents)
    parts = allocate(amount, weights)
    assert len(parts) == len(weights)
    assert sum((p.amount for p in parts), Decimal(0)) == amount.amount
    assert all(p.currency == "USD" for p in parts)
    assert all(p.amount == p.amount.quantize(Decimal("0.01")) for p in parts)


@given(CENTS, WEIGHTS)
def test_each_part_is_within_one_cent_of_its_exact_share(
    cents: int, weights: list[Decimal]
) -> None:
    amount = usd(cents)
    weight_sum = sum(weights, Decimal(0))
    for part, weight in zip(allocate(amount, weights), weights, strict=True):
        exact = amount.amount * weight / weight_sum
        assert abs(part.amount - exact) < Decimal("0.01")


@given(CENTS, WEIGHTS)
def test_signs_never_mix(cents: int, weights: list[Decimal]) -> None:
    parts = allocate(usd(cents), weights)
    if cents >= 0:
        assert all(p.amount >= 0 for p in parts)
    else:
        assert all(p.amount <= 0 for p in parts)


@given(CENTS, WEIGHTS)
def test_negating_the_amount_negates_every_part(cents: int, weights: list[Decimal]) -> None:
    plus = allocate(usd(cents), weights)
    minus = allocate(usd(-cents), weights)
    assert [p.amount for p in minus] == [-p.amount for p in plus]


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=20))
def test_equal_weights_give_the_leftover_cents_to_the_earliest(cents: int, n: int) -> None:
    parts = [p.amount for p in allocate(usd(cents), [Decimal(1)] * n)]
    base, left = divmod(cents, n)
    assert parts == [Decimal(base + (1 if i < left else 0)) / 100 for i in range(n)]
    assert parts == sorted(parts, reverse=True)


def test_ties_in_remainder_go_to_the_earlier_weight() -> None:
    parts = allocate(Money.of("0.05", "USD"), [Decimal(1), Decimal(2), Decimal(1), Decimal(2)])
    # exact shares 0.833, 1.667, 0.833, 1.667 cents: floors 0, 1, 0, 1 leave 3 cents; the
    # two largest remainders (0.833, tied) take one each, then the earlier of the 0.667 tie
    assert [str(p.amount) for p in parts] == ["0.01", "0.02", "0.01", "0.01"]
    one = allocate(Money.of("0.01", "USD"), [Decimal(1), Decimal(1), Decimal(1)])
    assert [str(p.amount) for p in one] == ["0.01", "0.00", "0.00"]


def test_zero_weight_gets_nothing() -> None:
    parts = allocate(Money.of("100.00", "USD"), [Decimal(0), Decimal(1)])
    assert [str(p.amount) for p in parts] == ["0.00", "100.00"]


def test_allocate_rounds_the_total_half_up_first() -> None:
    parts = allocate(Money.of("0.005", "USD"), [Decimal(1)])
    assert parts == (Money.of("0.01", "USD"),)


@pytest.mark.parametrize(
    ("weights", "words"),
    [
        ([], "at least one weight"),
        ([Decimal(-1), Decimal(2)], "must not be negative"),
        ([Decimal(0), Decimal(0)], "sum to zero"),
        ([0.5, 0.5], "finite Decimals or ints, got 0.5"),
        ([Decimal("NaN")], "finite Decimals or ints"),
        ([True], "finite Decimals or ints"),
    ],
)
def test_allocate_refuses_bad_weights(weights: list[object], words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        allocate(Money.of("1.00", "USD"), weights)  # type: ignore[arg-type]


@given(CENTS, CENTS, CENTS)
def test_addition_is_exact_associative_and_subtraction_undoes_it(a: int, b: int, c: int) -> None:
    x, y, z = usd(a), usd(b), usd(c)
    assert (x + y) + z == x + (y + z)
    assert (x + y) - y == x
    assert x + y == y + x
    assert -x == usd(-a)
    assert x + (-x) == Money.zero("USD")
    assert (x + y).amount == (Decimal(a) + Decimal(b)) / 100


@given(CENTS, st.integers(min_value=-1000, max_value=1000))
def test_multiplication_is_exact(a: int, factor: int) -> None:
    x = usd(a)
    assert (x * factor).amount == x.amount * factor
    assert factor * x == x * factor
    assert (x * Decimal("0.5")).amount == x.amount / 2


@given(CENTS, CENTS)
def test_comparisons_follow_amounts(a: int, b: int) -> None:
    x, y = usd(a), usd(b)
    assert (x < y) == (a < b)
    assert (x <= y) == (a <= b)
    assert (x > y) == (a > b)
    assert (x >= y) == (a >= b)


def test_currencies_never_mix() -> None:
    with pytest.raises(InvalidInput, match="cannot combine USD with UAH"):
        Money.of("1", "USD") + Money.of("1", "UAH")
    with pytest.raises(InvalidInput, match="cannot combine"):
        _ = Money.of("1", "USD") < Money.of("1", "UAH")


@pytest.mark.parametrize("bad", [1.5, "1e5", "abc", "", None, True, "1,000.00"])
def test_parse_decimal_refuses_floats_and_junk(bad: object) -> None:
    with pytest.raises(InvalidInput, match="expected a decimal string"):
        parse_decimal(bad)


def test_money_refuses_floats_nan_and_bad_currency() -> None:
    with pytest.raises(InvalidInput, match="must be a Decimal"):
        Money(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="finite"):
        Money(Decimal("NaN"), "USD")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="ISO 4217"):
        Money.of("1", "usd")
    with pytest.raises(InvalidInput, match="factor must be Decimal or int"):
        Money.of("1", "USD") * 1.5  # type: ignore[operator]


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False))
def test_round_amount_is_half_up_to_the_cent(value: Decimal) -> None:
    rounded = round_amount(value, "USD")
    assert rounded == rounded.quantize(quantum("USD"))
    assert abs(rounded - value) <= Decimal("0.005")
    if abs(rounded - value) == Decimal("0.005"):
        assert abs(rounded) > abs(value)  # ties away from zero


def test_total_and_zero() -> None:
    assert total([], "UAH") == Money.zero("UAH")
    assert total([Money.of("0.10", "UAH")] * 3, "UAH") == Money.of("0.30", "UAH")
    assert Money.zero("USD").is_zero()
    assert str(Money.of("1250000.5", "USD")) == "1,250,000.5 USD"
    assert Money.of("10.005", "USD").rounded() == Money.of("10.01", "USD")
    assert quantum("JPY") == Decimal(1)
