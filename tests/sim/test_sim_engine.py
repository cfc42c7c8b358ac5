"""The engine: reproducible on any chunking, faithful to the fund's rules on every path."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from urif.sim.engine import (
    BLOCK,
    Compiled,
    block_seeds,
    block_streams,
    columns,
    compile_model,
    draw_blocks,
    draw_rows,
    draw_shapes,
    evolve,
    fill_block,
)
from urif.sim.executors import LocalExecutor
from urif.sim.prices import KIND_CODE
from urif.sim.scenario import ScenarioSpec
from urif.sim.simulation import simulate
from urif.terms.model import Terms

from .conftest import terms_for


def _same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    for name, value in a.items():
        np.testing.assert_array_equal(value, b[name])


def test_same_seed_same_numbers_for_any_chunk_size_and_workers(compiled: Compiled) -> None:
    paths = 3 * BLOCK + 100
    one = simulate(compiled, paths, np.random.default_rng(7), chunk_size=paths)
    small = simulate(compiled, paths, np.random.default_rng(7), chunk_size=BLOCK)
    pool = simulate(
        compiled,
        paths,
        np.random.default_rng(7),
        chunk_size=2 * BLOCK,
        executor=LocalExecutor(workers=2),
    )
    _same(one.series, small.series)
    _same(one.scalars, small.scalars)
    _same(one.scalars, pool.scalars)
    other = simulate(compiled, paths, np.random.default_rng(8), chunk_size=paths)
    assert not np.array_equal(one.scalars["npv_dfc"], other.scalars["npv_dfc"])


def test_the_first_paths_do_not_depend_on_the_path_count(compiled: Compiled) -> None:
    short = simulate(compiled, BLOCK, np.random.default_rng(3))
    long = simulate(compiled, 2 * BLOCK, np.random.default_rng(3))
    np.testing.assert_array_equal(short.series["fund_nav"], long.series["fund_nav"][:BLOCK])


def test_each_draw_stream_is_seeded_as_numpy_seeds_sfc64() -> None:
    seed = np.random.SeedSequence(11).spawn(2)[1]
    words = seed.generate_state(3 * 4, np.uint64)
    streams = [g.bit_generator.state["state"]["state"].copy() for g in block_streams(seed, 4)]
    # the first from the seed's first three words, as SFC64(seed) does itself
    np.testing.assert_array_equal(streams[0], np.random.SFC64(seed).state["state"]["state"])
    for i, state in enumerate(streams):
        want = np.random.SFC64(0)
        want.state = {
            "bit_generator": "SFC64",
            "state": {"state": np.array([*words[3 * i : 3 * i + 3], 1], dtype=np.uint64)},
            "has_uint32": 0,
            "uinteger": 0,
        }
        want.random_raw(12)
        np.testing.assert_array_equal(state, want.state["state"]["state"])
    assert len({tuple(s) for s in streams}) == 4


def test_rows_left_undrawn_move_no_other_number(compiled: Compiled) -> None:
    shapes = draw_shapes(compiled)
    seed = block_seeds(np.random.default_rng(4), 64)[0][0]

    def block() -> dict[str, np.ndarray]:
        return {
            name: np.full((*shape[:axis], 64, *shape[axis:]), np.nan)
            for name, (shape, axis, _) in shapes.items()
        }

    full, part = block(), block()
    fill_block(shapes, seed, full)
    rows = {
        name: max(0, shape[0] - 1 - i % 2) if axis > 0 else 1
        for i, (name, (shape, axis, _)) in enumerate(shapes.items())
    }
    fill_block(shapes, seed, part, rows)
    for name, (_, axis, _) in shapes.items():
        assert not np.isnan(full[name]).any()
        if axis == 0:
            np.testing.assert_array_equal(part[name], full[name], err_msg=name)
            continue
        np.testing.assert_array_equal(part[name][: rows[name]], full[name][: rows[name]])
        assert not part[name][rows[name] :].any(), name  # zeros, not stale numbers


def test_draw_rows_cover_every_commodity_and_front_line_deposit_the_model_reads(
    compiled: Compiled,
) -> None:
    rows = draw_rows(compiled)
    index = columns(compiled, False).index
    produced = set(compiled.commodity[index].tolist())
    assert rows["z_price"] == max(produced) + 1
    assert rows["z_price"] < len(compiled.prices.commodities)  # the baseline skips some
    short = np.flatnonzero(compiled.prices.kind == KIND_CODE["schwartz_smith"])
    produced_short = [r for r, i in enumerate(short.tolist()) if i in produced]
    assert rows["z_price_short"] == (max(produced_short) + 1 if produced_short else 0)
    on_front = [f for f, j in enumerate(compiled.frontline) if j in set(index.tolist())]
    assert rows["u_front"] == (max(on_front) + 1 if on_front else 0)
    shapes = draw_shapes(compiled)
    for name in ("z_fx", "u_conversion", "z_permits", "u_start"):
        assert rows[name] == (shapes[name][0][0] if shapes[name][1] > 0 else 1)


@pytest.fixture(scope="module")
def detail(compiled: Compiled) -> dict[str, np.ndarray]:
    blocks = block_seeds(np.random.default_rng(5), 400)
    return evolve(compiled, draw_blocks(compiled, blocks), detail=True).detail


def test_capital_equals_net_assets_plus_in_kind_reserve(detail: dict[str, np.ndarray]) -> None:
    capital = detail["capital"].sum(axis=-1)
    np.testing.assert_allclose(
        capital, detail["nav"] + detail["in_kind_reserve"], rtol=1e-9, atol=1e-3
    )


def test_cash_never_goes_negative(detail: dict[str, np.ndarray]) -> None:
    assert detail["cash"].min() >= -1e-6


def test_no_distribution_before_the_lock_ends(
    compiled: Compiled, detail: dict[str, np.ndarray]
) -> None:
    first_open = compiled.years.index(2035)
    assert not detail["distribution"][:, :first_open].any()
    assert detail["distribution"][:, first_open:].any()


def test_ownership_shares_sum_to_one(detail: dict[str, np.ndarray]) -> None:
    np.testing.assert_allclose(detail["ownership"].sum(axis=-1), 1.0)


def test_occupied_deposits_yield_nothing_without_liberation(
    baseline: ScenarioSpec, signed_terms: list[Terms]
) -> None:
    frozen = dataclasses.replace(
        baseline,
        conflict=dataclasses.replace(
            baseline.conflict, liberation_hazard=0.0, oblast_liberation_hazard=()
        ),
    )
    c = compile_model(frozen, signed_terms)
    out = evolve(c, draw_blocks(c, block_seeds(np.random.default_rng(1), 300)), detail=True)
    occupied = [i for i, d in enumerate(frozen.deposits) if d.territory == "occupied"]
    assert occupied
    assert not out.detail["receipts"][:, :, occupied].any()


def test_strict_reading_counts_no_existing_licence(
    baseline: ScenarioSpec, signed_terms: list[Terms]
) -> None:
    c = compile_model(baseline, signed_terms)
    out = evolve(c, draw_blocks(c, block_seeds(np.random.default_rng(2), 200)), detail=True)
    existing = [i for i, d in enumerate(baseline.deposits) if d.licence_status != "none"]
    assert not out.detail["new"][:, :, existing].any()


def test_march_draft_credits_past_aid_and_shifts_ownership_to_the_us(
    baseline: ScenarioSpec, compiled: Compiled
) -> None:
    draft = compile_model(baseline, terms_for("us-draft-2025-03", baseline.years))
    a = simulate(compiled, 500, np.random.default_rng(4))
    b = simulate(draft, 500, np.random.default_rng(4))
    assert b.series["ownership_dfc"][:, -1].mean() > 0.9 > a.series["ownership_dfc"][:, -1].mean()
    assert b.scalars["contributed_ppp_agency"].mean() > a.scalars["contributed_ppp_agency"].mean()


def test_irr_is_nan_without_a_sign_change() -> None:
    from urif.sim.engine import irr

    rates = irr(np.array([[-100.0, 0.0, 121.0], [-1.0, -1.0, -1.0]]))
    assert rates[0] == pytest.approx(0.1)
    assert np.isnan(rates[1])


def test_start_years_follow_the_yearly_chance(compiled: Compiled) -> None:
    from urif.sim.engine import start_years

    n = 40_000
    u = np.random.default_rng(11).random((n, len(compiled.deposits)))
    free = np.full((n, compiled.liberation_hazard.shape[1]), 10**6)
    start = start_years(compiled, free, u, 10**6)
    j = int(np.flatnonzero((compiled.start_p < 1) & (compiled.occupied_group < 0))[0])
    p, first = float(compiled.start_p[j]), int(compiled.start_min[j])
    for k in range(4):  # P(start = first + k) = (1 - p)^k p
        share = (start[:, j] == first + k).mean()
        assert share == pytest.approx((1 - p) ** k * p, abs=0.01)


def test_liberation_years_follow_the_yearly_hazard(compiled: Compiled) -> None:
    from urif.sim.engine import liberation_years

    n = 40_000
    u = np.random.default_rng(12).random((n, compiled.liberation_hazard.shape[1]))
    free = liberation_years(compiled, u, 10**6)
    h = compiled.liberation_hazard[1:, 0]
    for t in (1, 5, 20):  # P(freed by t) = 1 - Π (1 - h_s), s = 1..t
        assert (free[:, 0] <= t).mean() == pytest.approx(1 - np.prod(1 - h[:t]), abs=0.01)


def test_irr_equals_a_long_bisection() -> None:
    from urif.sim.engine import irr

    rng = np.random.default_rng(13)
    flows = np.concatenate(
        [-rng.random((500, 10)) * 100, rng.random((500, 21)) * rng.random((500, 1)) * 40], axis=1
    )
    rates = irr(flows)
    a, b = np.full(500, -0.99), np.full(500, 10.0)
    t = np.arange(flows.shape[1])

    def npv(rate: np.ndarray) -> np.ndarray:
        return (flows * (1 + rate[:, None]) ** -t).sum(axis=1)

    fa = npv(a)
    for _ in range(80):
        mid = 0.5 * (a + b)
        fm = npv(mid)
        left = np.sign(fm) == np.sign(fa)
        a, fa, b = np.where(left, mid, a), np.where(left, fm, fa), np.where(left, b, mid)
    np.testing.assert_allclose(rates, 0.5 * (a + b), rtol=0, atol=1e-12)
