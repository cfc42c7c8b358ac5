"""The model compiled to machine code by numba: one path at a time, float mode.

Owns ``NativeModel`` (the compiled parameters as flat arrays and numbers, the types a
numba function takes), ``native_model(c)``, ``evolve_native(c, d)`` (the same series and
scalars as ``engine.evolve`` in float mode, from the same draws) and ``fill_normal``
(numpy's standard-normal stream, drawn in compiled code).

Why: the array engine is bound by memory traffic (about 80 numpy calls a year over
whole rows of paths) and by numpy's per-call overhead; the model's state per path is a
few dozen numbers, so a compiled loop over paths keeps it in registers and is an order of
magnitude faster. ``evolve`` keeps the array code for exact cents (ledger parity) and
for the per-deposit detail; the two are checked equal (``tests/sim/test_sim_native.py``).

numba takes about half a second to import, so ``engine`` imports this module only when a
float-mode run needs it; the compiled functions are cached on disk beside this module
(``cache=True``), so a process pays the compile (seconds) only when the cache is missing
or stale.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar, cast

import numba
import numpy as np
from numpy.typing import NDArray

from urif.sim import kernels as k
from urif.sim.engine import (
    SCALARS,
    SERIES,
    STATUS,
    Compiled,
    Draws,
    Outcome,
    columns,
    liberation_cdf,
)
from urif.sim.prices import KIND_CODE, schwartz_smith_step_moments

F = TypeVar("F", bound=Callable[..., Any])
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


class NativeModel(NamedTuple):
    """The parameters the compiled loop reads (a named tuple: numba takes those)."""

    n_years: int
    cols: IntArray  # deposit index of each column: investable first, then countable
    n_invest: int
    counted: BoolArray  # (nc,) column can count toward Ukraine's share
    needed: IntArray  # commodities the columns produce
    # prices by commodity (K,): x' = a x + b + c ε (Schwartz-Smith: ξ walk, plus χ)
    kind: IntArray
    log_spot: FloatArray
    step_a: FloatArray
    step_b: FloatArray
    step_c: FloatArray
    chi0: FloatArray
    ss_decay: FloatArray
    ss_sd1: FloatArray
    ss_corr: FloatArray
    ss_tail: FloatArray
    ss_row: IntArray  # row of the short-term draws, -1 if not Schwartz-Smith
    chol_start: IntArray  # (K + 1,) the Cholesky factor's nonzero terms by row (CSR)
    chol_col: IntArray
    chol_value: FloatArray
    fx0: float
    fx_step: float  # drift - sigma^2 / 2
    fx_sigma: float
    # starts and liberation
    lib_cdf: FloatArray  # (T, O)
    occupied_group: IntArray
    lag: int
    status: IntArray
    start_p: FloatArray
    start_min: IntArray
    # projects (D,) and (D, L)
    commodity: IntArray
    # schedules by signed age (engine.age_tables): column T + age, zeros before the start
    age_capex: FloatArray  # (D, 2T)
    age_rate: FloatArray  # production rate
    age_active: BoolArray  # building or producing: damage can strike
    age_done: BoolArray  # the commitment's reserve is released
    total_capex: FloatArray
    full_output: FloatArray
    opex: FloatArray
    royalty: FloatArray
    psa_share: FloatArray
    psa: BoolArray
    front_row: IntArray  # row of the front-line draws, -1 if not on the front line
    p_damage: FloatArray  # (T,)
    p_stop: FloatArray  # (T,)
    damage_fraction: float
    # Ukraine's share (T,) and (T, D)
    item_counts: FloatArray  # (T, 5)
    reading: IntArray
    first_new: IntArray
    annex: BoolArray
    issued_index: IntArray
    permit_fee: FloatArray
    signing_bonus: FloatArray
    permits_sigma: float
    permits_auction: FloatArray
    permits_royalty: FloatArray
    revenue_share: FloatArray
    conv_start: float
    conv_end: float
    conv_forced: BoolArray
    # contributions (T,)
    in_kind_sigma: float
    in_kind_p: float
    in_kind_mean: FloatArray
    in_kind_ok: BoolArray
    ua_extra_uah: FloatArray
    ua_extra_p: float
    us_cash: FloatArray
    ua_cash: FloatArray
    ua_multiple: FloatArray
    past_aid_usd: float
    first_day: int  # ordinal of 1 January of the first year
    day_contribution: IntArray  # (T,) ordinal of 30 June
    day_year_end: IntArray  # (T,) ordinal of 31 December
    # the fund (D,), (T, D) and (T,)
    sector_ok: BoolArray
    equity_share: FloatArray
    max_cash_fraction: float
    other_share: float
    other_mean: float
    other_sd: float
    cit: float
    tax_exempt: BoolArray
    fee_rate: float
    us_interest: FloatArray  # nan when not set
    basis_fixed: BoolArray  # allocation basis fixed 50/50
    lock_open: BoolArray
    payout: float
    agree_p: float
    rule: IntArray
    preferred: FloatArray
    discount: FloatArray  # (T,) (1 + r)^-t
    irr_bisections: int
    irr_newton: int


def native_model(c: Compiled) -> NativeModel:
    """``c`` as the flat arrays and numbers of ``NativeModel``."""
    from urif.sim.engine import IRR_BISECTIONS, IRR_NEWTON, age_tables

    p = c.prices
    vol = c.vol_scale
    cols = columns(c, False)
    kap = np.where(p.kappa > 0, p.kappa, 1.0)
    decay = np.exp(-kap)
    sigma = p.sigma * vol
    gbm = p.kind == KIND_CODE["gbm"]
    ss = p.kind == KIND_CODE["schwartz_smith"]
    alpha = np.log(np.where(p.long_run > 0, p.long_run, 1.0))
    ou_sd = sigma * np.sqrt((1 - np.exp(-2 * kap)) / (2 * kap))
    sd1, sd2, corr = schwartz_smith_step_moments(
        kap, p.sigma_chi * vol, p.sigma_xi * vol, p.rho, 1.0
    )
    step_a = np.where(gbm | ss, 1.0, decay)
    step_b = np.where(gbm, p.drift - 0.5 * sigma**2, alpha * (1 - decay))
    step_c = np.where(gbm, sigma, ou_sd)
    step_b = np.where(ss, p.mu_xi, step_b)
    step_c = np.where(ss, sd2, step_c)
    ss_row = np.full(len(p.kind), -1, dtype=np.int64)
    ss_row[ss] = np.arange(int(ss.sum()))
    front_row = np.full(len(c.deposits), -1, dtype=np.int64)
    front_row[c.frontline] = np.arange(len(c.frontline))
    fx_sigma = c.fx_sigma * vol
    tables = age_tables(c)
    f64, i64 = np.float64, np.int64

    def arr(x: Any, dtype: Any = f64) -> Any:
        return np.ascontiguousarray(x, dtype=dtype)

    return NativeModel(
        n_years=c.n_years,
        cols=arr(cols.index, i64),
        n_invest=cols.invest.stop,
        counted=arr(np.arange(len(cols.index)) >= cols.counted.start, np.bool_),
        needed=arr(np.unique(c.commodity[cols.index]), i64),
        kind=arr(p.kind, i64),
        log_spot=arr(np.log(p.spot)),
        step_a=arr(step_a),
        step_b=arr(step_b),
        step_c=arr(step_c),
        chi0=arr(p.chi0),
        ss_decay=arr(decay),
        ss_sd1=arr(sd1),
        ss_corr=arr(corr),
        ss_tail=arr(np.sqrt(1 - corr**2)),
        ss_row=ss_row,
        chol_start=arr(np.concatenate([[0], np.cumsum((p.cholesky != 0).sum(axis=1))]), i64),
        chol_col=arr(np.nonzero(p.cholesky)[1], i64),
        chol_value=arr(p.cholesky[p.cholesky != 0]),
        fx0=float(c.fx0),
        fx_step=float(c.fx_drift - 0.5 * fx_sigma**2),
        fx_sigma=float(fx_sigma),
        lib_cdf=arr(liberation_cdf(c)),
        occupied_group=arr(c.occupied_group, i64),
        lag=int(c.lag),
        status=arr(c.status, i64),
        start_p=arr(c.start_p),
        start_min=arr(c.start_min, i64),
        commodity=arr(c.commodity, i64),
        age_capex=arr(tables.capex),
        age_rate=arr(tables.rate),
        age_active=arr(tables.building | (tables.rate > 0), np.bool_),
        age_done=arr(tables.reserve_done, np.bool_),
        total_capex=arr(c.capex.sum(axis=1)),
        full_output=arr(c.full_output),
        opex=arr(c.opex),
        royalty=arr(np.where(c.psa, 0.0, c.royalty)),
        psa_share=arr(np.where(c.psa, c.psa_share, 0.0)),
        psa=arr(c.psa, np.bool_),
        front_row=front_row,
        p_damage=arr(c.p_damage),
        p_stop=arr(1.0 - (1.0 - c.p_disrupt) * (1.0 - c.p_damage)),
        damage_fraction=float(c.damage_fraction),
        item_counts=arr(c.item_counts),
        reading=arr(c.reading, i64),
        first_new=arr(c.first_new_index, i64),
        annex=arr(c.annex, np.bool_),
        issued_index=arr(c.issued_index, i64),
        permit_fee=arr(c.permit_fee),
        signing_bonus=arr(c.signing_bonus),
        permits_sigma=float(c.permits_sigma * vol),
        permits_auction=arr(c.permits_auction),
        permits_royalty=arr(c.permits_royalty),
        revenue_share=arr(c.revenue_share),
        conv_start=float(c.conv_start),
        conv_end=float(c.conv_end),
        conv_forced=arr(c.conv_forced, np.bool_),
        in_kind_sigma=float(c.in_kind_sigma * vol),
        in_kind_p=float(c.in_kind_p),
        in_kind_mean=arr(c.in_kind_mean),
        in_kind_ok=arr(c.in_kind_ok, np.bool_),
        ua_extra_uah=arr(c.ua_extra_uah),
        ua_extra_p=float(c.ua_extra_p),
        us_cash=arr(c.us_cash),
        ua_cash=arr(c.ua_cash),
        ua_multiple=arr(c.ua_multiple),
        past_aid_usd=float(c.past_aid_usd),
        first_day=dt.date(c.years[0], 1, 1).toordinal(),
        day_contribution=arr([dt.date(y, 6, 30).toordinal() for y in c.years], i64),
        day_year_end=arr([dt.date(y, 12, 31).toordinal() for y in c.years], i64),
        sector_ok=arr(c.sector_ok, np.bool_),
        equity_share=arr(c.equity_share),
        max_cash_fraction=float(c.max_cash_fraction),
        other_share=float(c.other_share),
        other_mean=float(c.other_mean),
        other_sd=float(c.other_sd * vol),
        cit=float(c.cit),
        tax_exempt=arr(c.tax_exempt, np.bool_),
        fee_rate=float(c.fee_rate),
        us_interest=arr(c.us_interest),
        basis_fixed=arr(c.basis == k.BASIS["fixed_50_50"], np.bool_),
        lock_open=arr(c.lock_open, np.bool_),
        payout=float(c.payout),
        agree_p=float(c.agree_p),
        rule=arr(c.rule, i64),
        preferred=arr(c.preferred),
        discount=arr((1 + c.discount_rate) ** -np.arange(c.n_years, dtype=np.float64)),
        irr_bisections=IRR_BISECTIONS,
        irr_newton=IRR_NEWTON,
    )


def _jit(fn: F) -> F:
    """Compile ``fn`` with numba, cached on disk; the typed name stays the same."""
    return cast(F, numba.njit(cache=True, nogil=True, error_model="numpy")(fn))


# --------------------------------------------------------------------------- the loop
# Written in the subset of Python numba compiles; each step names the array engine's
# step it mirrors. Series are written path-major, (series, path, year).

RULE_FIXED = k.RULE["fixed_50_50"]
RULE_US_FIRST = k.RULE["us_first_preferred"]
READING_STRICT = k.READING["strict"]
READING_BROAD = k.READING["broad"]
READING_ALL = k.READING["all"]
AWARDED = STATUS["none"]
DEVELOPED = STATUS["existing_developed"]


@_jit
def _sign(x: float) -> float:
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


LANES = 16  # paths advanced together: independent chains the CPU overlaps (and SIMD)


@_jit
def _npv_lanes(flows: FloatArray, rate: FloatArray, w: int, acc: FloatArray, v: FloatArray) -> None:
    """``acc[l]`` = NPV of ``flows[:, l]`` at ``rate[l]`` (Horner, as the array engine)."""
    years = flows.shape[0]
    for lane in range(w):
        v[lane] = 1.0 / (1.0 + rate[lane])
        acc[lane] = flows[years - 1, lane]
    for t in range(years - 2, -1, -1):
        for lane in range(w):
            acc[lane] = acc[lane] * v[lane] + flows[t, lane]


@_jit
def _irr_lanes(
    flows: FloatArray, w: int, bisections: int, newton: int, out: FloatArray, work: FloatArray
) -> None:
    """``engine.irr_by_year`` for ``w`` paths ``flows[:, :w]``: the same halvings and
    Newton steps, every path at once."""
    years = flows.shape[0]
    a, b, fa, x, fm, v, dacc = work[0], work[1], work[2], work[3], work[4], work[5], work[6]
    for lane in range(w):
        a[lane], b[lane] = -0.99, 10.0
    _npv_lanes(flows, a, w, fa, v)
    _npv_lanes(flows, b, w, fm, v)
    for lane in range(w):
        has_neg = has_pos = False
        for t in range(years):
            has_neg = has_neg or flows[t, lane] < 0
            has_pos = has_pos or flows[t, lane] > 0
        ok = has_neg and has_pos and _sign(fa[lane]) * _sign(fm[lane]) < 0
        out[lane] = 0.0 if ok else math.nan
    for _ in range(bisections):
        for lane in range(w):
            x[lane] = 0.5 * (a[lane] + b[lane])
        _npv_lanes(flows, x, w, fm, v)
        for lane in range(w):
            if _sign(fm[lane]) == _sign(fa[lane]):
                a[lane], fa[lane] = x[lane], fm[lane]
            else:
                b[lane] = x[lane]
    for lane in range(w):
        x[lane] = a[lane]
    for _ in range(newton):
        for lane in range(w):
            v[lane] = 1.0 / (1.0 + x[lane])
            fm[lane] = flows[years - 1, lane]
            dacc[lane] = 0.0
        for t in range(years - 2, -1, -1):
            for lane in range(w):
                dacc[lane] = dacc[lane] * v[lane] + fm[lane]
                fm[lane] = fm[lane] * v[lane] + flows[t, lane]
        for lane in range(w):
            fx = fm[lane]
            slope = dacc[lane] * -(v[lane] * v[lane])
            if _sign(fx) == _sign(fa[lane]):
                a[lane], fa[lane] = x[lane], fx
            else:
                b[lane] = x[lane]
            if slope == 0:  # the array engine's fx / 0 is inf or nan: it bisects
                x[lane] = 0.5 * (a[lane] + b[lane])
                continue
            delta = fx / slope
            step = x[lane] - delta
            if a[lane] < step < b[lane]:
                x[lane] = step
            elif abs(delta) <= 1e-12 * (1 + abs(x[lane])):
                x[lane] = min(max(step, a[lane]), b[lane])
            else:
                x[lane] = 0.5 * (a[lane] + b[lane])
    for lane in range(w):
        if out[lane] == 0.0:
            out[lane] = x[lane]


@_jit
def _split(amount: float, w0: float, w1: float) -> tuple[float, float]:
    """``engine._split2`` for one path."""
    w0, w1 = max(w0, 0.0), max(w1, 0.0)
    total = w0 + w1
    if total <= 0:
        w0 = w1 = 1.0
        total = 2.0
    return amount * w0 / total, amount * w1 / total


@_jit
def _paths(
    m: NativeModel,
    z_price: FloatArray,
    z_short: FloatArray,
    z_fx: FloatArray,
    u_start: FloatArray,
    u_liberation: FloatArray,
    u_front: FloatArray,
    u_conversion: FloatArray,
    u_agree: FloatArray,
    u_in_kind: FloatArray,
    z_in_kind: FloatArray,
    z_other: FloatArray,
    u_extra: FloatArray,
    z_permits: FloatArray,
    series: FloatArray,
    scalars: FloatArray,
    row0: int,
) -> None:
    """Every path of the draws through the model; fills rows ``row0 ..`` of ``series``
    and ``scalars``.

    Paths go ``LANES`` at a time, every step a loop over the lanes: one path's years are
    a chain of dependent operations, and independent lanes let the CPU overlap them.
    """
    n = u_start.shape[0]
    years = m.n_years
    kk = len(m.kind)
    nc = len(m.cols)
    ni = m.n_invest
    nd = len(m.status)
    n_ob = m.lib_cdf.shape[1]
    never = years + 10_000
    ni1 = max(ni, 1)
    price = np.empty((kk, years, LANES))
    fx = np.empty((years, LANES))
    start = np.empty((nd, LANES), dtype=np.int64)
    free_at = np.empty((n_ob, LANES), dtype=np.int64)
    x = np.empty(LANES)
    chi = np.empty(LANES)
    shift = np.empty(LANES)
    eps = np.empty(LANES)
    op_fcf = np.empty((ni1, LANES))
    capex_now = np.empty((ni1, LANES))
    ages = np.empty((ni1, LANES), dtype=np.int64)
    calls = np.empty((ni1, LANES))
    reserve = np.empty((ni1, LANES))
    stake = np.empty((ni1, LANES))
    counted = np.empty(LANES)
    awards = np.empty(LANES)
    restricted = np.empty(LANES, dtype=np.bool_)
    state = np.empty((13, LANES))
    cash, invested, other_cost, pending = state[0], state[1], state[2], state[3]
    due_prev, contributed0, contributed1 = state[4], state[5], state[6]
    capital0, capital1, us_day_sum = state[7], state[8], state[9]
    us_received, in_kind_total, held = state[10], state[11], state[12]
    due = np.empty((years, LANES))
    contrib = np.empty((2, years, LANES))
    paid = np.empty((2, years, LANES))
    flows = np.empty((years, LANES))
    irr_out = np.empty(LANES)
    work = np.empty((7, LANES))
    for p0 in range(0, n, LANES):
        w = min(LANES, n - p0)
        # prices (prices_by_commodity): x' = a x + (c ε + b); Schwartz-Smith adds χ's moves
        for q in range(len(m.needed)):
            i = m.needed[q]
            a_i, b_i, c_i = m.step_a[i], m.step_b[i], m.step_c[i]
            r = m.ss_row[i]
            for lane in range(w):
                x[lane] = m.log_spot[i]
                chi[lane] = m.chi0[i]
                shift[lane] = 0.0
                price[i, 0, lane] = math.exp(x[lane])
            for t in range(1, years):
                for lane in range(w):
                    eps[lane] = 0.0
                for e in range(m.chol_start[i], m.chol_start[i + 1]):
                    col, value = m.chol_col[e], m.chol_value[e]
                    for lane in range(w):
                        eps[lane] += z_price[col, t - 1, p0 + lane] * value
                if r >= 0:
                    decay1, sd1 = m.ss_decay[i] - 1, m.ss_sd1[i]
                    corr, tail = m.ss_corr[i], m.ss_tail[i]
                    for lane in range(w):
                        x[lane] = x[lane] * a_i + (eps[lane] * c_i + b_i)
                        moved = chi[lane] * decay1
                        moved += sd1 * (corr * eps[lane] + tail * z_short[r, t - 1, p0 + lane])
                        chi[lane] += moved
                        shift[lane] += moved
                        price[i, t, lane] = math.exp(x[lane] + shift[lane])
                else:
                    for lane in range(w):
                        x[lane] = x[lane] * a_i + (eps[lane] * c_i + b_i)
                        price[i, t, lane] = math.exp(x[lane])
        # fx: a running sum of log steps
        for lane in range(w):
            x[lane] = 0.0
            fx[0, lane] = m.fx0
        for t in range(1, years):
            for lane in range(w):
                x[lane] += z_fx[t - 1, p0 + lane] * m.fx_sigma + m.fx_step
                fx[t, lane] = math.exp(x[lane]) * m.fx0
        # liberation_years and start_years
        for o in range(n_ob):
            for lane in range(w):
                free_at[o, lane] = never
                for t in range(years):
                    if u_liberation[p0 + lane, o] < m.lib_cdf[t, o]:
                        free_at[o, lane] = t
                        break
        for q in range(nc):
            j = m.cols[q]
            g = m.occupied_group[j]
            pj = min(m.start_p[j], 1.0)
            for lane in range(w):
                available = free_at[g, lane] + m.lag if g >= 0 else 0
                if m.status[j] == DEVELOPED:
                    s = available
                elif m.start_p[j] <= 0:
                    s = never
                else:
                    fails = math.floor(math.log1p(-u_start[p0 + lane, j]) / math.log1p(-pj))
                    s = max(m.start_min[j], available) + int(min(fails, never))
                start[j, lane] = s if s < years else never

        state[:, :w] = 0.0
        reserve[:, :w] = 0.0
        stake[:, :w] = 0.0
        restricted[:w] = False
        if m.past_aid_usd > 0:
            for lane in range(w):
                contributed0[lane] += m.past_aid_usd
                capital0[lane] += m.past_aid_usd
                us_day_sum[lane] += m.past_aid_usd * m.first_day
        for t in range(years):
            reading, first_new = m.reading[t], m.first_new[t]
            counted[:w] = 0.0
            awards[:w] = 0.0
            for q in range(nc):
                j = m.cols[q]
                invest = q < ni
                counts = m.counted[q] and m.annex[t, j]
                first_year_award = 0.0
                if counts:
                    if m.status[j] != AWARDED:
                        fixed_new = m.issued_index[j] >= first_new
                        if reading == READING_BROAD:
                            fixed_new = fixed_new or m.status[j] != DEVELOPED
                        elif reading == READING_ALL:
                            fixed_new = True
                    weight = m.item_counts[t, 3] if m.psa[j] else m.item_counts[t, 0]
                    fee = 0.0 if m.psa[j] else m.permit_fee[j]
                    bonus = m.signing_bonus[j] if m.psa[j] else 0.0
                    award = fee * m.item_counts[t, 2] + bonus * m.item_counts[t, 4]
                    award_on = m.status[j] == AWARDED and (
                        reading != READING_STRICT or t >= first_new
                    )
                    first_year_award = award if award_on else 0.0  # on a lane's first year
                f = m.front_row[j]
                full, opex, total_capex = m.full_output[j], m.opex[j], m.total_capex[j]
                royalty_rate, psa_share = m.royalty[j], m.psa_share[j]
                price_j = price[m.commodity[j], t]
                rate_j, capex_j, active_j = m.age_rate[j], m.age_capex[j], m.age_active[j]
                strict_award = m.status[j] == AWARDED and reading == READING_STRICT
                p_damage, p_stop = m.p_damage[t], m.p_stop[t]
                base = m.damage_fraction * total_capex  # the damage when there is capex
                for lane in range(w):
                    age = t - min(start[j, lane], years)
                    col = years + age  # the age tables' column: zeros before the start
                    pr = price_j[lane]
                    output = rate_j[col] * full
                    damage = 0.0
                    if f >= 0:
                        u = u_front[f, t, p0 + lane]
                        if u < p_damage and active_j[col]:
                            damage = base if total_capex > 0 else m.damage_fraction * (full * pr)
                        output = 0.0 if u < p_stop else output
                    revenue = output * pr
                    margin = revenue - output * opex
                    take = revenue * royalty_rate + max(margin, 0.0) * psa_share
                    if invest:
                        ages[q, lane] = age
                        capex_now[q, lane] = capex_j[col]
                        flow = margin - take
                        op_fcf[q, lane] = flow - m.cit * max(flow, 0.0) - damage
                    if counts:
                        if m.status[j] == AWARDED:
                            new = not strict_award or start[j, lane] >= first_new
                        else:
                            new = fixed_new
                        counted[lane] += take * weight if new else 0.0
                        awards[lane] += first_year_award if age == 0 else 0.0
            on = t >= first_new or reading == READING_ALL
            sp = m.permits_sigma
            sig = m.in_kind_sigma
            in_kind_on = m.in_kind_ok[t] and m.in_kind_mean[t] != 0
            for lane in range(w):
                total = counted[lane] + awards[lane]
                if on:
                    auction = rent = 0.0
                    if m.permits_auction[t] != 0:
                        auction = (
                            math.exp(sp * z_permits[0, t, p0 + lane] - 0.5 * sp * sp)
                            * m.permits_auction[t]
                        )
                    if m.permits_royalty[t] != 0:
                        rent = (
                            math.exp(sp * z_permits[1, t, p0 + lane] - 0.5 * sp * sp)
                            * m.permits_royalty[t]
                        )
                    total += auction * m.item_counts[t, 2] + rent * m.item_counts[t, 0]
                due_t = total * m.revenue_share[t]
                due[t, lane] = due_t
                # restricted conversion, last year's transfer
                u_conv = u_conversion[t, p0 + lane]
                held_back = restricted[lane]  # a two-state chain: stay, or enter
                now_restricted = (held_back and u_conv >= m.conv_end) or (
                    not held_back and u_conv < m.conv_start
                )
                now_restricted = now_restricted or m.conv_forced[t]
                restricted[lane] = now_restricted
                if t > 0:
                    pending[lane] += due_prev[lane]
                transfer = 0.0 if now_restricted else pending[lane]
                pending[lane] -= transfer
                due_prev[lane] = due_t
                # 30 June: contributions
                in_kind = 0.0
                if in_kind_on and u_in_kind[t, p0 + lane] < m.in_kind_p:
                    in_kind = (
                        math.exp(sig * z_in_kind[t, p0 + lane] - 0.5 * sig * sig)
                        * m.in_kind_mean[t]
                    )
                extra = 0.0
                if u_extra[t, p0 + lane] < m.ua_extra_p:
                    extra = m.ua_extra_uah[t] / fx[t, lane]
                us_side = m.us_cash[t] + in_kind
                ua_in = (m.ua_cash[t] + extra) + m.ua_multiple[t] * us_side + transfer
                # nav at the start of the year, kept in ``held`` until the fee is charged
                held[lane] = cash[lane] + invested[lane] + other_cost[lane]
                cash[lane] = cash[lane] + m.us_cash[t]
                cash[lane] += ua_in
                contributed0[lane] += us_side
                contributed1[lane] += ua_in
                capital0[lane] += us_side
                capital1[lane] += ua_in
                contrib[0, t, lane] = us_side
                contrib[1, t, lane] = ua_in
                in_kind_total[lane] += in_kind
                us_day_sum[lane] += us_side * m.day_contribution[t]
            # 1 July: commitments to projects starting now
            for i in range(ni):
                j = m.cols[i]
                want = m.equity_share[j] * m.total_capex[j]
                if want > 0 and m.sector_ok[t, j]:
                    for lane in range(w):
                        if start[j, lane] == t:
                            reserved = 0.0
                            for r in range(ni):
                                reserved += reserve[r, lane]
                            room = max(cash[lane] - reserved, 0.0)
                            commit = min(want, room * m.max_cash_fraction)
                            stake[i, lane] = commit / m.total_capex[j]
                            reserve[i, lane] += commit
            tax = not m.tax_exempt[t]
            for lane in range(w):
                nav_start = held[lane]
                # capex calls, then the wider pool
                need = 0.0
                for i in range(ni):
                    calls[i, lane] = stake[i, lane] * capex_now[i, lane]
                    need += calls[i, lane]
                c = cash[lane]
                if need > max(c, 0.0):
                    scale = max(c, 0.0) / (need if need > 0 else 1.0)
                    need = 0.0
                    for i in range(ni):
                        calls[i, lane] *= scale
                        need += calls[i, lane]
                c -= need
                invested[lane] += need
                reserved = 0.0
                for i in range(ni):
                    reserve[i, lane] = max(reserve[i, lane] - calls[i, lane], 0.0)
                    if m.age_done[m.cols[i], years + ages[i, lane]]:
                        reserve[i, lane] = 0.0
                    reserved += reserve[i, lane]
                pool = m.other_share * max(c - reserved, 0.0)
                c -= pool
                # 31 December: income, expenses, allocation
                income = 0.0
                for i in range(ni):
                    part = stake[i, lane] * max(op_fcf[i, lane], 0.0)
                    income += part * (1 - m.cit) if tax else part
                other_income = other_cost[lane] * max(
                    m.other_mean + m.other_sd * z_other[t, p0 + lane], 0.0
                )
                if tax:
                    other_income *= 1 - m.cit
                other_cost[lane] += pool
                c += income
                c += other_income
                expense = min(m.fee_rate * nav_start, max(c, 0.0))
                c -= expense
                amount = income + other_income - expense
                if m.basis_fixed[t]:
                    in0, in1 = _split(amount, 1.0, 1.0)
                elif not math.isnan(m.us_interest[t]):
                    in0, in1 = _split(amount, m.us_interest[t], 1 - m.us_interest[t])
                else:
                    in0, in1 = _split(amount, contributed0[lane], contributed1[lane])
                k0 = capital0[lane] + in0
                k1 = capital1[lane] + in1
                # distributions after the lock
                out0 = out1 = 0.0
                if m.lock_open[t] and m.payout > 0:
                    free = max(c - reserved, 0.0)
                    dist = m.payout * free if u_agree[t, p0 + lane] < m.agree_p else 0.0
                    if m.rule[t] == RULE_FIXED:
                        out0, out1 = _split(dist, 1.0, 1.0)
                    else:
                        first = 0.0
                        if m.rule[t] == RULE_US_FIRST:
                            put = contributed0[lane]
                            owed = (
                                put
                                + m.preferred[t]
                                * (m.day_year_end[t] * put - us_day_sum[lane])
                                / 365.0
                            )
                            first = min(max(owed - us_received[lane], 0.0), dist)
                        out0, out1 = _split(dist - first, k0, k1)
                        out0 += first
                    k0 -= out0
                    k1 -= out1
                    c -= dist
                    us_received[lane] += out0
                capital0[lane], capital1[lane] = k0, k1
                cash[lane] = c
                paid[0, t, lane] = out0
                paid[1, t, lane] = out1
                row = row0 + p0 + lane
                series[0, row, t] = due[t, lane]
                series[1, row, t] = due[t, lane] * fx[t, lane]
                series[2, row, t] = c + invested[lane] + other_cost[lane]
                w0 = max(k0, 0.0)
                positive = w0 + max(k1, 0.0)
                series[3, row, t] = w0 / positive if positive > 0 else 0.0

        # per-path outputs (SERIES and SCALARS order)
        for who in range(2):
            for lane in range(w):
                row = row0 + p0 + lane
                capital_end = capital0[lane] if who == 0 else capital1[lane]
                net = received = npv = npv_terminal = put_in = 0.0
                payback = math.nan
                for t in range(years):
                    flow = paid[who, t, lane] - contrib[who, t, lane]
                    flows[t, lane] = flow
                    net += flow
                    received += paid[who, t, lane]
                    series[4 + who, row, t] = net
                    if math.isnan(payback) and net >= 0 and received > 0:
                        payback = float(t)
                    npv += flow * m.discount[t]
                    put_in += contrib[who, t, lane]
                flows[years - 1, lane] += capital_end
                for t in range(years):
                    npv_terminal += flows[t, lane] * m.discount[t]
                scalars[0 + who, row] = npv
                scalars[2 + who, row] = npv_terminal
                scalars[6 + who, row] = payback
                scalars[8 + who, row] = put_in
                scalars[10 + who, row] = received
                scalars[12 + who, row] = capital_end
            _irr_lanes(flows, w, m.irr_bisections, m.irr_newton, irr_out, work)
            for lane in range(w):
                scalars[4 + who, row0 + p0 + lane] = irr_out[lane]
        for lane in range(w):
            first10 = 0.0
            for t in range(min(10, years)):
                first10 += due[t, lane]
            scalars[14, row0 + p0 + lane] = first10
            scalars[15, row0 + p0 + lane] = in_kind_total[lane]
            scalars[16, row0 + p0 + lane] = series[2, row0 + p0 + lane, years - 1]


@_jit
def _normals(rng: np.random.Generator, out: FloatArray) -> None:
    """Fill the one-dimensional ``out`` with the generator's standard normals."""
    for i in range(len(out)):
        out[i] = rng.standard_normal()


def _run(
    m: NativeModel,
    draws: Mapping[str, FloatArray],
    series: FloatArray,
    scalars: FloatArray,
    row: int,
) -> None:
    """``_paths`` on draws given by name (``Draws``'s fields, passed in its order, which
    is the order of ``_paths``'s parameters)."""
    paths: Callable[..., None] = _paths  # positional draws: mypy cannot match a splat
    paths(m, *(draws[name] for name in Draws.__slots__), series, scalars, row)


def fill_normal(rng: np.random.Generator, out: FloatArray) -> None:
    """``rng.standard_normal(out=out)`` in compiled code: the same numbers, twice as fast
    here (numpy's ziggurat per element, without its per-array overhead)."""
    if not out.flags.c_contiguous:  # as numpy's: reshape would fill a copy
        raise ValueError("fill_normal: out must be C-contiguous")
    _normals(rng, out.reshape(-1))


def evolve_native(c: Compiled, d: Draws) -> Outcome:
    """``engine.evolve(c, d)`` in float mode, one compiled loop over paths."""
    assert SERIES[:4] == ("ukraine_due_usd", "ukraine_due_uah", "fund_nav", "ownership_dfc")
    m = native_model(c)
    n, years = d.n, c.n_years
    series = np.empty((len(SERIES), n, years))
    scalars = np.empty((len(SCALARS), n))
    _run(m, {name: getattr(d, name) for name in Draws.__slots__}, series, scalars, 0)
    return Outcome(
        series=dict(zip(SERIES, series, strict=True)),
        scalars=dict(zip(SCALARS, scalars, strict=True)),
        detail={},
    )


def run_blocks(
    c: Compiled, blocks: Sequence[tuple[np.random.SeedSequence, int]]
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """``engine.run_chunk`` in float mode: each block's draws (``engine.draw_blocks``'s
    numbers, on the rows the model reads: ``engine.draw_rows``) go into buffers reused
    from block to block, and through the compiled model while they are in cache."""
    from urif.sim.engine import draw_rows, draw_shapes, fill_block

    m = native_model(c)
    n, years = sum(size for _, size in blocks), c.n_years
    series = np.empty((len(SERIES), n, years))
    scalars = np.empty((len(SCALARS), n))
    shapes = draw_shapes(c)
    rows = draw_rows(c)
    buffers: dict[int, dict[str, FloatArray]] = {}
    row = 0
    for seed, size in blocks:
        if size not in buffers:
            buffers[size] = {
                name: np.empty((*shape[:axis], size, *shape[axis:]))
                for name, (shape, axis, _) in shapes.items()
            }
        b = buffers[size]
        fill_block(shapes, seed, b, rows)
        _run(m, b, series, scalars, row)
        row += size
    return dict(zip(SERIES, series, strict=True)), dict(zip(SCALARS, scalars, strict=True))


def compile_kernels() -> None:
    """Compile every compiled function (or load it from the disk cache): a 2-path run of
    the shipped baseline, as ``make setup`` does once so a first simulation is fast."""
    from urif.sim.engine import block_seeds, compile_model
    from urif.sim.scenario import load_scenario
    from urif.terms import load_termset

    spec = load_scenario()
    termset = load_termset(spec.terms)
    c = compile_model(spec, [termset.at(dt.date(y, 12, 31)) for y in spec.years])
    run_blocks(c, block_seeds(np.random.default_rng(0), 2))
