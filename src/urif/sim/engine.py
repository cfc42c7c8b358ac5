"""The Monte Carlo engine: compile a scenario and terms, draw, evolve, per chunk of paths.

Owns ``Compiled`` (a scenario plus the terms in force each year, as arrays), ``Draws``
(every random number a block of paths uses; each draw from its own stream of the
block's child seed), ``evolve`` (the model: arrays shaped ``(path, year[, deposit])``, a loop over
years and never over paths) and ``run_chunk`` (what an executor runs).

Reproducibility: paths come in blocks of ``BLOCK`` paths; block *b* draws from the *b*-th
child of ``SeedSequence.spawn``, each draw (``draw_shapes``) from a stream of its own
(``block_streams``), so a run that reads fewer rows of a draw (``draw_rows``) gets the
same numbers in the rows it reads. A chunk is a run of whole blocks, so the numbers depend
only on the seed and the path count, never on the chunk size or the executor.

Timing inside a year (the dates parity events carry): fx rate 1 January; agreed-revenue
transfer for the previous year 31 March; cash and in-kind contributions 30 June;
licences 1 July; investments 1 July; state receipts, project income, expenses and
distributions 31 December (in that order).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from urif.core.errors import InvalidInput
from urif.rules.licence import in_annex
from urif.rules.lock import lock_end
from urif.sim import kernels as k
from urif.sim.prices import KIND_CODE, CompiledPrices, compile_prices, prices_by_commodity
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
    """Every random input of a set of paths, and only those the model reads.

    Per-year inputs have the path last, so each year's values are one contiguous row;
    per-path inputs have the path first. Year 0 has no price or fx step.
    """

    z_price: FloatArray  # (K, T - 1, n) independent normals, correlated by Cholesky
    z_price_short: FloatArray  # (S, T - 1, n) short-term factor, Schwartz-Smith only
    z_fx: FloatArray  # (T - 1, n)
    u_start: FloatArray  # (n, D) one per deposit: the award/start year, geometric
    u_liberation: FloatArray  # (n, O) one per oblast: the liberation year, by inversion
    u_front: FloatArray  # (F, T, n) one per front-line deposit and year: damage, stops
    u_conversion: FloatArray  # (T, n)
    u_agree: FloatArray  # (T, n)
    u_in_kind: FloatArray  # (T, n)
    z_in_kind: FloatArray  # (T, n)
    z_other: FloatArray  # (T, n)
    u_extra: FloatArray  # (T, n)
    z_permits: FloatArray  # (2, T, n) auction receipts, rent

    @property
    def n(self) -> int:
        """Number of paths."""
        return int(self.u_start.shape[0])


def draw_shapes(c: Compiled) -> dict[str, tuple[tuple[int, ...], int, bool]]:
    """Per-path shape of every draw, the position of the path axis in the stored array,
    and whether it is normal (else uniform); in draw order.

    The layout depends only on the scenario's structure (years, commodities, models,
    deposits, oblasts, front line), never on parameter values or terms, so runs that
    change those (``compare``, ``tornado``) read the same numbers for the same purpose.
    """
    years = c.n_years
    kk = len(c.prices.commodities)
    short = int((c.prices.kind == KIND_CODE["schwartz_smith"]).sum())
    return {
        "z_price": ((kk, years - 1), 2, True),
        "z_price_short": ((short, years - 1), 2, True),
        "z_fx": ((years - 1,), 1, True),
        "u_start": ((len(c.deposits),), 0, False),
        "u_liberation": ((c.liberation_hazard.shape[1],), 0, False),
        "u_front": ((len(c.frontline), years), 2, False),
        "u_conversion": ((years,), 1, False),
        "u_agree": ((years,), 1, False),
        "u_in_kind": ((years,), 1, False),
        "z_in_kind": ((years,), 1, True),
        "z_other": ((years,), 1, True),
        "u_extra": ((years,), 1, False),
        "z_permits": ((2, years), 2, True),
    }


def draw_rows(c: Compiled) -> dict[str, int]:
    """How many leading rows of each draw the model reads without per-deposit detail.

    The price shocks up to the last commodity that the counted and investable deposits
    produce (the Cholesky factor is lower triangular: a commodity's shock reads no later
    row), the short-term factor up to the last of those commodities under Schwartz-Smith,
    the front line up to the last of those deposits on it; every other draw in full
    (per-path draws, stored path first, count as one row). Nothing ``evolve`` returns
    without ``detail`` reads the rows past these.
    """
    rows = {name: shape[0] if axis > 0 else 1 for name, (shape, axis, _) in draw_shapes(c).items()}
    index = columns(c, False).index
    needed = np.unique(c.commodity[index])
    short = np.flatnonzero(c.prices.kind == KIND_CODE["schwartz_smith"])
    front = np.flatnonzero(np.isin(c.frontline, index))
    rows["z_price"] = int(needed.max(initial=-1)) + 1
    rows["z_price_short"] = int(np.flatnonzero(np.isin(short, needed)).max(initial=-1)) + 1
    rows["u_front"] = int(front.max(initial=-1)) + 1
    return rows


def block_streams(seed: np.random.SeedSequence, count: int) -> Iterator[np.random.Generator]:
    """The ``count`` generators of one block, one per draw of ``draw_shapes``, in order.

    Each is SFC64 (the fastest of numpy's bit generators here) seeded as numpy seeds it
    (three words of the seed sequence, a counter of 1, twelve outputs discarded), all from
    one ``generate_state`` call: a seed sequence per draw would cost more than a small
    block's draws. A stream per draw lets a run skip the rows nobody reads (``draw_rows``)
    without moving any other number. The same generator object is re-seeded in place, so
    each is valid until the next is yielded.
    """
    words = seed.generate_state(3 * count, np.uint64)
    bits = np.random.SFC64(seed)
    rng = np.random.Generator(bits)
    for i in range(count):
        state = np.array([*words[3 * i : 3 * i + 3], 1], dtype=np.uint64)
        bits.state = {
            "bit_generator": "SFC64",
            "state": {"state": state},
            "has_uint32": 0,
            "uinteger": 0,
        }
        bits.random_raw(12)
        yield rng


def fill_block(
    shapes: Mapping[str, tuple[tuple[int, ...], int, bool]],
    seed: np.random.SeedSequence,
    parts: Mapping[str, FloatArray],
    rows: Mapping[str, int] | None = None,
) -> None:
    """Fill one block's ``parts`` (each draw of ``shapes``, block-sized, the path axis
    where ``shapes`` stores it) from the block's streams: the leading ``rows[name]`` rows
    of each draw stored path last (all when ``rows`` is not given), zeros in the rest."""
    from urif.sim.native import fill_normal  # numba: imported when a run draws

    for (name, (shape, axis, normal)), rng in zip(
        shapes.items(), block_streams(seed, len(shapes)), strict=True
    ):
        part = parts[name]
        if rows is not None and axis > 0 and rows[name] < shape[0]:
            part[rows[name] :] = 0.0
            part = part[: rows[name]]
        if normal:
            fill_normal(rng, part)
        else:
            rng.random(out=part)


def draw_blocks(c: Compiled, blocks: Sequence[tuple[np.random.SeedSequence, int]]) -> Draws:
    """Every draw of consecutive blocks, each from its own child seed, stacked on paths.

    Each block fills (``fill_block``) its rows of the per-path inputs directly and a
    block-sized buffer of each per-year input (a generator writes only contiguous arrays),
    copied into the block's columns.
    """
    total = sum(size for _, size in blocks)
    shapes = draw_shapes(c)

    def with_paths(shape: tuple[int, ...], axis: int, size: int) -> tuple[int, ...]:
        return (*shape[:axis], size, *shape[axis:])

    arrays = {name: np.empty(with_paths(*spec[:2], total)) for name, spec in shapes.items()}
    buffers: dict[int, dict[str, FloatArray]] = {}
    row = 0
    for seed, size in blocks:
        if size not in buffers:
            buffers[size] = {
                name: np.empty(with_paths(*spec[:2], size)) for name, spec in shapes.items()
            }
        parts = {
            name: arrays[name][row : row + size] if axis == 0 else buffers[size][name]
            for name, (_, axis, _) in shapes.items()
        }
        fill_block(shapes, seed, parts)
        for name, (_, axis, _) in shapes.items():
            if axis > 0:
                arrays[name][(slice(None),) * axis + (slice(row, row + size),)] = parts[name]
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
    """Per-deposit schedules by signed years since start, ``(D, 2T)``: column ``T + age``
    for ages ``-T .. T-1``; negative ages (not started yet, or never: start clipped to
    ``T``) are zero. One gather by ``T + t - start`` replaces the clip-and-where chains.
    """

    capex: FloatArray
    rate: FloatArray  # production rate before disruption
    building: NDArray[np.bool_]
    reserve_done: NDArray[np.bool_]  # the commitment's reserve is released from this age


def age_tables(c: Compiled) -> AgeTables:
    """The schedules of every deposit by signed age (years since its start)."""
    dd, years = len(c.deposits), c.n_years
    capex = np.zeros((dd, 2 * years))
    rate = np.zeros((dd, 2 * years))
    building = np.zeros((dd, 2 * years), dtype=bool)
    done = np.zeros((dd, 2 * years), dtype=bool)
    lcap, lramp = c.capex.shape[1], c.ramp.shape[1]
    for j in range(dd):
        build = int(c.build[j])
        for age in range(years):
            col = years + age
            building[j, col] = age < build
            if age < build:
                capex[j, col] = c.capex[j, min(age, lcap - 1)]
            prod = age - build
            if 0 <= prod < int(c.life[j]):
                ramped = prod < int(c.ramp_len[j])
                rate[j, col] = c.ramp[j, min(prod, lramp - 1)] if ramped else 1.0
            done[j, col] = age >= build - 1
    return AgeTables(capex, rate, building, done)


def liberation_cdf(c: Compiled) -> FloatArray:
    """P(an occupied oblast is freed by year index t), ``(T, O)``; hazards from year 1."""
    survive = np.cumprod(1.0 - c.liberation_hazard[1:], axis=0)
    return np.vstack([np.zeros((1, c.liberation_hazard.shape[1])), 1.0 - survive])


def liberation_years(c: Compiled, u: FloatArray, never: int) -> IntArray:
    """Year index each oblast is freed, ``(n, O)``, by inverting its distribution at ``u``.

    The first year t >= 1 with ``u < cdf[t]``: the same law as a yearly hazard draw, one
    uniform per oblast instead of one per year.
    """
    cdf = liberation_cdf(c)
    free = np.empty(u.shape, dtype=np.int64)
    for o in range(u.shape[1]):
        free[:, o] = np.searchsorted(cdf[:, o], u[:, o], side="right")
    free[free >= c.n_years] = never
    return free


def start_years(c: Compiled, free_at: IntArray, u: FloatArray, never: int) -> IntArray:
    """Year index each deposit is awarded or starts development, ``(n, D)``.

    Not developed: the first year from the threshold (start_min, and for occupied ground
    the liberation year plus the lag) in which a yearly chance ``p`` comes up, i.e. the
    threshold plus a geometric number of failures, ``floor(ln(1 - u) / ln(1 - p))`` for
    one uniform ``u``. Developed: already producing, from the liberation (plus lag) if
    occupied. ``never`` where that year is past the horizon.
    """
    groups = c.occupied_group
    occupied = groups >= 0
    available = np.zeros((len(u), len(groups)), dtype=np.int64)
    available[:, occupied] = free_at[:, groups[occupied]] + c.lag
    p = c.start_p
    with np.errstate(divide="ignore", invalid="ignore"):
        fails = np.floor(np.log1p(-u) / np.log1p(-np.minimum(p, 1.0)))
    fails = np.where(p > 0, np.minimum(fails, never), never)
    start = np.maximum(c.start_min, available) + fails.astype(np.int64)
    developed = c.status == STATUS["existing_developed"]
    start[:, developed] = available[:, developed]
    start[start >= c.n_years] = never
    return start


@dataclass(frozen=True, slots=True)
class Columns:
    """The deposits ``evolve`` works on, ordered so the fund's investable ones and the
    ones that can count toward Ukraine's share are each one slice (views, not copies).
    """

    index: IntArray  # original deposit index of each column
    invest: slice
    counted: slice


def countable(c: Compiled) -> NDArray[np.bool_]:
    """Deposits whose receipts can count toward Ukraine's share in some year."""
    developed = c.status == STATUS["existing_developed"]
    fixed = np.zeros(len(c.deposits), dtype=bool)
    for t in range(c.n_years):
        fixed |= k.is_new_licence(
            c.issued_index, developed, int(c.reading[t]), int(c.first_new_index[t])
        )
    return np.asarray(c.annex.any(axis=0) & ((c.status == STATUS["none"]) | fixed), dtype=bool)


def columns(c: Compiled, every: bool) -> Columns:
    """Investable only, both, countable only, then (with ``every``) the rest.

    Without ``every``, deposits the fund never invests in and whose receipts never count
    are left out: nothing ``evolve`` returns depends on them.
    """
    inv, cnt = c.invest, countable(c)
    parts = [inv & ~cnt, inv & cnt, ~inv & cnt]
    if every:
        parts.append(~inv & ~cnt)
    index = np.concatenate([np.flatnonzero(m) for m in parts])
    a, b, d = (int(m.sum()) for m in parts[:3])
    return Columns(index, slice(0, a + b), slice(a, a + b + d))


def _keep(d: dict[str, FloatArray], n: int, years: int, dd: int) -> None:
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
        d[name] = np.zeros(shape)


def running_sum(x: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """``np.cumsum(x, axis=0)`` by adding rows (numpy's accumulate along a leading axis
    walks the columns one by one: ten times slower on ``(year, path)`` arrays).

    >>> running_sum(np.array([[1.0, 2.0], [3.0, 4.0]])).tolist()
    [[1.0, 2.0], [4.0, 6.0]]
    """
    acc = np.empty_like(x) if out is None else out
    acc[0] = x[0]
    for t in range(1, len(x)):
        np.add(acc[t - 1], x[t], out=acc[t])
    return acc


def _split2(
    amount: FloatArray, w0: FloatArray | float, w1: FloatArray | float
) -> tuple[FloatArray, FloatArray]:
    """``kernels.split`` in float mode on two weight arrays (no ``(n, 2)`` stacking)."""
    w0, w1 = np.maximum(w0, 0.0), np.maximum(w1, 0.0)
    total = w0 + w1
    none = total <= 0
    if np.any(none):
        w0, w1 = np.where(none, 1.0, w0), np.where(none, 1.0, w1)
        total = w0 + w1
    return amount * w0 / total, amount * w1 / total


def evolve(
    c: Compiled, d: Draws, *, cents: bool = False, detail: bool = False, native: bool = True
) -> Outcome:
    """Run the model on the draws: the fund's years for every path at once.

    In float mode without ``detail`` (every run but ledger parity and the per-deposit
    detail) this is ``native.evolve_native``, the same model compiled one path at a time
    and checked equal to this code; ``native=False`` runs the array code below.

    Awards, starts and liberations are drawn as years up front; then one loop over years
    in which every quantity is an array over ``([deposit,] path)``, deposit-major so that
    sums over deposits add contiguous rows (no BLAS call, whose threads spin on the other
    core). Stakes, reserves, calls and income live on the investable deposits alone;
    deposits that cannot reach any output are skipped unless ``detail`` asks for all.
    """
    if native and not cents and not detail:
        from urif.sim.native import evolve_native

        return evolve_native(c, d)
    n, years, dd = d.n, c.n_years, len(c.deposits)
    never = years + 10_000
    t_idx = np.arange(years)

    def money(x: FloatArray) -> FloatArray:
        return k.round_cents(x) if cents else x

    cols = columns(c, detail)
    ci, inv, cnt = cols.index, cols.invest, cols.counted
    nc, ni = len(ci), inv.stop
    # prices of the commodities these deposits produce, (Kr, T, n)
    needed = np.arange(len(c.prices.commodities)) if detail else np.unique(c.commodity[ci])
    prices = prices_by_commodity(c.prices, d.z_price, d.z_price_short, c.vol_scale, needed)
    cmap = np.searchsorted(needed, c.commodity[ci])
    same_prices = len(cmap) == len(needed) and bool(np.all(cmap == np.arange(nc)))
    fx_sigma = c.fx_sigma * c.vol_scale
    fx_y = np.empty((years, n))  # UAH per USD
    fx_y[0] = 0.0
    running_sum(d.z_fx * fx_sigma + (c.fx_drift - 0.5 * fx_sigma**2), out=fx_y[1:])
    np.exp(fx_y, out=fx_y)
    fx_y *= c.fx0

    # awards, starts and liberation as year indices, drawn up front
    free_at = liberation_years(c, d.u_liberation, never)
    start_all = start_years(c, free_at, d.u_start, never)
    start = np.ascontiguousarray(start_all[:, ci].T)  # (nc, n)
    # flat index into each column's signed-age tables: base + t is column T + (t - start)
    base = (np.arange(nc) * 2 * years + years)[:, None] - np.minimum(start, years)
    tables = age_tables(c)
    full_output = c.full_output[ci]
    output_flat = (tables.rate[ci] * full_output[:, None]).ravel()  # output at this age
    active_flat = (tables.building[ci] | (tables.rate[ci] > 0)).ravel()
    inv_capex = tables.capex[ci[inv]].ravel()  # the investable columns come first: the
    inv_open = (~tables.reserve_done[ci[inv]]).astype(np.float64).ravel()  # same offsets
    is_none = c.status[ci] == STATUS["none"]
    developed = c.status[ci] == STATUS["existing_developed"]
    psa = c.psa[ci]
    royalty_rate = np.where(psa, 0.0, c.royalty[ci])[:, None]
    psa_share = np.where(psa, c.psa_share[ci], 0.0)[:, None]
    opex = c.opex[ci][:, None]
    total_capex = c.capex.sum(axis=1)
    fee_vec = money(np.where(is_none & ~psa, c.permit_fee[ci], 0.0))
    bonus_vec = money(np.where(is_none & psa, c.signing_bonus[ci], 0.0))
    # the front line: one uniform a year decides damage (p_damage) and any stop (p_stop)
    front_line = [int(j) for j in c.frontline]
    f_cols = np.flatnonzero(np.isin(ci, c.frontline))
    f_draw = np.array([front_line.index(int(ci[col])) for col in f_cols], dtype=np.int64)
    f_capex = np.where(total_capex[ci[f_cols]] > 0, total_capex[ci[f_cols]], 0.0)[:, None]
    f_output = full_output[f_cols][:, None]
    p_stop = 1.0 - (1.0 - c.p_disrupt) * (1.0 - c.p_damage)
    front_inv = [(int(col), fi) for fi, col in enumerate(f_cols) if col < ni]

    # receipts counted toward Ukraine's share: per-year column weights, and the awards'
    # fees and bonuses and the other permits' receipts, both fixed by the draws
    counts = c.item_counts.astype(np.float64)
    weight_y = np.zeros((years, nc, 1))
    strict_after = np.zeros(years, dtype=bool)  # newness of awards depends on their year
    for t in range(years):
        reading, first_new = int(c.reading[t]), int(c.first_new_index[t])
        fixed = k.is_new_licence(c.issued_index[ci], developed, reading, first_new)
        newable = np.where(is_none, True, fixed) & c.annex[t][ci]
        weight_y[t, :, 0] = np.where(psa, counts[t, 3], counts[t, 0]) * newable
        strict_after[t] = reading == k.READING["strict"] and first_new > 0
    award_y = np.zeros((years, n))
    award_new = (c.reading != k.READING["strict"]) | (t_idx >= c.first_new_index)
    for col in np.flatnonzero(is_none):
        on = start[col] < years
        at = start[col][on]
        value = fee_vec[col] * counts[:, 2] + bonus_vec[col] * counts[:, 4]
        value *= award_new & c.annex[:, ci[col]]
        award_y[at, np.flatnonzero(on)] += value[at]
    vol = c.permits_sigma * c.vol_scale
    permits = np.exp(vol * d.z_permits - 0.5 * vol**2)  # (2, T, n) auction receipts, rent
    permits[0] *= c.permits_auction[:, None]
    permits[1] *= c.permits_royalty[:, None]
    permits = money(permits)
    permits_on = (t_idx >= c.first_new_index) | (c.reading == k.READING["all"])
    permit_y = permits[0] * counts[:, 2, None] + permits[1] * counts[:, 0, None]
    permit_y *= permits_on[:, None]

    # contributions fixed by the draws, (T, n)
    aid_sigma = c.in_kind_sigma * c.vol_scale
    aid = np.where(
        d.u_in_kind < c.in_kind_p, np.exp(aid_sigma * d.z_in_kind - 0.5 * aid_sigma**2), 0.0
    )
    aid *= c.in_kind_mean[:, None]
    in_kind_y = money(aid) * c.in_kind_ok[:, None]
    extra = np.where(d.u_extra < c.ua_extra_p, c.ua_extra_uah[:, None], 0.0) / fx_y
    ua_cash_y = money(c.ua_cash[:, None] + extra)
    c0_y = c.us_cash[:, None] + in_kind_y  # the US side's contributions (cash, in-kind)
    ua_mult_y = money(c.ua_multiple[:, None] * c0_y)
    ua_fixed_y = ua_cash_y + ua_mult_y
    other_yield_y = np.maximum(c.other_mean + c.other_sd * c.vol_scale * d.z_other, 0.0)
    agree_y = d.u_agree < c.agree_p

    # path state
    restricted = np.zeros(n, dtype=bool)
    cash = np.zeros(n)
    reserve = np.zeros((ni, n))
    stake = np.zeros((ni, n))
    invested = np.zeros(n)
    other_cost = np.zeros(n)
    contributed0, contributed1 = np.zeros(n), np.zeros(n)
    capital0, capital1 = np.zeros(n), np.zeros(n)
    us_day_sum = np.zeros(n)
    us_received = np.zeros(n)
    pending = np.zeros(n)
    in_kind_reserve = np.zeros(n)
    # yearly outputs, (T, n)
    due_y = np.zeros((years, n))
    nav_y = np.zeros((years, n))
    own_y = np.zeros((years, n))
    c1_y = np.zeros((years, n))
    d0_y = np.zeros((years, n))
    d1_y = np.zeros((years, n))
    keep: dict[str, FloatArray] = {}
    if detail:
        _keep(keep, n, years, dd)
        cap_y = np.zeros((years, n, 2))
        own_both = np.zeros((years, n, 2))
    if c.past_aid_usd > 0:
        credit = money(np.full(n, c.past_aid_usd))
        contributed0 += credit
        capital0 += credit
        in_kind_reserve += credit
        us_day_sum += credit * _day(c.years[0], 1, 1)
    # who starts each investable project each year: paths grouped by start year
    by_start = [np.argsort(start[i], kind="stable") for i in range(ni)]
    bounds = [np.searchsorted(start[i][o], np.arange(years + 1)) for i, o in enumerate(by_start)]
    idx = np.empty((nc, n), dtype=np.int64)
    scratch = np.empty((nc, n))
    hurdles = bool((c.rule == k.RULE["us_first_preferred"]).any())

    for t, year in enumerate(c.years):
        # production of every column at its age this year, then the front line's stops
        np.add(base, t, out=idx)
        output = output_flat.take(idx)
        price = prices[:, t] if same_prices else prices[:, t].take(cmap, axis=0)
        damage = None
        if len(f_cols):
            u = d.u_front[f_draw, t]
            damaged = u < c.p_damage[t]
            damaged &= active_flat.take(idx[f_cols])
            full_rev = f_output * price[f_cols]
            damage = np.where(
                damaged, c.damage_fraction * np.where(f_capex > 0, f_capex, full_rev), 0.0
            )
            output[f_cols] = np.where(u < p_stop[t], 0.0, output[f_cols])
        revenue = output * price
        margin = np.multiply(output, opex, out=scratch)
        np.subtract(revenue, margin, out=margin)
        royalty = np.multiply(revenue, royalty_rate, out=revenue)
        production_share = np.maximum(margin, 0.0, out=output)
        production_share *= psa_share
        if cents:
            royalty, production_share = money(royalty), money(production_share)
        take = royalty + production_share  # the state's take: one of the two is zero
        # Ukraine's agreed revenue accrued this year (USD at the year's rate)
        counted_by = take[cnt] * weight_y[t, cnt]
        if strict_after[t]:  # awards before the cut-off are not new licences
            for col in np.flatnonzero(is_none[cnt]):
                counted_by[col] *= start[cnt][col] >= c.first_new_index[t]
        counted = counted_by.sum(axis=0)
        counted += award_y[t]
        counted += permit_y[t]
        due_y[t] = k.ukraine_share(counted, float(c.revenue_share[t]), cents=cents)

        # policy: restricted conversion (a two-state Markov chain, plus forced years)
        u_conv = d.u_conversion[t]
        restricted = np.where(restricted, u_conv >= c.conv_end, u_conv < c.conv_start)
        restricted |= bool(c.conv_forced[t])
        # 31 March: last year's agreed revenue (and any held back) unless restricted
        if t > 0:
            pending += due_y[t - 1]
        transfer = np.where(restricted, 0.0, pending)
        pending -= transfer
        # 30 June: cash and in-kind contributions
        ua_in = ua_fixed_y[t] + transfer
        nav_start = cash + invested + other_cost
        cash = cash + c.us_cash[t]
        cash += ua_in
        contrib0 = c0_y[t]
        contributed0 += contrib0
        contributed1 += ua_in
        capital0 += contrib0
        capital1 += ua_in
        c1_y[t] = ua_in
        if hurdles:
            us_day_sum += contrib0 * _day(year, 6, 30)
        # 1 July: commitments to projects starting now, capex calls, then the wider pool
        for i in range(ni):
            want = c.equity_share[ci[i]] * total_capex[ci[i]]
            lo, hi = bounds[i][t], bounds[i][t + 1]
            if hi == lo or want <= 0 or not c.sector_ok[t, ci[i]]:
                continue
            who = by_start[i][lo:hi]
            room = np.maximum(cash[who] - reserve[:, who].sum(axis=0), 0.0)
            commit = np.minimum(want, room * c.max_cash_fraction)
            stake[i, who] = commit / total_capex[ci[i]]
            reserve[i, who] += commit
            if detail:
                keep["commit"][who, t, ci[i]] = commit
        inv_idx = idx[inv]
        calls = money(stake * inv_capex.take(inv_idx))
        need = calls.sum(axis=0)
        short = need > np.maximum(cash, 0.0)
        if short.any():  # only by rounding: commitments reserve the cash for every call
            scale = np.maximum(cash, 0.0) / np.where(need > 0, need, 1.0)
            calls = np.where(short, calls * scale, calls)
            need = calls.sum(axis=0)
        cash -= need
        invested += need
        reserve -= calls
        np.maximum(reserve, 0.0, out=reserve)
        reserve *= inv_open.take(inv_idx)  # released once the build is done
        pool = money(c.other_share * np.maximum(cash - reserve.sum(axis=0), 0.0))
        cash -= pool
        # 31 December: income, expenses and their allocation to partners
        op_fcf = margin[inv] - take[inv]
        op_fcf -= c.cit * np.maximum(op_fcf, 0.0)
        if damage is not None:
            for i, fi in front_inv:
                op_fcf[i] -= damage[fi]
        income = money(stake * np.maximum(op_fcf, 0.0, out=op_fcf))  # (invest, n)
        other_income = money(other_cost * other_yield_y[t])
        other_cost += pool
        if not c.tax_exempt[t]:
            income = money(income * (1 - c.cit))
            other_income = money(other_income * (1 - c.cit))
        income_sum = income.sum(axis=0)
        cash += income_sum
        cash += other_income
        expense = money(np.minimum(c.fee_rate * nav_start, np.maximum(cash, 0.0)))
        cash -= expense
        basis = int(c.basis[t])
        fixed_interest = not math.isnan(c.us_interest[t])
        if cents:
            weights = np.stack([contributed0, contributed1], axis=1)
            if fixed_interest:
                weights = np.broadcast_to(
                    np.array([c.us_interest[t], 1 - c.us_interest[t]]), (n, 2)
                )
            shares_in = k.allocate_income(income.T, weights[:, None, :], basis, cents=True)
            shares_in = shares_in.sum(axis=1)
            shares_in = shares_in + k.allocate_income(other_income, weights, basis, cents=True)
            shares_in = shares_in + k.allocate_income(-expense, weights, basis, cents=True)
            in0, in1 = shares_in[:, 0], shares_in[:, 1]
        else:  # the same splits, summed first (pro rata is linear)
            amount = income_sum + other_income - expense
            if basis == k.BASIS["fixed_50_50"]:
                in0, in1 = _split2(amount, 1.0, 1.0)
            elif fixed_interest:
                in0, in1 = _split2(amount, c.us_interest[t], 1 - c.us_interest[t])
            else:
                in0, in1 = _split2(amount, contributed0, contributed1)
        capital0 += in0
        capital1 += in1
        # distributions after the lock, by mutual agreement
        dist = np.zeros(n)
        if c.lock_open[t] and c.payout > 0:
            free = np.maximum(cash - reserve.sum(axis=0), 0.0)
            dist = money(np.where(agree_y[t], c.payout * free, 0.0))
            rule = int(c.rule[t])
            hurdle = None
            if rule == k.RULE["us_first_preferred"]:
                hurdle = k.us_preferred_hurdle(
                    contributed0,
                    us_day_sum,
                    us_received,
                    _day(year, 12, 31),
                    float(c.preferred[t]),
                    cents=cents,
                )
            if cents:
                capital = np.stack([capital0, capital1], axis=1)
                parts = k.distribution_split(dist, capital, rule, hurdle, cents=True)
                out0, out1 = parts[:, 0], parts[:, 1]
            elif rule == k.RULE["fixed_50_50"]:
                out0, out1 = _split2(dist, 1.0, 1.0)
            else:
                first = np.zeros(n)
                if hurdle is not None:
                    first = np.minimum(np.maximum(hurdle, 0.0), dist)
                out0, out1 = _split2(dist - first, capital0, capital1)
                out0 = out0 + first
            capital0 -= out0
            capital1 -= out1
            cash -= dist
            us_received += out0
            d0_y[t], d1_y[t] = out0, out1
        np.add(cash, invested, out=nav_y[t])
        nav_y[t] += other_cost
        if cents or detail:
            own = k.ownership_shares(np.stack([capital0, capital1], axis=1), cents=cents)
            own_y[t] = own[:, 0]
        else:  # partner 0's share of positive capital (``ownership_shares``, one column)
            w0 = np.maximum(capital0, 0.0)
            total = w0 + np.maximum(capital1, 0.0)
            positive = total > 0
            own_y[t] = w0 / np.where(positive, total, 1.0) * positive
        if detail:
            in_kind_reserve += in_kind_y[t]
            cap_y[t, :, 0], cap_y[t, :, 1] = capital0, capital1
            own_both[t] = own
            awarded = start == t
            fee = np.where(awarded, fee_vec[:, None], 0.0)
            bonus = np.where(awarded, bonus_vec[:, None], 0.0)
            keep["receipts"][:, t, ci] = np.stack(
                [royalty.T, np.zeros_like(fee.T), fee.T, production_share.T, bonus.T], axis=-1
            )
            keep["permits"][:, t] = permits[:, t].T
            keep["counted"][:, t] = counted
            reading, first_new = int(c.reading[t]), int(c.first_new_index[t])
            now = np.where(start <= t, start, never)
            new = k.is_new_licence(now, False, reading, first_new)
            new &= (is_none & c.annex[t][ci])[:, None]
            fixed = k.is_new_licence(c.issued_index[ci], developed, reading, first_new)
            new |= (~is_none & fixed & c.annex[t][ci])[:, None]
            keep["new"][:, t, ci] = new.T
            keep["transfer"][:, t] = transfer
            keep["calls"][:, t, ci[inv]] = calls.T
            keep["other_invest"][:, t] = pool
            keep["income"][:, t, ci[inv]] = income.T
            keep["other_income"][:, t] = other_income
            keep["expense"][:, t] = expense
            keep["distribution"][:, t] = dist
            keep["contributed"][:, t, 0] = contributed0
            keep["contributed"][:, t, 1] = contributed1
            keep["cash"][:, t] = cash
            keep["in_kind_reserve"][:, t] = in_kind_reserve
            keep["allocated"][:, t, 0], keep["allocated"][:, t, 1] = in0, in1
            keep["in_kind"][:, t] = in_kind_y[t]
            keep["us_cash"][:, t] = c.us_cash[t]
            keep["ua_cash"][:, t] = ua_cash_y[t]
            keep["ua_multiple"][:, t] = ua_mult_y[t]
            keep["restricted"][:, t] = restricted

    # per-path outputs: (T, n) arrays handed back as (path, year) views
    disc = ((1 + c.discount_rate) ** -t_idx.astype(np.float64))[:, None]
    series: dict[str, FloatArray] = {
        "ukraine_due_usd": due_y.T,
        "ukraine_due_uah": (due_y * fx_y).T,
        "fund_nav": nav_y.T,
        "ownership_dfc": own_y.T,
    }
    scalars: dict[str, FloatArray] = {}
    partners = ((c0_y, d0_y, capital0), (c1_y, d1_y, capital1))
    for (contrib_y, dist_y, capital_end), name in zip(partners, k.PARTNERS, strict=True):
        flows = dist_y - contrib_y
        net = running_sum(flows)
        series[f"net_position_{name}"] = net.T
        terminal = flows.copy()
        terminal[-1] += capital_end
        scalars[f"npv_{name}"] = (flows * disc).sum(axis=0)
        scalars[f"npv_terminal_{name}"] = (terminal * disc).sum(axis=0)
        scalars[f"irr_{name}"] = irr_by_year(terminal)
        paid = net >= 0
        paid &= running_sum(dist_y) > 0
        scalars[f"payback_{name}"] = np.where(
            paid.any(axis=0), paid.argmax(axis=0).astype(np.float64), np.nan
        )
        scalars[f"contributed_{name}"] = contrib_y.sum(axis=0)
        scalars[f"distributed_{name}"] = dist_y.sum(axis=0)
        scalars[f"capital_end_{name}"] = capital_end
    scalars["ukraine_due_first10_usd"] = due_y[:10].sum(axis=0)
    scalars["in_kind_credit_usd"] = in_kind_y.sum(axis=0)
    scalars["fund_nav_end"] = nav_y[-1]
    if detail:
        stakes = np.zeros((n, dd))
        stakes[:, ci[inv]] = stake.T
        keep.update(
            prices=np.ascontiguousarray(prices.transpose(2, 1, 0)),
            fx=np.ascontiguousarray(fx_y.T),
            due=np.ascontiguousarray(due_y.T),
            start=start_all.astype(np.float64),
            stake=stakes,
            capital=np.ascontiguousarray(cap_y.transpose(1, 0, 2)),
            ownership=np.ascontiguousarray(own_both.transpose(1, 0, 2)),
            contributions=np.stack([c0_y.T, c1_y.T], axis=-1),
            distributions=np.stack([d0_y.T, d1_y.T], axis=-1),
            nav=np.ascontiguousarray(nav_y.T),
        )
    return Outcome(series=series, scalars=scalars, detail=keep)


def irr(flows: FloatArray, lo: float = -0.99, hi: float = 10.0) -> FloatArray:
    """Internal rate of return per row; NaN where the flows never change sign.

    >>> irr(np.array([[-100.0, 110.0], [-1.0, -1.0]])).round(6).tolist()
    [0.1, nan]
    """
    return irr_by_year(np.ascontiguousarray(flows.T), lo, hi)


IRR_BISECTIONS = 8
IRR_NEWTON = 6


def irr_by_year(by_year: FloatArray, lo: float = -0.99, hi: float = 10.0) -> FloatArray:
    """``irr`` of flows stored year-major, ``(T, n)``: bisection, then safeguarded Newton.

    ``IRR_BISECTIONS`` halvings of ``[lo, hi]`` (as the bisection alone would) narrow
    the bracket to 1/256 of it; ``IRR_NEWTON`` Newton steps from its middle, each kept
    inside the bracket (a step that leaves it bisects instead) and each narrowing it by
    the sign of the NPV, converge to the root to machine precision (60 halvings did).
    """
    years, n = by_year.shape
    valid = (by_year < 0).any(axis=0) & (by_year > 0).any(axis=0)
    f = by_year[:, valid] if not valid.all() else by_year
    m = f.shape[1]

    def npv(rate: FloatArray) -> FloatArray:
        v = 1.0 / (1.0 + rate)
        acc: FloatArray = f[years - 1].copy()
        for t in range(years - 2, -1, -1):  # Horner: Σ f_t v^t
            acc *= v
            acc += f[t]
        return acc

    def npv_slope(rate: FloatArray) -> tuple[FloatArray, FloatArray]:
        v = 1.0 / (1.0 + rate)
        acc: FloatArray = f[years - 1].copy()
        dacc = np.zeros(m)
        for t in range(years - 2, -1, -1):  # Horner for P(v) and P'(v)
            dacc *= v
            dacc += acc
            acc *= v
            acc += f[t]
        return acc, dacc * -(v * v)  # dNPV/dr = P'(v) dv/dr, dv/dr = -v²

    a = np.full(m, lo)
    b = np.full(m, hi)
    fa = npv(a)
    ok = np.sign(fa) * np.sign(npv(b)) < 0
    for _ in range(IRR_BISECTIONS):
        mid = 0.5 * (a + b)
        fm = npv(mid)
        left = np.sign(fm) == np.sign(fa)
        a = np.where(left, mid, a)
        fa = np.where(left, fm, fa)
        b = np.where(left, b, mid)
    x = a.copy()  # from the end where NPV has the sign it has at ``lo``
    for _ in range(IRR_NEWTON):
        fx, slope = npv_slope(x)
        left = np.sign(fx) == np.sign(fa)
        a = np.where(left, x, a)
        fa = np.where(left, fx, fa)
        b = np.where(left, b, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            delta = fx / slope
        step = x - delta
        inside = (step > a) & (step < b)
        # at the root a step may land on or an ulp past the bracket's end: keep it, clipped
        settled = np.abs(delta) <= 1e-12 * (1 + np.abs(x))
        x = np.where(inside, step, np.where(settled, np.clip(step, a, b), 0.5 * (a + b)))
    out = np.full(n, np.nan)
    out[valid] = np.where(ok, x, np.nan)
    return out


def run_chunk(
    c: Compiled, blocks: Sequence[tuple[np.random.SeedSequence, int]], cents: bool = False
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """What an executor runs: draw the blocks, evolve, return series and scalars.

    In float mode, block by block through the compiled model (``native.run_blocks``):
    the same numbers as drawing the chunk and calling ``evolve``.
    """
    if not cents:
        from urif.sim.native import run_blocks

        return run_blocks(c, blocks)
    out = evolve(c, draw_blocks(c, blocks), cents=cents)
    return out.series, out.scalars
