"""Clause formulas: unit tests and hypothesis properties of urif.rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from urif.core.errors import InvalidInput, NotPermitted
from urif.rules import (
    FxTable,
    allocate_income,
    check_distribution_date,
    convert,
    distribution_allowed_on,
    distribution_split,
    fx_rate_on,
    in_annex,
    in_kind_credit,
    is_new_licence,
    licence_is_new,
    obligation_due_date,
    ownership_shares,
    ukraine_share,
    us_preferred_hurdle,
)
from urif.rules.contribution import check_delivered_by, check_in_kind_partner
from urif.terms import MonthDay, load_termset

CUTOFF = dt.date(2025, 5, 23)
SIGNED = load_termset("signed-2025-04-30").at(dt.date(2026, 1, 1))

amounts = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2)
weights = st.decimals(min_value=Decimal(0), max_value=Decimal("1e9"), places=2)


def test_strict_reading_counts_only_licences_issued_on_or_after_cutoff() -> None:
    assert is_new_licence(CUTOFF, True, "strict", CUTOFF)
    assert not is_new_licence(CUTOFF - dt.timedelta(days=1), False, "strict", CUTOFF)


def test_broad_reading_adds_licences_undeveloped_at_cutoff() -> None:
    earlier = dt.date(2020, 1, 1)
    assert is_new_licence(earlier, False, "broad", CUTOFF)
    assert not is_new_licence(earlier, True, "broad", CUTOFF)


def test_unknown_reading_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="new_licence_reading"):
        is_new_licence(CUTOFF, False, "loose", CUTOFF)


def test_licence_is_new_follows_the_terms_in_force() -> None:
    broad = dataclasses.replace(SIGNED, new_licence_reading="broad")
    assert not licence_is_new(dt.date(2024, 1, 1), False, SIGNED)
    assert licence_is_new(dt.date(2024, 1, 1), False, broad)


def test_annex_has_lithium_and_gas_but_not_iron_ore_coal_or_molybdenum() -> None:
    assert in_annex("lithium", SIGNED.annex_resources)
    assert in_annex("Natural Gas", SIGNED.annex_resources)
    for resource in ("iron_ore", "coal", "molybdenum"):
        assert not in_annex(resource, SIGNED.annex_resources)


def test_lng_is_the_annex_natural_gas_in_every_signed_set() -> None:
    for resource in ("lng", "LNG", "liquefied_natural_gas", "Liquefied Natural Gas", " lng "):
        assert in_annex(resource, SIGNED.annex_resources), resource
    assert not in_annex("lng", ("lithium", "oil"))
    assert not in_annex("lpg", SIGNED.annex_resources)


#: Every spelling the comparison form folds together: case, edge spaces, inner spaces,
#: hyphens and underscores.
_separators = st.sampled_from([" ", "_", "-", "  "])


def _spelled(words: list[str], draw_case: list[bool], sep: str, pad: str) -> str:
    cased = [w.upper() if up else w for w, up in zip(words, draw_case, strict=True)]
    return pad + sep.join(cased) + pad


@given(
    alias=st.sampled_from([["lng"], ["liquefied", "natural", "gas"]]),
    upper=st.lists(st.booleans(), min_size=3, max_size=3),
    sep=_separators,
    pad=st.sampled_from(["", " ", "  "]),
    annex=st.lists(
        st.sampled_from(["lithium", "natural_gas", "oil", "Natural Gas", "titanium"]),
        max_size=5,
    ),
)
def test_an_lng_spelling_is_in_an_annex_exactly_when_natural_gas_is(
    alias: list[str], upper: list[bool], sep: str, pad: str, annex: list[str]
) -> None:
    spelled = _spelled(alias, upper[: len(alias)], sep, pad)
    assert in_annex(spelled, tuple(annex)) == in_annex("natural_gas", tuple(annex))


def test_in_kind_credit_is_the_us_sides_contribution_only() -> None:
    check_in_kind_partner("dfc", "us")
    with pytest.raises(NotPermitted, match="'ppp_agency' is on Ukraine's side"):
        check_in_kind_partner("ppp_agency", "ua")
    with pytest.raises(NotPermitted, match="'gp' is on neither side"):
        check_in_kind_partner("gp", None)


@given(
    delivered=st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31)),
    on=st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31)),
)
def test_in_kind_credit_is_refused_exactly_when_dated_before_delivery(
    delivered: dt.date, on: dt.date
) -> None:
    if delivered <= on:
        check_delivered_by(delivered, on)
    else:
        with pytest.raises(NotPermitted, match="cannot precede delivery"):
            check_delivered_by(delivered, on)


def test_ukraine_share_is_half_of_counted_items_exactly() -> None:
    assert ukraine_share(
        Decimal("0.01"), "royalty", SIGNED.revenue_items, Decimal("0.5")
    ) == Decimal("0.005")
    assert ukraine_share(Decimal(100), "royalty", ("permit_fee",), Decimal("0.5")) == 0
    with pytest.raises(InvalidInput, match="state_receipt item"):
        ukraine_share(Decimal(1), "tax", SIGNED.revenue_items, Decimal("0.5"))


def test_transfer_for_a_year_is_due_on_1_april_of_the_next() -> None:
    assert obligation_due_date(2025, MonthDay(4, 1)) == dt.date(2026, 4, 1)
    assert obligation_due_date(2025, SIGNED.transfer_due) == dt.date(2026, 4, 1)


def test_fx_uses_latest_rate_on_or_before_the_value_date() -> None:
    table = FxTable()
    table.add("USD", "UAH", dt.date(2025, 9, 1), Decimal("41.00"))
    table.add("USD", "UAH", dt.date(2025, 9, 10), Decimal("41.30"))
    assert fx_rate_on(table, "USD", "UAH", dt.date(2025, 9, 9)) == Decimal("41.00")
    assert fx_rate_on(table, "USD", "UAH", dt.date(2025, 9, 10)) == Decimal("41.30")
    assert convert(Decimal("41300"), "UAH", "USD", dt.date(2025, 12, 31), table) == Decimal(
        "1000.00"
    )


def test_fx_without_a_rate_names_the_pair_and_date() -> None:
    table = FxTable()
    table.add("USD", "UAH", dt.date(2025, 9, 10), Decimal("41.30"))
    with pytest.raises(NotPermitted, match=r"no UAH/USD rate on or before 2025-09-09"):
        convert(Decimal(1), "UAH", "USD", dt.date(2025, 9, 9), table)


def test_fx_crosses_through_uah_when_no_direct_rate() -> None:
    table = FxTable()
    table.add("USD", "UAH", dt.date(2025, 9, 1), Decimal("40"))
    table.add("EUR", "UAH", dt.date(2025, 9, 1), Decimal("44"))
    assert convert(Decimal(100), "EUR", "USD", dt.date(2025, 9, 2), table) == Decimal("110.00")


def test_a_later_rate_on_the_same_day_replaces_and_remove_restores() -> None:
    table = FxTable()
    day = dt.date(2025, 9, 1)
    assert table.add("USD", "UAH", day, Decimal("40")) is None
    replaced = table.add("USD", "UAH", day, Decimal("41"))
    assert replaced == Decimal("40")
    table.remove("USD", "UAH", day, replaced)
    assert table.direct("USD", "UAH", day) == Decimal("40")


def test_in_kind_credit_refuses_past_aid_and_unagreed_aid_with_reasons() -> None:
    kwargs = {"credit_allowed": True, "cutoff": CUTOFF, "requires_agreed": True}
    with pytest.raises(NotPermitted, match="before the in-kind cut-off"):
        in_kind_credit(Decimal(5), dt.date(2025, 5, 22), True, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(NotPermitted, match="not agreed"):
        in_kind_credit(Decimal(5), CUTOFF, False, **kwargs)  # type: ignore[arg-type]
    assert in_kind_credit(Decimal(5), CUTOFF, True, **kwargs) == Decimal(5)  # type: ignore[arg-type]
    with pytest.raises(NotPermitted, match="no capital credit"):
        in_kind_credit(
            Decimal(5), CUTOFF, True, credit_allowed=False, cutoff=CUTOFF, requires_agreed=False
        )


def test_lock_ends_ten_years_after_entry_into_force() -> None:
    assert SIGNED.lock_end == dt.date(2035, 5, 23)
    assert not distribution_allowed_on(dt.date(2035, 5, 22), CUTOFF, 10)
    assert distribution_allowed_on(dt.date(2035, 5, 23), CUTOFF, 10)
    with pytest.raises(NotPermitted, match="until 2035-05-23"):
        check_distribution_date(dt.date(2035, 5, 22), CUTOFF, 10)


def test_us_first_preferred_pays_dfc_its_hurdle_first() -> None:
    hurdle = us_preferred_hurdle(
        [(dt.date(2035, 1, 1), Decimal(100))], Decimal(0), dt.date(2036, 1, 1), Decimal("0.04")
    )
    assert hurdle == Decimal("104.00")
    split = distribution_split(
        Decimal(50),
        "USD",
        {"dfc": Decimal(1), "ppp_agency": Decimal(1)},
        "us_first_preferred",
        hurdle,
    )
    assert split == {"dfc": Decimal("50.00"), "ppp_agency": Decimal("0.00")}


@given(
    st.dictionaries(st.sampled_from(["dfc", "ppp_agency", "gp", "x1", "x2"]), weights, min_size=1)
)
def test_ownership_shares_sum_to_exactly_one(capital: dict[str, Decimal]) -> None:
    shares = ownership_shares(capital)
    if any(v > 0 for v in capital.values()):
        assert sum(shares.values()) == 1
    else:
        assert sum(shares.values()) == 0
    assert all(s >= 0 for s in shares.values())


@given(
    amounts,
    st.dictionaries(st.sampled_from(["dfc", "ppp_agency", "gp"]), weights),
    st.sampled_from(["contributed_capital", "fixed_50_50"]),
)
def test_income_allocation_sums_exactly(amount: Decimal, w: dict[str, Decimal], basis: str) -> None:
    parts = allocate_income(amount, "USD", w, basis)
    assert sum(parts.values()) == amount
    assert all((p >= 0) == (amount >= 0) or p == 0 for p in parts.values())


@given(
    st.decimals(min_value=Decimal(0), max_value=Decimal("1e9"), places=2),
    st.dictionaries(st.sampled_from(["dfc", "ppp_agency", "gp"]), amounts),
    st.sampled_from(["pro_rata_capital", "fixed_50_50", "us_first_preferred"]),
    st.decimals(min_value=Decimal(0), max_value=Decimal("1e9"), places=2),
)
def test_distribution_split_sums_exactly(
    amount: Decimal, capital: dict[str, Decimal], rule: str, hurdle: Decimal
) -> None:
    parts = distribution_split(amount, "USD", capital, rule, hurdle)
    assert sum(parts.values()) == amount
    assert all(p >= 0 for p in parts.values())


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e12"), places=2),
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("1000"), places=4),
)
def test_conversion_round_trip_is_within_half_a_unit_each_way(
    amount: Decimal, rate: Decimal
) -> None:
    table = FxTable()
    table.add("USD", "UAH", dt.date(2025, 1, 1), rate)
    uah = convert(amount, "USD", "UAH", dt.date(2025, 1, 1), table)
    assert uah == (amount * rate).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    back = convert(uah, "UAH", "USD", dt.date(2025, 1, 1), table)
    assert abs(back - amount) <= Decimal("0.005") / rate + Decimal("0.005")


@given(
    amounts, st.dictionaries(st.sampled_from(["dfc", "ppp_agency", "gp", "x"]), weights, min_size=1)
)
def test_split_exact_equals_the_core_allocate(amount: Decimal, w: dict[str, Decimal]) -> None:
    from hypothesis import assume

    from urif.core.money import Money, allocate
    from urif.rules import split_exact

    assume(sum(w.values()) > 0)
    names = sorted(w)
    expected = allocate(Money(amount, "USD"), [w[n] for n in names])  # type: ignore[arg-type]
    assert split_exact(amount, "USD", w) == {
        n: m.amount for n, m in zip(names, expected, strict=True)
    }


_AMOUNTS = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
)
_WEIGHTS = st.decimals(min_value=Decimal(0), max_value=Decimal("1e12"), places=6, allow_nan=False)


@given(
    _AMOUNTS,
    _WEIGHTS,
    _WEIGHTS,
    st.sampled_from(["USD", "UAH", "JPY"]),
    st.sampled_from([("ppp_agency", "dfc"), ("dfc", "ppp_agency")]),
)
def test_the_two_partner_split_is_the_general_split_digit_for_digit(
    amount: Decimal, w0: Decimal, w1: Decimal, code: str, ids: tuple[str, str]
) -> None:
    from urif.rules.allocation import _split_any, _split_two

    weights = {ids[0]: w0, ids[1]: w1}  # either insertion order
    two = _split_two(amount, code, weights)
    if w0 <= 0 or w1 <= 0:
        assert two is None  # left to the general steps
        return
    assert two is not None
    want = _split_any(amount, code, weights)
    assert list(two) == list(want)  # partners in id order
    assert {k: str(v) for k, v in two.items()} == {k: str(v) for k, v in want.items()}
