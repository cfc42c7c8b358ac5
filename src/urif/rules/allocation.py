"""Splitting the fund between partners: ownership shares, income allocation, distributions.

Owns the pro-rata arithmetic of the capital accounts (DESIGN.md §4):

* ``ownership_shares``: each partner's fraction of total capital, at ``SHARE_PLACES``
  decimal places, summing to exactly 1 (largest remainder).
* ``allocation_weights`` / ``allocate_income``: income, expenses and valuation gains or
  losses go to partners by the basis in force.  ``contributed_capital`` (the default):
  contributed capital (cash, in kind and agreed revenue, before distributions) at the
  start of the allocation period plus contributions in it.  In the books every income,
  expense or valuation event closes its own period at its value date, so the weight is
  contributed capital at the start of the quarter plus contributions dated in the quarter
  up to and including the value date: contributed capital on the value date.
  ``fixed_50_50``: half each to ``dfc`` and ``ppp_agency``.  Before anyone has contributed,
  the contributed-capital basis falls back to equal halves between the two limited partners.
* ``distribution_split``: ``pro_rata_capital`` (by capital accounts), ``fixed_50_50``, or
  ``us_first_preferred`` (the superseded March 2025 draft: ``dfc`` first receives its
  contributions plus a simple preferred return, less what it already received; the rest
  pro rata to capital).

Every split is exact at the cent (``urif.core.money.allocate``: largest remainder, ties to
the partner whose id sorts first), so the parts always sum to the amount split.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from urif.core.errors import InvalidInput
from urif.core.money import Money, allocate, currency, round_amount
from urif.rules.rounding import round_half_up, unit

#: Decimal places of an ownership share (``0.500000``; six places keep ``str()`` out of exponent notation).
SHARE_PLACES = 6
#: The two limited partners that a fixed 50/50 split divides between.
LIMITED_PARTNERS = ("dfc", "ppp_agency")
ALLOCATION_BASES = ("contributed_capital", "fixed_50_50")
DISTRIBUTION_RULES = ("pro_rata_capital", "fixed_50_50", "us_first_preferred")


def _largest_remainder(
    units: int, weights: Sequence[Decimal], total: Decimal | None = None
) -> list[int]:
    if total is None:
        total = sum(weights, Decimal(0))
    whole = Decimal(units)
    exact = [whole * w / total for w in weights]
    floors = [int(e) for e in exact]  # int() truncates: ROUND_DOWN
    left = units - sum(floors)
    if left:
        if len(weights) == 2 and left == 1:  # the usual case: the larger remainder, ties first
            first = exact[0] - floors[0] >= exact[1] - floors[1]
            floors[0 if first else 1] += 1
            return floors
        order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
        for i in order[:left]:
            floors[i] += 1
    return floors


def ownership_shares(capital: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Each partner's share of total capital; shares sum to exactly 1.

    Negative capital counts as zero.  With no positive capital at all every share is 0.

    >>> ownership_shares({"dfc": Decimal("100"), "ppp_agency": Decimal("200"), "gp": Decimal(0)})
    {'dfc': Decimal('0.333333'), 'gp': Decimal('0.000000'), 'ppp_agency': Decimal('0.666667')}
    >>> sum(ownership_shares({"a": Decimal(1), "b": Decimal(1), "c": Decimal(1)}).values())
    Decimal('1.000000')
    """
    names = sorted(capital)
    weights = [max(capital[name], Decimal(0)) for name in names]
    unit = Decimal(1).scaleb(-SHARE_PLACES)
    if sum(weights, Decimal(0)) == 0:
        return {name: Decimal(0) * unit for name in names}
    parts = _largest_remainder(10**SHARE_PLACES, weights)
    return {name: Decimal(part) * unit for name, part in zip(names, parts, strict=True)}


def split_exact(amount: Decimal, code: str, weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Split ``amount`` (rounded to the cent first) by ``weights``, partners in id order.

    The same largest-remainder rule as ``urif.core.money.allocate`` (ties to the earlier
    partner id; a negative amount is split as its absolute value and negated), on plain
    Decimals for speed.

    >>> split_exact(Decimal("100.00"), "USD", {"ppp_agency": Decimal(1), "dfc": Decimal(2)})
    {'dfc': Decimal('66.67'), 'ppp_agency': Decimal('33.33')}
    >>> split_exact(Decimal("-0.05"), "USD", {"a": Decimal(1), "b": Decimal(1)})
    {'a': Decimal('-0.03'), 'b': Decimal('-0.02')}
    """
    if len(weights) == 2:  # the usual case: two partners (the same arithmetic, unrolled)
        two = _split_two(amount, code, weights)
        if two is not None:
            return two
    return _split_any(amount, code, weights)


def _split_any(amount: Decimal, code: str, weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """``split_exact`` for any number of weights (the general steps)."""
    names = sorted(weights)
    values = [weights[name] for name in names]
    total = sum(values, Decimal(0))
    if not values or min(values) < 0 or total == 0:
        # let the reference implementation raise its precise error
        parts = allocate(Money(amount, currency(code)), values)
        return {name: part.amount for name, part in zip(names, parts, strict=True)}
    step = unit(code)
    rounded = round_half_up(amount, code)
    units = int(abs(rounded) / step)
    if len(values) == 1:
        return {names[0]: rounded}
    split = _largest_remainder(units, values, total)
    signed = -step if rounded < 0 else step  # the sign times the unit: same digits and exponent
    return {name: Decimal(u) * signed for name, u in zip(names, split, strict=True)}


def _split_two(
    amount: Decimal, code: str, weights: Mapping[str, Decimal]
) -> dict[str, Decimal] | None:
    """``split_exact`` between two positive weights; None for any other case.

    The same steps as ``split_exact`` and ``_largest_remainder`` with the loops unrolled
    (ids in order, the exact shares, their floors, the one unit left to the larger
    remainder, ties to the first id), so the parts are the same Decimals.
    """
    first, second = weights
    if second < first:
        first, second = second, first
    w0, w1 = weights[first], weights[second]
    if w0 <= 0 or w1 <= 0:
        return None
    total = w0 + w1
    step = unit(code)
    rounded = round_half_up(amount, code)
    units = int(abs(rounded) / step)
    whole = Decimal(units)
    e0 = whole * w0 / total
    e1 = whole * w1 / total
    f0 = int(e0)  # int() truncates: ROUND_DOWN
    f1 = int(e1)
    left = units - f0 - f1
    if left == 1:
        if e0 - f0 >= e1 - f1:
            f0 += 1
        else:
            f1 += 1
    elif left:
        return None
    signed = -step if rounded < 0 else step  # the sign times the unit: same digits and exponent
    return {first: Decimal(f0) * signed, second: Decimal(f1) * signed}


def allocation_weights(
    contributed_at_start: Mapping[str, Decimal], contributed_in_period: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """Contributed capital at the period's start plus contributions in the period.

    >>> allocation_weights({"dfc": Decimal(10)}, {"dfc": Decimal(5), "ppp_agency": Decimal(7)})
    {'dfc': Decimal('15'), 'ppp_agency': Decimal('7')}
    """
    names = sorted(set(contributed_at_start) | set(contributed_in_period))
    return {
        name: contributed_at_start.get(name, Decimal(0))
        + contributed_in_period.get(name, Decimal(0))
        for name in names
    }


def allocate_income(
    amount: Decimal, code: str, weights: Mapping[str, Decimal], basis: str
) -> dict[str, Decimal]:
    """Allocate income (or, negative, a loss or expense) to partners by ``basis``.

    >>> allocate_income(Decimal("0.05"), "USD", {"dfc": Decimal(1), "ppp_agency": Decimal(1)},
    ...                 "contributed_capital")
    {'dfc': Decimal('0.03'), 'ppp_agency': Decimal('0.02')}
    >>> allocate_income(Decimal("-10.01"), "USD", {"dfc": Decimal(9)}, "fixed_50_50")
    {'dfc': Decimal('-5.01'), 'ppp_agency': Decimal('-5.00')}
    >>> allocate_income(Decimal("10"), "USD", {}, "contributed_capital")
    {'dfc': Decimal('5.00'), 'ppp_agency': Decimal('5.00')}
    """
    if basis == "fixed_50_50":
        return split_exact(amount, code, dict.fromkeys(LIMITED_PARTNERS, Decimal(1)))
    if basis != "contributed_capital":
        raise InvalidInput(
            f"allocation_basis: expected one of {', '.join(ALLOCATION_BASES)}, got {basis!r}"
        )
    positive = {name: w for name, w in weights.items() if w > 0}
    if not positive:
        positive = dict.fromkeys(LIMITED_PARTNERS, Decimal(1))
    return split_exact(amount, code, positive)


def us_preferred_hurdle(
    contributions: Sequence[tuple[dt.date, Decimal]],
    received: Decimal,
    on: dt.date,
    rate: Decimal,
) -> Decimal:
    """What ``dfc`` is still owed first under ``us_first_preferred``, rounded to the cent.

    Each contribution plus simple interest at ``rate`` a year (actual days / 365) up to
    ``on``, less what it has received in distributions; never below zero.

    >>> us_preferred_hurdle([(dt.date(2025, 1, 1), Decimal("1000"))], Decimal(0),
    ...                     dt.date(2026, 1, 1), Decimal("0.04"))
    Decimal('1040.00')
    >>> us_preferred_hurdle([(dt.date(2025, 1, 1), Decimal("1000"))], Decimal("2000"),
    ...                     dt.date(2026, 1, 1), Decimal("0.04"))
    Decimal('0.00')
    """
    owed = Decimal(0)
    for day, amount in contributions:
        days = max((on - day).days, 0)
        owed += amount * (1 + rate * Decimal(days) / Decimal(365))
    return round_amount(max(owed - received, Decimal(0)), "USD")


def distribution_split(
    amount: Decimal,
    code: str,
    capital: Mapping[str, Decimal],
    rule: str,
    us_hurdle: Decimal = Decimal(0),
) -> dict[str, Decimal]:
    """Split a distribution between partners by ``rule``; parts sum exactly to ``amount``.

    >>> cap = {"dfc": Decimal(300), "ppp_agency": Decimal(100), "gp": Decimal(0)}
    >>> distribution_split(Decimal("100"), "USD", cap, "pro_rata_capital")
    {'dfc': Decimal('75.00'), 'ppp_agency': Decimal('25.00')}
    >>> distribution_split(Decimal("100"), "USD", cap, "fixed_50_50")
    {'dfc': Decimal('50.00'), 'ppp_agency': Decimal('50.00')}
    >>> distribution_split(Decimal("100"), "USD", cap, "us_first_preferred", Decimal("60"))
    {'dfc': Decimal('90.00'), 'ppp_agency': Decimal('10.00')}
    """
    total = round_amount(amount, code)
    if rule == "fixed_50_50":
        return split_exact(total, code, dict.fromkeys(LIMITED_PARTNERS, Decimal(1)))
    if rule not in DISTRIBUTION_RULES:
        raise InvalidInput(
            f"distribution_rule: expected one of {', '.join(DISTRIBUTION_RULES)}, got {rule!r}"
        )
    first = Decimal(0)
    if rule == "us_first_preferred":
        first = min(round_amount(max(us_hurdle, Decimal(0)), code), total)
    rest = total - first
    positive = {name: c for name, c in capital.items() if c > 0}
    if not positive:
        positive = dict.fromkeys(LIMITED_PARTNERS, Decimal(1))
    parts = (
        split_exact(rest, code, positive) if rest else dict.fromkeys(positive, Decimal(0) + rest)
    )
    if first:
        parts["dfc"] = parts.get("dfc", Decimal(0)) + first
    return {name: parts[name] for name in sorted(parts)}
