"""The Monte Carlo engine: compile a scenario and terms, draw, evolve, per chunk of paths.

Owns ``Compiled`` (a scenario plus the terms in force each year, as arrays), ``Draws``
(every random number a block of paths uses, drawn in one fixed order from one child
generator), ``evolve`` (the model: arrays shaped ``(path, year[, deposit])``, a loop over
years and never over paths) and ``run_chunk`` (what an executor runs).

Reproducibility: paths come in blocks of ``BLOCK`` paths; block *b* draws from the *b*-th
child of ``SeedSequence.spawn``. A chunk is a run of whole blocks, so the numbers depend
only on the seed and the path count, never on the chunk size or the executor.

Timing inside a year (the dates parity events carry): fx rate 1 January; agreed-revenue
transfer for the previous year 31 March; cash and in-kind contributions 30 June;
licences 1 July; investments 1 July; state receipts, project income, expenses and
distributions 31 December (in that order).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from urif.core.errors import InvalidInput
from urif.rules.licence import in_annex
from urif.rules.lock import lock_end
from urif.sim import kernels as k
from urif.sim.prices import CompiledPrices, compile_prices, prices_by_year
from urif.sim.scenario import ScenarioSpec
from urif.terms.model import Terms

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BLOCK = 512
ITEMS = ("royalty", "permit_fee", "auction_price", "production_share", "signing_bonus")
STATUS = {"none": 0, "existing_undeveloped": 1, "existing_developed": 2}
ENERGY_RESOURCES = ("natural_gas", "oil", "gas_condensate", "lng")
SECTOR_ALIASES = {
    "critical_minerals": ("critical_minerals", "minerals", "extraction", "mining"),
    "energy": ("energy", "oil_and_gas", "extraction"),
}
SERIES = (
    "ukraine_due_usd",
    "ukraine_due_uah",
    "fund_nav",
    "ownership_dfc",
    "net_position_dfc",
    "net_position_ppp_agency",
)
SCALARS = (
    "npv_dfc",
    "npv_ppp_agency",
    "npv_terminal_dfc",
    "npv_terminal_ppp_agency",
    "irr_dfc",
    "irr_ppp_agency",
    "payback_dfc",
    "payback_ppp_agency",
    "contributed_dfc",
    "contributed_ppp_agency",
    "distributed_dfc",
    "distributed_ppp_agency",
    "capital_end_dfc",
    "capital_end_ppp_agency",
    "ukraine_due_first10_usd",
    "in_kind_credit_usd",
    "fund_nav_end",
)


@dataclass(frozen=True, slots=True)
class Compiled:
    """A scenario and the terms in force each year, as arrays the kernels read."""

    scenario: str
    terms_version: str
    years: tuple[int, ...]
    deposits: tuple[str, ...]
    prices: CompiledPrices
    discount_rate: float
    vol_scale: float
    # deposits (D,)
    commodity: IntArray
    status: IntArray
    psa: NDArray[np.bool_]
    issued_index: IntArray  # existing licences: year index issued (may be negative)
    start_min: IntArray
    start_p: FloatArray
    permit_fee: FloatArray
    signing_bonus: FloatArray
    capex: FloatArray  # (D, Lmax)
    build: IntArray
    ramp: FloatArray  # (D, Rmax)
    ramp_len: IntArray
    full_output: FloatArray  # product units a year at full rate
    life: IntArray
    opex: FloatArray
    royalty: FloatArray
    psa_share: FloatArray
    invest: NDArray[np.bool_]
    equity_share: FloatArray
    occupied_group: IntArray  # -1 not occupied, else oblast group index
    frontline: IntArray  # deposit indices on the front line
    sector_energy: NDArray[np.bool_]
    # conflict (T, O) and (T,)
    liberation_hazard: FloatArray
    lag: int
    p_disrupt: FloatArray
    p_damage: FloatArray
    damage_fraction: float
    # policy and money (T,)
    conv_start: float
    conv_end: float
    conv_forced: NDArray[np.bool_]
    fx0: float
    fx_drift: float
    fx_sigma: float
    us_cash: FloatArray
    ua_cash: FloatArray
    ua_extra_uah: FloatArray
    ua_extra_p: float
    in_kind_mean: FloatArray
    in_kind_p: float
    in_kind_sigma: float
    fee_rate: float
    max_cash_fraction: float
    other_share: float
    other_mean: float
    other_sd: float
    payout: float
    agree_p: float
    cit: float
    # terms by year (T,) and (T, D)
    revenue_share: FloatArray
    reading: IntArray
    first_new_index: IntArray
    item_counts: NDArray[np.bool_]  # (T, 5)
    annex: NDArray[np.bool_]  # (T, D)
    in_kind_ok: NDArray[np.bool_]
    basis: IntArray
    rule: IntArray
    preferred: FloatArray
    lock_open: NDArray[np.bool_]
    us_interest: FloatArray  # nan when not set
    ua_multiple: FloatArray
    tax_exempt: NDArray[np.bool_]
    sector_ok: NDArray[np.bool_]  # (T, D)
    past_aid_usd: float
    permits_auction: FloatArray  # (T,) mean auction receipts of other new permits
    permits_royalty: FloatArray  # (T,) mean rent of other new permits
    permits_sigma: float
    oblasts: tuple[str, ...] = field(default=())

    @property
    def n_years(self) -> int:
        """Number of simulated years."""
        return len(self.years)


def _schedule(pairs: Sequence[tuple[int, float]], years: Sequence[int]) -> FloatArray:
    table = dict(pairs)
    return np.array([float(table.get(y, 0.0)) for y in years])


def _first_new_index(cutoff: dt.date, years: Sequence[int]) -> int:
    for i, y in enumerate(years):
        if dt.date(y, 7, 1) >= cutoff:
            return i
    return len(years)


def _sector_ok(terms: Terms, energy: bool) -> bool:
    sectors = {s.strip().lower().replace(" ", "_") for s in terms.investment_sectors}
    if not sectors:
        return True
    aliases = SECTOR_ALIASES["energy" if energy else "critical_minerals"]
    return any(a in sectors for a in aliases)


def compile_model(
    spec: ScenarioSpec, terms_by_year: Sequence[Terms], *, vol_scale: float = 1.0
) -> Compiled:
    """Arrays of ``spec`` with ``terms_by_year[i]`` in force in year ``spec.years[i]``."""
    years = spec.years
    if len(terms_by_year) != len(years):
        raise InvalidInput(
            f"compile: expected terms for {len(years)} years, got {len(terms_by_year)}"
        )
    deps = spec.deposits
    if not deps:
        raise InvalidInput(f"scenario {spec.name}: no deposits")
    prices = compile_prices(spec.prices, spec.correlation)
    cidx = {c: i for i, c in enumerate(prices.commodities)}
    n_years = len(years)
    lmax = max(1, *(len(d.capex_usd) for d in deps))
    rmax = max(1, *(len(d.ramp) for d in deps))
    capex = np.zeros((len(deps), lmax))
    ramp = np.ones((len(deps), rmax))
    for i, d in enumerate(deps):
        capex[i, : len(d.capex_usd)] = d.capex_usd
        ramp[i, : len(d.ramp)] = d.ramp
    oblasts = tuple(sorted({d.oblast for d in deps if d.territory == "occupied"}))
    conflict = spec.conflict
    hazard = np.zeros((n_years, max(1, len(oblasts))))
    for j, ob in enumerate(oblasts):
        for t, y in enumerate(years):
            after = conflict.ceasefire_year is not None and y >= conflict.ceasefire_year
            hazard[t, j] = (
                conflict.liberation_hazard_after_ceasefire if after else conflict.hazard_for(ob)
            )
    cease = np.array(
        [conflict.ceasefire_year is not None and y >= conflict.ceasefire_year for y in years]
    )
    base = terms_by_year[0]
    us_interest = np.array(
        [
            float(t.us_financial_interest) if t.us_financial_interest is not None else math.nan
            for t in terms_by_year
        ]
    )
    inkind = spec.contributions.in_kind
    in_kind_mean = np.array(
        [inkind.mean_usd if inkind.start_year <= y <= inkind.end_year else 0.0 for y in years]
    )
    energy = np.array([d.resource in ENERGY_RESOURCES for d in deps])
    op = spec.other_permits
    return Compiled(
        scenario=spec.name,
        terms_version=str(base.version),
        years=years,
        deposits=tuple(d.id for d in deps),
        prices=prices,
        discount_rate=spec.discount_rate,
        vol_scale=vol_scale,
        commodity=np.array([cidx[d.commodity] for d in deps]),
        status=np.array([STATUS[d.licence_status] for d in deps]),
        psa=np.array([d.instrument == "psa" for d in deps]),
        issued_index=np.array(
            [
                (d.licence_issued_year if d.licence_issued_year is not None else years[0] - 5)
                - years[0]
                for d in deps
            ]
        ),
        start_min=np.array([max(0, d.start_year - years[0]) for d in deps]),
        start_p=np.array([d.start_probability for d in deps]),
        permit_fee=np.array([d.permit_fee_usd for d in deps]),
        signing_bonus=np.array([d.signing_bonus_usd for d in deps]),
        capex=capex,
        build=np.array([len(d.capex_usd) for d in deps]),
        ramp=ramp,
        ramp_len=np.array([len(d.ramp) for d in deps]),
        full_output=np.array([d.ore_tpa * d.grade * d.recovery for d in deps]),
        life=np.array([d.life_years for d in deps]),
        opex=np.array([d.opex_per_unit for d in deps]),
        royalty=np.array([d.royalty_rate for d in deps]),
        psa_share=np.array([d.psa_state_share for d in deps]),
        invest=np.array([d.fund_invest for d in deps]),
        equity_share=np.array([d.fund_equity_share for d in deps]),
        occupied_group=np.array(
            [oblasts.index(d.oblast) if d.territory == "occupied" else -1 for d in deps]
        ),
        frontline=np.array(
            [i for i, d in enumerate(deps) if d.territory == "frontline"], dtype=np.int64
        ),
        sector_energy=energy,
        liberation_hazard=hazard,
        lag=conflict.post_liberation_lag_years,
        p_disrupt=np.where(
            cease, conflict.disruption_probability_after_ceasefire, conflict.disruption_probability
        ),
        p_damage=np.where(
            cease, conflict.damage_probability_after_ceasefire, conflict.damage_probability
        ),
        damage_fraction=conflict.damage_cost_fraction,
        conv_start=spec.conversion.start_probability,
        conv_end=spec.conversion.end_probability,
        conv_forced=np.array([y in spec.conversion.restricted_years for y in years]),
        fx0=spec.fx.uah_per_usd,
        fx_drift=spec.fx.drift,
        fx_sigma=spec.fx.sigma,
        us_cash=_schedule(spec.contributions.us_cash_usd, years),
        ua_cash=_schedule(spec.contributions.ukraine_cash_usd, years),
        ua_extra_uah=_schedule(spec.contributions.ukraine_extra_cash_uah, years),
        ua_extra_p=spec.contributions.ukraine_extra_cash_probability,
        in_kind_mean=in_kind_mean,
        in_kind_p=inkind.probability,
        in_kind_sigma=inkind.sigma,
        fee_rate=spec.fund.fee_rate,
        max_cash_fraction=spec.fund.max_cash_fraction_per_project,
        other_share=spec.fund.other_share_of_free_cash,
        other_mean=spec.fund.other_yield_mean,
        other_sd=spec.fund.other_yield_sd,
        payout=spec.fund.payout_ratio,
        agree_p=spec.fund.agreement_probability,
        cit=spec.fund.cit_rate,
        revenue_share=np.array([float(t.revenue_share) for t in terms_by_year]),
        reading=np.array([k.READING[t.new_licence_reading] for t in terms_by_year]),
        first_new_index=np.array(
            [_first_new_index(t.new_licence_cutoff, years) for t in terms_by_year]
        ),
        item_counts=np.array([[i in t.revenue_items for i in ITEMS] for t in terms_by_year]),
        annex=np.array(
            [[in_annex(d.resource, t.annex_resources) for d in deps] for t in terms_by_year]
        ),
        in_kind_ok=np.array(
            [
                t.in_kind_credit
                and dt.date(y, 6, 30) >= t.in_kind_cutoff
                and (inkind.agreed or not t.in_kind_requires_agreed)
                for t, y in zip(terms_by_year, years, strict=True)
            ]
        ),
        basis=np.array([k.BASIS[t.allocation_basis] for t in terms_by_year]),
        rule=np.array([k.RULE[t.distribution_rule] for t in terms_by_year]),
        preferred=np.array([float(t.preferred_return) for t in terms_by_year]),
        lock_open=np.array(
            [
                dt.date(y, 12, 31) >= lock_end(t.reinvestment_lock_start, t.reinvestment_lock_years)
                for t, y in zip(terms_by_year, years, strict=True)
            ]
        ),
        us_interest=us_interest,
        ua_multiple=np.array([float(t.ukraine_multiple_of_us_aid or 0) for t in terms_by_year]),
        tax_exempt=np.array([t.fund_tax_exempt for t in terms_by_year]),
        sector_ok=np.array([[_sector_ok(t, bool(e)) for e in energy] for t in terms_by_year]),
        past_aid_usd=(
            float(base.past_aid_credit_usd or spec.contributions.past_aid_usd)
            if base.past_aid_credit
            else 0.0
        ),
        permits_auction=np.array(
            [op.auction_usd if op.start_year and y >= op.start_year else 0.0 for y in years]
        ),
        permits_royalty=np.array(
            [
                op.royalty_growth_usd * (y - op.start_year + 1)
                if op.start_year and y >= op.start_year
                else 0.0
                for y in years
            ]
        ),
        permits_sigma=op.sigma,
        oblasts=oblasts,
    )


# --------------------------------------------------------------------------- draws


@dataclass(frozen=True, slots=True)
class Draws:
    """Every random input of a set of paths; the leading axis is the path."""

    z_price: FloatArray  # (n, T, K, 2)
    z_fx: FloatArray  # (n, T)
    u_start: FloatArray  # (n, T, D)
    u_liberation: FloatArray  # (n, T, O)
    u_disrupt: FloatArray  # (n, T, F)
    u_damage: FloatArray  # (n, T, F)
    u_conversion: FloatArray  # (n, T)
    u_agree: FloatArray  # (n, T)
    u_in_kind: FloatArray  # (n, T)
    z_in_kind: FloatArray  # (n, T)
    z_other: FloatArray  # (n, T)
    u_extra: FloatArray  # (n, T)
    z_permits: FloatArray  # (n, T, 2)

    @property
    def n(self) -> int:
        """Number of paths."""
        return int(self.z_fx.shape[0])


def _draw_shapes(c: Compiled) -> dict[str, tuple[tuple[int, ...], bool]]:
    """Per-path shape of every draw and whether it is normal (else uniform), in draw order."""
    years = c.n_years
    kk = len(c.prices.commodities)
    front = len(c.frontline)
    return {
        "z_price": ((years, kk, 2), True),
        "z_fx": ((years,), True),
        "u_start": ((years, len(c.deposits)), False),
        "u_liberation": ((years, c.liberation_hazard.shape[1]), False),
        "u_disrupt": ((years, front), False),
        "u_damage": ((years, front), False),
        "u_conversion": ((years,), False),
        "u_agree": ((years,), False),
        "u_in_kind": ((years,), False),
        "z_in_kind": ((years,), True),
        "z_other": ((years,), True),
        "u_extra": ((years,), False),
        "z_permits": ((years, 2), True),
    }


def draw(c: Compiled, rng: np.random.Generator, n: int) -> Draws:
    """Draw every random input of ``n`` paths from ``rng`` in one fixed order."""
    return draw_blocks(c, [], rngs=[(rng, n)])


def draw_blocks(
    c: Compiled,
    blocks: Sequence[tuple[np.random.SeedSequence, int]],
    *,
    rngs: Sequence[tuple[np.random.Generator, int]] = (),
) -> Draws:
    """Draws for consecutive blocks, each from its own child seed, stacked on paths.

    Each block's generator fills its rows of preallocated arrays in the fixed order of
    ``Draws`` (no per-block arrays to concatenate).
    """
    gens = [(np.random.default_rng(seed), size) for seed, size in blocks] + list(rngs)
    total = sum(size for _, size in gens)
    shapes = _draw_shapes(c)
    arrays = {name: np.empty((total, *shape)) for name, (shape, _) in shapes.items()}
    row = 0
    for rng, size in gens:
        for name, (_, normal) in shapes.items():
            part = arrays[name][row : row + size]
            if normal:
                rng.standard_normal(out=part)
            else:
                rng.random(out=part)
        row += size
    return Draws(**arrays)


def block_seeds(rng: np.random.Generator, paths: int) -> list[tuple[np.random.SeedSequence, int]]:
    """One child seed per block of ``BLOCK`` paths, from the generator's seed sequence.

    The generator's own state is not used or advanced: its seed sequence (entropy and
    spawn key) identifies the stream, so the same seed gives the same children each call.
    """
    if paths < 1:
        raise InvalidInput(f"paths: expected at least 1, got {paths}")
    seq = rng.bit_generator.seed_seq
    if not isinstance(seq, np.random.SeedSequence):
        raise InvalidInput("rng: expected a Generator seeded from a SeedSequence")
    root = np.random.SeedSequence(seq.entropy, spawn_key=seq.spawn_key, pool_size=seq.pool_size)
    count = -(-paths // BLOCK)
    children = root.spawn(count)
    return [(s, min(BLOCK, paths - i * BLOCK)) for i, s in enumerate(children)]


# --------------------------------------------------------------------------- model


@dataclass(slots=True)
class Outcome:
    """What ``evolve`` returns: per-path series ``(n, T)``, scalars ``(n,)`` and details."""

    series: dict[str, FloatArray]
    scalars: dict[str, FloatArray]
    detail: dict[str, FloatArray]


def _money(x: FloatArray, cents: bool) -> FloatArray:
    return k.round_cents(x) if cents else x


def _day(year: int, month: int, day: int) -> int:
    return dt.date(year, month, day).toordinal()


@dataclass(frozen=True, slots=True)
class AgeTables:
    """Per-deposit schedules by years since start, ``(D, T + 1)``; the last column is
    "not started" (all zero). One gather by ``start`` replaces the clip-and-where chains.
    """

    capex: FloatArray
    rate: FloatArray  # production rate before disruption
    building: NDArray[np.bool_]
    reserve_done: NDArray[np.bool_]  # the commitment's reserve is released from this age


def age_tables(c: Compiled) -> AgeTables:
    """The schedules of every deposit by age (years since its start)."""
    dd, years = len(c.deposits), c.n_years
    capex = np.zeros((dd, years + 1))
    rate = np.zeros((dd, years + 1))
    building = np.zeros((dd, years + 1), dtype=bool)
    done = np.zeros((dd, years + 1), dtype=bool)
    lcap, lramp = c.capex.shape[1], c.ramp.shape[1]
    for j in range(dd):
        build = int(c.build[j])
        for age in range(years):
            building[j, age] = age < build
            if age < build:
                capex[j, age] = c.capex[j, min(age, lcap - 1)]
            prod = age - build
            if 0 <= prod < int(c.life[j]):
                ramped = prod < int(c.ramp_len[j])
                rate[j, age] = c.ramp[j, min(prod, lramp - 1)] if ramped else 1.0
            done[j, age] = age >= build - 1
    return AgeTables(capex, rate, building, done)


def evolve(c: Compiled, d: Draws, *, cents: bool = False, detail: bool = False) -> Outcome:
    """Run the model on the draws: the fund's years for every path at once.

    One loop over years; inside it every quantity is an array over ``(path[, deposit])``.
    Quantities only fund investments need (stakes, reserves, capex calls, income) are kept
    for the investable deposits alone; ``detail`` spreads them back over every deposit.
    """
    n, years, dd = d.n, c.n_years, len(c.deposits)
    t_idx = np.arange(years)
    prices = prices_by_year(c.prices, d.z_price, scale=c.vol_scale)  # (T, n, K)
    fx_sigma = c.fx_sigma * c.vol_scale
    steps = (
        np.where(t_idx > 0, c.fx_drift - 0.5 * fx_sigma**2, 0.0)
        + np.where(t_idx > 0, fx_sigma, 0.0) * d.z_fx
    )
    fx = c.fx0 * np.exp(np.cumsum(steps, axis=1))  # (n, T) UAH per USD
    never = years + 10_000
    tables = age_tables(c)
    offsets = (np.arange(dd) * (years + 1))[None, :]
    rate_flat = tables.rate.ravel()
    total_capex = c.capex.sum(axis=1)
    is_none = c.status == STATUS["none"]
    developed = c.status == STATUS["existing_developed"]
    occ = c.occupied_group >= 0
    occ_cols = np.flatnonzero(occ)
    dev_cols = np.flatnonzero(developed)
    f = c.frontline
    fee_vec = np.where(is_none & ~c.psa, c.permit_fee, 0.0)
    bonus_vec = np.where(is_none & c.psa, c.signing_bonus, 0.0)
    if cents:
        fee_vec, bonus_vec = _money(fee_vec, cents), _money(bonus_vec, cents)
    royalty_rate = np.where(c.psa, 0.0, c.royalty)[None, :]
    psa_share = np.where(c.psa, c.psa_share, 0.0)[None, :]
    full_output = c.full_output[None, :]
    opex = c.opex[None, :]
    start_p = c.start_p[None, :]
    # the fund's investable deposits: stakes, reserves, calls and income live here
    inv = np.flatnonzero(c.invest)
    ni = len(inv)
    inv_capex = tables.capex[inv].ravel()
    inv_done = tables.reserve_done[inv].ravel()
    inv_offsets = (np.arange(ni) * (years + 1))[None, :]
    inv_total = total_capex[inv]
    ones = np.ones(ni)  # row sums as matrix-vector products (fast on narrow arrays)
    front_inv = [(int(np.flatnonzero(inv == j)[0]), i) for i, j in enumerate(f) if c.invest[j]]
    front_building = tables.building[f].ravel()
    front_offsets = (np.arange(len(f)) * (years + 1))[None, :]
    front_base = np.where(total_capex[f] > 0, total_capex[f], 0.0)[None, :]

    # path state
    free_at = np.full((n, c.liberation_hazard.shape[1]), never)
    start = np.full((n, dd), never)
    threshold = np.broadcast_to(c.start_min, (n, dd)).copy()  # first year a start may come
    if len(occ_cols):
        threshold[:, occ_cols] = np.maximum(c.start_min[occ_cols], never + c.lag)
    restricted_state = np.zeros(n, dtype=bool)
    cash = np.zeros(n)
    reserve = np.zeros((n, ni))
    stake = np.zeros((n, ni))
    invested = np.zeros(n)
    other_cost = np.zeros(n)
    contributed = np.zeros((n, 2))
    capital = np.zeros((n, 2))
    us_day_sum = np.zeros(n)
    us_received = np.zeros(n)
    pending = np.zeros(n)
    in_kind_reserve = np.zeros(n)
    # yearly outputs stored year-major (each year's row contiguous), turned at the end
    due_y = np.zeros((years, n))
    nav_y = np.zeros((years, n))
    own_y = np.zeros((years, n, 2))
    contrib_y = np.zeros((years, n, 2))
    dist_y = np.zeros((years, n, 2))
    cap_y = np.zeros((years, n, 2))
    # per-year draws read one year at a time: year-major copies
    fx_y = np.ascontiguousarray(fx.T)
    u_extra, u_conversion = d.u_extra.T.copy(), d.u_conversion.T.copy()
    u_in_kind, z_in_kind = d.u_in_kind.T.copy(), d.z_in_kind.T.copy()
    z_other, u_agree = d.z_other.T.copy(), d.u_agree.T.copy()
    z_permits = np.ascontiguousarray(d.z_permits.transpose(1, 0, 2))
    in_kind_total = np.zeros(n)
    aidx = np.empty((n, dd), dtype=np.int64)
    scratch = np.empty((n, dd))
    counted_buf = np.empty((n, dd))
    keep: dict[str, FloatArray] = {}
    if detail:
        for name, shape in (
            ("receipts", (n, years, dd, len(ITEMS))),
            ("permits", (n, years, 2)),
            ("counted", (n, years)),
            ("new", (n, years, dd)),
            ("transfer", (n, years)),
            ("calls", (n, years, dd)),
            ("commit", (n, years, dd)),
            ("other_invest", (n, years)),
            ("income", (n, years, dd)),
            ("other_income", (n, years)),
            ("expense", (n, years)),
            ("distribution", (n, years)),
            ("contributed", (n, years, 2)),
            ("cash", (n, years)),
            ("in_kind_reserve", (n, years)),
            ("allocated", (n, years, 2)),
            ("in_kind", (n, years)),
            ("us_cash", (n, years)),
            ("ua_cash", (n, years)),
            ("ua_multiple", (n, years)),
            ("restricted", (n, years)),
        ):
            keep[name] = np.zeros(shape)
    if c.past_aid_usd > 0:
        credit = _money(np.full(n, c.past_aid_usd), cents)
        contributed[:, 0] += credit
        capital[:, 0] += credit
        in_kind_reserve += credit
        us_day_sum += credit * _day(c.years[0], 1, 1)

    for t, year in enumerate(c.years):
        # conflict: liberation of occupied oblasts (from the second year)
        if t > 0 and len(occ_cols):
            hit = d.u_liberation[:, t, :] < c.liberation_hazard[t][None, :]
            hit &= free_at == never
            if hit.any():
                free_at[hit] = t
                threshold[:, occ_cols] = np.maximum(
                    c.start_min[occ_cols], free_at[:, c.occupied_group[occ_cols]] + c.lag
                )
        # awards (status none) and development starts (existing undeveloped)
        eligible = start == never
        eligible &= threshold <= t
        eligible &= d.u_start[:, t, :] < start_p
        np.copyto(start, t, where=eligible)
        if len(dev_cols):
            available = np.zeros((n, len(dev_cols)), dtype=np.int64)
            occ_dev = occ[dev_cols]
            if occ_dev.any():
                groups = c.occupied_group[dev_cols[occ_dev]]
                available[:, occ_dev] = free_at[:, groups] + c.lag
            start[:, dev_cols] = np.where(available > 0, available, 0)
        # years since start (``years`` where not started) as flat indices into the tables
        np.subtract(t, start, out=aidx)
        np.copyto(aidx, years, where=start > t)
        aidx += offsets
        rate = rate_flat.take(aidx)
        price = prices[t].take(c.commodity, axis=1)  # (n, D)
        damage = None
        if len(f):
            fidx = aidx[:, f] - offsets[:, f] + front_offsets
            building_f = front_building.take(fidx)
            damaged = (d.u_damage[:, t, :] < c.p_damage[t]) & (building_f | (rate[:, f] > 0))
            stop = (d.u_disrupt[:, t, :] < c.p_disrupt[t]) | damaged
            full_rev = c.full_output[f][None, :] * price[:, f]
            damage = np.where(
                damaged, c.damage_fraction * np.where(front_base > 0, front_base, full_rev), 0.0
            )
            rate[:, f] = np.where(stop, 0.0, rate[:, f])
        output = np.multiply(rate, full_output, out=rate)
        revenue = output * price
        margin = np.multiply(output, opex, out=scratch)
        np.subtract(revenue, margin, out=margin)
        royalty = np.multiply(revenue, royalty_rate, out=revenue)
        production_share = np.maximum(margin, 0.0, out=price)
        production_share *= psa_share
        if cents:
            royalty, production_share = _money(royalty, cents), _money(production_share, cents)
        take = royalty + production_share  # the state's take: one of the two is zero
        # Ukraine's agreed revenue accrued this year (USD at the year's rate)
        # licences awarded in the run are issued in their start year (1 July); existing
        # ones keep their issue year, so their reading is one value per deposit
        reading, first_new = int(c.reading[t]), int(c.first_new_index[t])
        fixed = k.is_new_licence(c.issued_index, developed, reading, first_new)
        new = k.is_new_licence(start, False, reading, first_new)
        new &= (is_none & c.annex[t])[None, :]
        new |= (~is_none & fixed & c.annex[t])[None, :]
        counts = c.item_counts[t]
        weight = np.where(c.psa, float(counts[3]), float(counts[0]))
        counted = np.multiply(take, new, out=counted_buf) @ weight
        awarded_value = fee_vec * counts[2] + bonus_vec * counts[4]
        awarded = start == t
        if awarded_value.any():
            counted += (awarded & new) @ awarded_value
        shock = np.exp(
            c.permits_sigma * c.vol_scale * z_permits[t]
            - 0.5 * (c.permits_sigma * c.vol_scale) ** 2
        )
        permits = _money(
            np.stack(
                [c.permits_auction[t] * shock[:, 0], c.permits_royalty[t] * shock[:, 1]], axis=1
            ),
            cents,
        )
        if t >= c.first_new_index[t] or c.reading[t] == k.READING["all"]:
            counted = counted + permits[:, 0] * counts[2] + permits[:, 1] * counts[0]
        due_y[t] = k.ukraine_share(counted, float(c.revenue_share[t]), cents=cents)

        # policy: restricted conversion (a two-state Markov chain, plus forced years)
        u = u_conversion[t]
        restricted_state = np.where(restricted_state, u >= c.conv_end, u < c.conv_start)
        restricted_state = restricted_state | bool(c.conv_forced[t])
        # 31 March: last year's agreed revenue (and any held back) unless restricted
        if t > 0:
            pending = pending + due_y[t - 1]
        transfer = np.where(restricted_state, 0.0, pending)
        pending = pending - transfer
        # 30 June: cash and in-kind contributions
        aid_sigma = c.in_kind_sigma * c.vol_scale
        aid = (
            c.in_kind_mean[t]
            * (u_in_kind[t] < c.in_kind_p)
            * np.exp(aid_sigma * z_in_kind[t] - 0.5 * aid_sigma**2)
        )
        in_kind = _money(aid, cents) if c.in_kind_ok[t] else np.zeros(n)
        extra = np.where(u_extra[t] < c.ua_extra_p, c.ua_extra_uah[t], 0.0) / fx_y[t]
        us_in = np.full(n, c.us_cash[t])
        ua_cash = _money(c.ua_cash[t] + extra, cents)
        ua_mult = _money(c.ua_multiple[t] * (us_in + in_kind), cents)
        ua_in = ua_cash + ua_mult + transfer
        cash = cash + us_in + ua_in
        contrib = contrib_y[t]
        contrib[:, 0] = us_in + in_kind
        contrib[:, 1] = ua_in
        contributed += contrib
        capital += contrib
        in_kind_reserve += in_kind
        in_kind_total += in_kind
        us_day_sum += (us_in + in_kind) * _day(year, 6, 30)
        nav_start = cash - us_in - ua_in + invested + other_cost
        # 1 July: commitments to projects starting now, capex calls, then the wider pool
        iidx = aidx[:, inv] - offsets[:, inv] + inv_offsets
        starting = awarded[:, inv] & c.sector_ok[t][inv][None, :]
        for i in np.flatnonzero(starting.any(axis=0)):
            want = c.equity_share[inv[i]] * inv_total[i]
            if want <= 0:
                continue
            room = np.maximum(cash - reserve @ ones, 0.0)
            commit = np.where(starting[:, i], np.minimum(want, room * c.max_cash_fraction), 0.0)
            stake[:, i] = np.where(starting[:, i], commit / inv_total[i], stake[:, i])
            reserve[:, i] += commit
            if detail:
                keep["commit"][:, t, inv[i]] = commit
        calls = _money(stake * inv_capex.take(iidx), cents)
        need = calls @ ones
        short = need > np.maximum(cash, 0.0)
        if short.any():  # only by rounding: commitments reserve the cash for every call
            scale = np.maximum(cash, 0.0) / np.where(need > 0, need, 1.0)
            calls = np.where(short[:, None], calls * scale[:, None], calls)
            need = calls @ ones
        cash = cash - need
        invested = invested + need
        reserve -= calls
        np.maximum(reserve, 0.0, out=reserve)
        reserve[inv_done.take(iidx)] = 0.0
        pool = _money(c.other_share * np.maximum(cash - reserve @ ones, 0.0), cents)
        cash = cash - pool
        # 31 December: income, expenses and their allocation to partners
        op_fcf = margin[:, inv] - take[:, inv]
        op_fcf -= c.cit * np.maximum(op_fcf, 0.0)
        if damage is not None:
            for col, fi in front_inv:
                op_fcf[:, col] -= damage[:, fi]
        income = _money(stake * np.maximum(op_fcf, 0.0, out=op_fcf), cents)  # (n, invest)
        other_yield = np.maximum(c.other_mean + c.other_sd * c.vol_scale * z_other[t], 0.0)
        other_income = _money(other_cost * other_yield, cents)
        other_cost = other_cost + pool
        if not c.tax_exempt[t]:
            income = _money(income * (1 - c.cit), cents)
            other_income = _money(other_income * (1 - c.cit), cents)
        income_sum = income @ ones
        cash = cash + income_sum + other_income
        expense = _money(np.minimum(c.fee_rate * nav_start, np.maximum(cash, 0.0)), cents)
        cash = cash - expense
        weights = contributed
        if not math.isnan(c.us_interest[t]):
            weights = np.broadcast_to(np.array([c.us_interest[t], 1 - c.us_interest[t]]), (n, 2))
        basis = int(c.basis[t])
        if cents:
            shares_in = k.allocate_income(income, weights[:, None, :], basis, cents=True).sum(
                axis=1
            )
            shares_in = shares_in + k.allocate_income(other_income, weights, basis, cents=True)
            shares_in = shares_in + k.allocate_income(-expense, weights, basis, cents=True)
        else:  # the same splits, summed first (pro rata is linear)
            shares_in = k.allocate_income(income_sum + other_income - expense, weights, basis)
        capital += shares_in
        # distributions after the lock, by mutual agreement
        dist = np.zeros(n)
        split = dist_y[t]
        if c.lock_open[t] and c.payout > 0:
            free = np.maximum(cash - reserve @ ones, 0.0)
            dist = _money(np.where(u_agree[t] < c.agree_p, c.payout * free, 0.0), cents)
            hurdle = k.us_preferred_hurdle(
                contributed[:, 0],
                us_day_sum,
                us_received,
                _day(year, 12, 31),
                float(c.preferred[t]),
                cents=cents,
            )
            split[:] = k.distribution_split(dist, capital, int(c.rule[t]), hurdle, cents=cents)
            capital -= split
            cash = cash - dist
            us_received += split[:, 0]
        nav_y[t] = cash + invested + other_cost
        cap_y[t] = capital
        own_y[t] = k.ownership_shares(capital, cents=cents)
        if detail:
            fee = np.where(awarded, fee_vec[None, :], 0.0)
            bonus = np.where(awarded, bonus_vec[None, :], 0.0)
            keep["receipts"][:, t] = np.stack(
                [royalty, np.zeros_like(fee), fee, production_share, bonus], axis=-1
            )
            keep["permits"][:, t] = permits
            keep["counted"][:, t] = counted
            keep["new"][:, t] = new
            keep["transfer"][:, t] = transfer
            keep["calls"][:, t, inv] = calls
            keep["other_invest"][:, t] = pool
            keep["income"][:, t, inv] = income
            keep["other_income"][:, t] = other_income
            keep["expense"][:, t] = expense
            keep["distribution"][:, t] = dist
            keep["contributed"][:, t] = contributed
            keep["cash"][:, t] = cash
            keep["in_kind_reserve"][:, t] = in_kind_reserve
            keep["allocated"][:, t] = shares_in
            keep["in_kind"][:, t] = in_kind
            keep["us_cash"][:, t] = us_in
            keep["ua_cash"][:, t] = ua_cash
            keep["ua_multiple"][:, t] = ua_mult
            keep["restricted"][:, t] = restricted_state

    due = np.ascontiguousarray(due_y.T)
    nav = np.ascontiguousarray(nav_y.T)
    own = np.ascontiguousarray(own_y.transpose(1, 0, 2))
    contrib_flow = np.ascontiguousarray(contrib_y.transpose(1, 0, 2))
    dist_flow = np.ascontiguousarray(dist_y.transpose(1, 0, 2))
    cap_path = np.ascontiguousarray(cap_y.transpose(1, 0, 2))
    series = {
        "ukraine_due_usd": due,
        "ukraine_due_uah": due * fx,
        "fund_nav": nav,
        "ownership_dfc": own[:, :, 0],
        "net_position_dfc": np.cumsum(dist_flow[:, :, 0] - contrib_flow[:, :, 0], axis=1),
        "net_position_ppp_agency": np.cumsum(dist_flow[:, :, 1] - contrib_flow[:, :, 1], axis=1),
    }
    disc = (1 + c.discount_rate) ** -t_idx.astype(np.float64)
    scalars: dict[str, FloatArray] = {}
    for p, name in enumerate(k.PARTNERS):
        flows = dist_flow[:, :, p] - contrib_flow[:, :, p]
        terminal = flows.copy()
        terminal[:, -1] += cap_path[:, -1, p]
        scalars[f"npv_{name}"] = flows @ disc
        scalars[f"npv_terminal_{name}"] = terminal @ disc
        scalars[f"irr_{name}"] = irr(terminal)
        net = series[f"net_position_{name}"]
        paid = (net >= 0) & (np.cumsum(dist_flow[:, :, p], axis=1) > 0)
        scalars[f"payback_{name}"] = np.where(
            paid.any(axis=1), paid.argmax(axis=1).astype(np.float64), np.nan
        )
        scalars[f"contributed_{name}"] = contrib_flow[:, :, p].sum(axis=1)
        scalars[f"distributed_{name}"] = dist_flow[:, :, p].sum(axis=1)
        scalars[f"capital_end_{name}"] = cap_path[:, -1, p]
    scalars["ukraine_due_first10_usd"] = due[:, :10].sum(axis=1)
    scalars["in_kind_credit_usd"] = in_kind_total
    scalars["fund_nav_end"] = nav[:, -1]
    if detail:
        stakes = np.zeros((n, dd))
        stakes[:, inv] = stake
        keep.update(
            prices=np.ascontiguousarray(prices.transpose(1, 0, 2)),
            fx=fx,
            due=due,
            start=start.astype(np.float64),
            stake=stakes,
            capital=cap_path,
            ownership=own,
            contributions=contrib_flow,
            distributions=dist_flow,
            nav=nav,
        )
    return Outcome(series=series, scalars=scalars, detail=keep)


def irr(flows: FloatArray, lo: float = -0.99, hi: float = 10.0, steps: int = 60) -> FloatArray:
    """Internal rate of return per row by bisection; NaN where the flows never change sign.

    >>> irr(np.array([[-100.0, 110.0], [-1.0, -1.0]])).round(6).tolist()
    [0.1, nan]
    """
    n, years = flows.shape

    by_year = np.ascontiguousarray(flows.T)  # rows read contiguously in the Horner loop

    def npv(rate: FloatArray) -> FloatArray:
        discount = 1.0 / (1.0 + rate)
        acc = np.zeros(n)
        for t in range(years - 1, -1, -1):  # Horner: Σ f_t v^t
            acc *= discount
            acc += by_year[t]
        return acc

    a = np.full(n, lo)
    b = np.full(n, hi)
    fa = npv(a)
    fb = npv(b)
    valid = (np.sign(fa) * np.sign(fb) < 0) & (flows < 0).any(axis=1) & (flows > 0).any(axis=1)
    for _ in range(steps):
        mid = 0.5 * (a + b)
        fm = npv(mid)
        left = np.sign(fm) == np.sign(fa)
        a = np.where(left, mid, a)
        fa = np.where(left, fm, fa)
        b = np.where(left, b, mid)
    return np.where(valid, 0.5 * (a + b), np.nan)


def run_chunk(
    c: Compiled, blocks: Sequence[tuple[np.random.SeedSequence, int]], cents: bool = False
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """What an executor runs: draw the blocks, evolve, return series and scalars."""
    out = evolve(c, draw_blocks(c, blocks), cents=cents)
    return out.series, out.scalars
