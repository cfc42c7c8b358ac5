"""Array kernels that mirror the clause formulas of ``urif.rules`` by name.

Owns the float64 versions of the rules the engine applies to many paths at once:
``is_new_licence``, ``ukraine_share``, ``in_kind_credit``, ``ownership_shares``,
``allocation_weights``, ``allocate_income``, ``us_preferred_hurdle``,
``distribution_split``, ``distribution_allowed_on`` and ``obligation_due_date``.
Partners are the last axis, in id order: index 0 ``dfc``, index 1 ``ppp_agency``.

With ``cents=True`` amounts are whole cents (already rounded half up) and every split
is the largest-remainder split of ``urif.core.money.allocate`` (ties to ``dfc``), so a
deterministic path reproduces the ledger to the cent. Codes for the term strings are in
``READING``, ``BASIS`` and ``RULE``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from numpy.typing import NDArray

from urif.rules.lock import distribution_allowed_on as _allowed_on
from urif.rules.revenue import obligation_due_date as _due_date
from urif.terms.model import MonthDay

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
PARTNERS = ("dfc", "ppp_agency")
READING = {"strict": 0, "broad": 1, "all": 2}
BASIS = {"contributed_capital": 0, "fixed_50_50": 1}
RULE = {"pro_rata_capital": 0, "fixed_50_50": 1, "us_first_preferred": 2}


def round_cents(amount: FloatArray) -> FloatArray:
    """Round to the cent, half up away from zero (the rule of ``round_amount``).

    >>> round_cents(np.array([10.005, -10.005, 0.004])).tolist()
    [10.01, -10.01, 0.0]
    """
    units = np.floor(np.abs(amount) * 100 + 0.5 + 1e-6)
    return np.asarray(np.sign(amount) * units / 100, dtype=np.float64)


def scale_cents(amount: FloatArray, factor: FloatArray | float) -> FloatArray:
    """``amount × factor`` rounded half up to the cent, exact for cent-valued ``amount``.

    >>> scale_cents(np.array([1234.57]), 0.5).tolist()
    [617.29]
    """
    units = np.rint(np.asarray(amount) * 100)
    scaled = units * factor
    out = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5 + 1e-9)
    return np.asarray(out / 100, dtype=np.float64)


def is_new_licence(
    issued_year_index: NDArray[np.int64] | int,
    developed_at_cutoff: BoolArray | bool,
    reading: int,
    first_new_year_index: int,
) -> BoolArray:
    """Mirror of ``rules.is_new_licence`` for licences dated 1 July of their year.

    ``first_new_year_index`` is the first year whose 1 July is on or after the cut-off.

    >>> is_new_licence(np.array([0, 3]), np.array([False, False]), READING["strict"], 1).tolist()
    [False, True]
    >>> is_new_licence(np.array([0]), np.array([False]), READING["broad"], 1).tolist()
    [True]
    """
    issued = np.asarray(issued_year_index)
    new = issued >= first_new_year_index
    if reading == READING["broad"]:
        new = new | ~np.asarray(developed_at_cutoff, dtype=bool)
    elif reading == READING["all"]:
        new = np.ones_like(new, dtype=bool)
    return np.asarray(new, dtype=bool)


def ukraine_share(
    counted_receipts: FloatArray, revenue_share: float, *, cents: bool = False
) -> FloatArray:
    """Mirror of ``rules.ukraine_share`` summed over a year: share × counted receipts.

    The books round a year's total once (half up), as ``cents=True`` does.

    >>> ukraine_share(np.array([1000.01]), 0.5, cents=True).tolist()
    [500.01]
    """
    if cents:
        return scale_cents(round_cents(counted_receipts), revenue_share)
    return np.asarray(counted_receipts * revenue_share, dtype=np.float64)


def in_kind_credit(
    assessed_value: FloatArray,
    *,
    credit_allowed: bool,
    delivered_after_cutoff: bool,
    agreed: bool,
    requires_agreed: bool,
) -> FloatArray:
    """Mirror of ``rules.in_kind_credit``: the value where credit is due, else zero.

    >>> in_kind_credit(np.array([5.0]), credit_allowed=True, delivered_after_cutoff=True,
    ...                agreed=False, requires_agreed=True).tolist()
    [0.0]
    """
    ok = credit_allowed and delivered_after_cutoff and (agreed or not requires_agreed)
    return np.where(ok & (assessed_value > 0), assessed_value, 0.0)


def _split_exact(units: int, weights: tuple[int, int]) -> tuple[int, int]:
    """Largest remainder of whole ``units`` by integer weights (ties to the first)."""
    total = weights[0] + weights[1]
    floors = [units * w // total for w in weights]
    rems = [units * w % total for w in weights]
    if units - floors[0] - floors[1] >= 1:
        floors[0 if rems[0] >= rems[1] else 1] += 1
    return floors[0], floors[1]


def _split_two(units: FloatArray, w0: FloatArray, w1: FloatArray) -> FloatArray:
    """Exact largest-remainder split of whole ``units`` by cent-valued weights."""
    out = np.empty((*np.shape(units), 2))
    flat_u = np.ravel(units)
    flat_0 = np.ravel(np.broadcast_to(w0, np.shape(units)))
    flat_1 = np.ravel(np.broadcast_to(w1, np.shape(units)))
    parts = out.reshape(-1, 2)
    for i in range(flat_u.size):
        weights = (round(float(flat_0[i]) * 100), round(float(flat_1[i]) * 100))
        parts[i] = _split_exact(round(float(flat_u[i])), weights)
    return out


def split(amount: FloatArray, weights: FloatArray, *, cents: bool = False) -> FloatArray:
    """Split ``amount`` (shape S) by ``weights`` (S + (2,)); parts sum to ``amount``.

    Zero or negative weights count as zero; all zero splits in halves.

    >>> split(np.array([100.0]), np.array([[1.0, 1.0]]), cents=True).tolist()
    [[50.0, 50.0]]
    >>> split(np.array([0.05]), np.array([[1.0, 1.0]]), cents=True).tolist()
    [[0.03, 0.02]]
    >>> split(np.array([-0.05]), np.array([[1.0, 1.0]]), cents=True).tolist()
    [[-0.03, -0.02]]
    """
    if not cents:  # partner by partner: no reductions over the short last axis
        w0 = np.maximum(weights[..., 0], 0.0)
        w1 = np.maximum(weights[..., 1], 0.0)
        total = w0 + w1
        none = total <= 0
        if none.any():
            w0, w1 = np.where(none, 1.0, w0), np.where(none, 1.0, w1)
            total = w0 + w1
        out = np.empty((*np.broadcast_shapes(np.shape(amount), total.shape), 2))
        for part, w in ((out[..., 0], w0), (out[..., 1], w1)):
            np.multiply(amount, w, out=part)
            part /= total
        return out
    w = np.maximum(weights, 0.0)
    none = w.sum(axis=-1) <= 0
    w = np.where(none[..., None], 1.0, w)
    units = np.rint(np.abs(amount) * 100)
    parts = _split_two(units, w[..., 0], w[..., 1])
    return np.asarray(np.sign(amount)[..., None] * parts / 100, dtype=np.float64)


def ownership_shares(capital: FloatArray, *, cents: bool = False) -> FloatArray:
    """Mirror of ``rules.ownership_shares``: each share of positive capital (0 if none).

    With ``cents=True`` shares have six places and sum to exactly 1.

    >>> ownership_shares(np.array([[100.0, 200.0]]), cents=True).tolist()
    [[0.333333, 0.666667]]
    """
    if not cents:  # partner by partner: no reductions over the short last axis
        w0 = np.maximum(capital[..., 0], 0.0)
        w1 = np.maximum(capital[..., 1], 0.0)
        total = w0 + w1
        positive = total > 0
        safe = np.where(positive, total, 1.0)
        out = np.empty((*total.shape, 2))
        for part, w in ((out[..., 0], w0), (out[..., 1], w1)):
            np.divide(w, safe, out=part)
            part *= positive
        return out
    w = np.maximum(capital, 0.0)
    total = w.sum(axis=-1)
    units = np.full(total.shape, 1e6)
    w = np.where((total > 0)[..., None], w, 1.0)
    parts = _split_two(units, w[..., 0], w[..., 1]) / 1e6
    return np.where((total > 0)[..., None], np.round(parts, 6), 0.0)


def allocation_weights(contributed_to_date: FloatArray, basis: int) -> FloatArray:
    """Mirror of ``rules.allocation_weights``; ``fixed_50_50`` gives equal weights.

    >>> allocation_weights(np.array([[3.0, 1.0]]), BASIS["fixed_50_50"]).tolist()
    [[1.0, 1.0]]
    """
    if basis == BASIS["fixed_50_50"]:
        return np.ones_like(contributed_to_date)
    return contributed_to_date


def allocate_income(
    amount: FloatArray, weights: FloatArray, basis: int, *, cents: bool = False
) -> FloatArray:
    """Mirror of ``rules.allocate_income``: ``amount`` split by the basis in force.

    >>> allocate_income(np.array([0.05]), np.array([[1.0, 1.0]]), 0, cents=True).tolist()
    [[0.03, 0.02]]
    """
    return split(amount, allocation_weights(weights, basis), cents=cents)


def us_preferred_hurdle(
    contributed: FloatArray,
    contributed_day_sum: FloatArray,
    received: FloatArray,
    on_day: int,
    rate: float,
    *,
    cents: bool = False,
) -> FloatArray:
    """Mirror of ``rules.us_preferred_hurdle`` from running sums.

    ``contributed`` is Σ cᵢ and ``contributed_day_sum`` Σ cᵢ·dayᵢ (proleptic ordinals), so
    Σ cᵢ(1 + rate·(on − dayᵢ)/365) = Σcᵢ + rate·(on·Σcᵢ − Σcᵢdayᵢ)/365.

    >>> us_preferred_hurdle(np.array([1000.0]), np.array([1000.0 * 0]), np.array([0.0]),
    ...                     365, 0.04).tolist()
    [1040.0]
    """
    owed = contributed + rate * (on_day * contributed - contributed_day_sum) / 365.0
    left = np.maximum(owed - received, 0.0)
    return round_cents(left) if cents else np.asarray(left, dtype=np.float64)


def distribution_split(
    amount: FloatArray,
    capital: FloatArray,
    rule: int,
    us_hurdle: FloatArray | None = None,
    *,
    cents: bool = False,
) -> FloatArray:
    """Mirror of ``rules.distribution_split`` (pro rata, 50/50 or US first with a hurdle).

    >>> cap = np.array([[300.0, 100.0]])
    >>> distribution_split(np.array([100.0]), cap, RULE["pro_rata_capital"], cents=True).tolist()
    [[75.0, 25.0]]
    >>> distribution_split(np.array([100.0]), cap, RULE["us_first_preferred"],
    ...                    np.array([60.0]), cents=True).tolist()
    [[90.0, 10.0]]
    """
    if rule == RULE["fixed_50_50"]:
        return split(amount, np.ones_like(capital), cents=cents)
    first = np.zeros_like(amount)
    if rule == RULE["us_first_preferred"] and us_hurdle is not None:
        first = np.minimum(np.maximum(us_hurdle, 0.0), amount)
    parts = split(amount - first, capital, cents=cents)
    parts[..., 0] += first
    return parts


def distribution_allowed_on(on: dt.date, lock_start: dt.date, lock_years: int) -> bool:
    """Mirror of ``rules.distribution_allowed_on`` (one scalar per simulated year)."""
    return _allowed_on(on, lock_start, lock_years)


def obligation_due_date(year: int, transfer_due: MonthDay | None) -> dt.date | None:
    """Mirror of ``rules.obligation_due_date`` (one scalar per simulated year)."""
    return _due_date(year, transfer_due)
